// `wechatpay-local-server [--port N] [--client PATH]`: the local WeChat Pay as
// a process, for the operations of a generated client (this package's own
// membership-card client by default). Prints which operations it serves and
// how each is answered, then a client configuration. Its fresh keys are
// written to a temp folder that is removed when the server stops.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalServer, type LocalWechatPay } from './index.js';
import type { ServedOperation } from './operations.js';

/** This package's own client binding, by its package name (a self-reference). */
const OWN_CLIENT = 'wechatpay-membercard/local-server';
// In variables, so a bundler leaves these imports to run time.
const TSX_API = 'tsx/esm/api';

/** The line before the JSON client configuration, so a script can find it. */
export const CONFIG_MARKER = 'client configuration';

export async function serve(port: number, client?: string): Promise<void> {
  const { operations, from } = await loadOperations(client);
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wechatpay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(path.join(tmpdir(), 'local-wechatpay-'));
  const removeKeys = () => rmSync(dir, { recursive: true, force: true });
  // Also on an abrupt exit (an uncaught error): the keys never outlive the process.
  process.once('exit', removeKeys);
  // Listening before anything is printed: a script that reads the configuration may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let server: LocalWechatPay | undefined;
  try {
    const merchantKeyFile = path.join(dir, 'apiclient_key.pem');
    const wechatpayPublicKeyFile = path.join(dir, 'wechatpay_pub.pem');
    writeFileSync(merchantKeyFile, merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(wechatpayPublicKeyFile, wechatpay.publicKey.export({ type: 'spki', format: 'pem' }));
    server = await startLocalServer(operations, {
      port,
      keys: { merchantPublicKey: merchant.publicKey, merchantPrivateKey: merchant.privateKey, wechatpayPrivateKey: wechatpay.privateKey },
    });
    const { mchid, serialNo, wechatpayPublicKeyId, baseUrl } = server.clientConfig;
    console.log(`local WeChat Pay listening on ${server.url} (Ctrl-C to stop)`);
    console.log(`serving ${server.operations.length} operations of ${from}:`);
    for (const line of operationTable(server)) console.log(`  ${line}`);
    console.log(`${CONFIG_MARKER} (read the key files with fs.readFileSync; they are deleted when the server stops):`);
    console.log(JSON.stringify({ mchid, serialNo, wechatpayPublicKeyId, baseUrl, privateKeyFile: merchantKeyFile, wechatpayPublicKeyFile }, null, 2));
    await stopped;
  } finally {
    await server?.close();
    removeKeys();
  }
}

/** One line per operation: method, path, operationId, and where its answers come from. */
export function operationTable(server: Pick<LocalWechatPay, 'operations'>): string[] {
  const rows = server.operations.map((o) => [o.method, o.path, o.operationId, `answered by ${o.answeredBy === 'handler' ? 'its handler' : o.answeredBy === 'card store' ? 'the card store' : o.answeredBy === 'example' ? "the spec's example" : 'a body synthesized from the response schema'}`]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
}

/**
 * The `operations` of a generated client's local-server module: `client` is
 * the client's folder (the `--out` of generate) or that module's file; none
 * means this package's own client. A `.ts` module is loaded through tsx,
 * when it is installed.
 */
export async function loadOperations(client: string | undefined): Promise<{ operations: readonly ServedOperation[]; from: string }> {
  const file = client === undefined ? undefined : moduleFile(client);
  const from = file ?? 'the wechatpay-membercard client';
  let mod: { operations?: unknown };
  try {
    mod = (await import(file ? pathToFileURL(file).href : OWN_CLIENT)) as { operations?: unknown };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !file) throw e;
    await registerTsx(file);
    mod = (await import(pathToFileURL(file).href)) as { operations?: unknown };
  }
  if (!Array.isArray(mod.operations)) throw new Error(`${from} exports no \`operations\`: is it the local-server module of a client made by wechatpay-membercard-generator? Regenerate the client.`);
  return { operations: mod.operations as ServedOperation[], from };
}

function moduleFile(client: string): string {
  const resolved = path.resolve(client);
  if (!existsSync(resolved)) throw new Error(`--client ${client}: no such file or folder`);
  if (!statSync(resolved).isDirectory()) return resolved;
  const found = ['local-server.js', 'local-server.ts'].map((f) => path.join(resolved, f)).find(existsSync);
  if (!found) throw new Error(`--client ${client}: the folder has no local-server.js or local-server.ts (generate the client with wechatpay-membercard-generator)`);
  return found;
}

async function registerTsx(file: string): Promise<void> {
  let api: { register(): unknown };
  try {
    api = (await import(TSX_API)) as { register(): unknown };
  } catch {
    throw new Error(`${file} is TypeScript: install tsx in your project (npm i -D tsx) so the server can load it, or point --client at the compiled JavaScript`);
  }
  api.register();
}
