// `npm start`: the steps of steps.ts through the generated client against the
// local server, with real signatures both ways. Exits 0 only if all went right.
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
      try {
        const result = await step.run(client);
        line = `ok    ${step.expect(result)}`;
      } catch (e) {
        failures++;
        line = `FAIL  ${(e as Error).message}`;
      }
      const ms = (performance.now() - t0).toFixed(1);
      const record: RequestRecord | undefined = server.requests()[before];
      console.log(`${step.name}  (${ms} ms)`);
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
  console.log(failures === 0 ? `all ${steps.length} calls signed, sent, accepted, verified.` : `${failures} of ${steps.length} calls failed.`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
