// `npm start`: the steps of steps.ts through the generated client against the
// local server, with real signatures both ways, and the card-open notification
// the local server announces to a handler. Exits 0 only if all went right.
import { createClient, type MembercardClient } from '../../generated/index.js';
import { startLocalWechatPay, type LocalWechatPay, type RequestRecord } from '../../generated/local-server.js';
import { steps } from './steps.js';

async function main(): Promise<number> {
  let server: LocalWechatPay | undefined;
  let client: MembercardClient | undefined;
  let failures = 0;
  try {
    server = await startLocalWechatPay();
    client = createClient({ ...server.clientConfig, decryptResponses: true });
    console.log(`local WeChat Pay on ${server.url} (keys generated for this run)\n`);
    for (const step of steps) {
      const before = server.requests().length;
      const t0 = performance.now();
      let line: string;
      let shown: string[] = [];
      try {
        const result = await step.run(client, server);
        shown = step.show?.(result) ?? [];
        line = `ok    ${step.expect(result)}`;
      } catch (e) {
        failures++;
        line = `FAIL  ${(e as Error).message}`;
      }
      const ms = (performance.now() - t0).toFixed(1);
      const record: RequestRecord | undefined = server.requests()[before];
      console.log(`${step.name}  (${ms} ms)`);
      for (const l of shown) console.log(`  ${l}`);
      if (record) {
        console.log(`  request   ${record.method} ${record.target}`);
        console.log(`  encrypted ${record.encryptedFields.length ? record.encryptedFields.join(', ') : '(no marked fields)'}`);
        console.log(`  server    ${record.status} ${record.verdict}${record.reason ? ` (${record.reason})` : ''}  Request-ID ${record.requestId}`);
      }
      console.log(`  client    ${line}\n`);
    }
  } finally {
    client?.close();
    await server?.close();
  }
  console.log(
    failures === 0
      ? `all ${steps.length} steps went right: every call signed, sent, accepted, verified; the card-open notification verified, decrypted, confirmed.`
      : `${failures} of ${steps.length} steps failed.`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
