// `wechatpay-local-server [--port N] [--client PATH]`: the local WeChat Pay as
// a process, for the operations of a generated client (this package's own
// membership-card client by default). Prints which operations it serves and
// how each is answered, then a client configuration. Its fresh keys are
// written to a temp folder that is removed when the server stops.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { startLocalServer, type LocalWechatPay } from './index.js';
import type { ServedOperation } from './operations.js';

/** This package's own client binding, by its package name (a self-reference). */
const OWN_CLIENT = 'wechatpay-membercard/local-server';
// Looked up at run time in the user's project.
const TSX_MANIFEST = 'tsx/package.json';

/** The line before the JSON client configuration, so a script can find it. */
export const CONFIG_MARKER = 'client configuration';

/** `cardStore`: --card-store, the product's card store also answers the client's copies of its endpoints. */
export async function serve(port: number, client?: string, cardStore = false): Promise<void> {
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
      ...(cardStore ? { cardStore } : {}),
      // Every problem on stderr, as it happens: an operation it cannot answer (at start), an answer it refused to send.
      onProblem: (p) => console.error(`wechatpay-local-server: ${p.message}`),
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
  const rows = server.operations.map((o) => [o.method, o.path, o.operationId, o.problem ? 'cannot be answered: 500 SYSTEM_ERROR (see stderr)' : `answered by ${o.answeredBy === 'handler' ? 'its handler' : o.answeredBy === 'card store' ? 'the card store' : o.answeredBy === 'example' ? "the spec's example" : 'a body synthesized from the response schema'}`]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
}

/**
 * The `operations` of a generated client's local-server module: `client` is
 * the client's folder (the `--out` of generate) or that module's file; none
 * means this package's own client. A `.ts` module is loaded through tsx's
 * API, resolved from the client's folder (the user's project), not from this
 * package: the user installs tsx, this package depends on nothing.
 */
export async function loadOperations(client: string | undefined): Promise<{ operations: readonly ServedOperation[]; from: string }> {
  const file = client === undefined ? undefined : moduleFile(client);
  const from = file ?? 'the wechatpay-membercard client';
  const mod = (await (file === undefined ? import(OWN_CLIENT) : TYPESCRIPT.test(file) ? importTypeScript(file) : import(pathToFileURL(file).href))) as { operations?: unknown };
  if (!Array.isArray(mod.operations)) throw new Error(`${from} exports no \`operations\`: is it the local-server module of a client made by wechatpay-membercard-generator? Regenerate the client.`);
  return { operations: mod.operations as ServedOperation[], from };
}

const TYPESCRIPT = /\.[cm]?ts$/;

function moduleFile(client: string): string {
  const resolved = path.resolve(client);
  if (!existsSync(resolved)) throw new Error(`--client ${client}: no such file or folder`);
  if (!statSync(resolved).isDirectory()) return resolved;
  const found = ['local-server.js', 'local-server.ts'].map((f) => path.join(resolved, f)).find(existsSync);
  if (!found) throw new Error(`--client ${client}: the folder has no local-server.js or local-server.ts (generate the client with wechatpay-membercard-generator)`);
  return found;
}

/**
 * A TypeScript module, through tsx's `tsImport`. Not `import()` first and
 * tsx's `register()` after a failure: Node caches the failed import of the
 * URL, so the second `import()` fails the same way (ERR_UNKNOWN_FILE_EXTENSION
 * on Node 20, with tsx installed). `tsImport` loads under a namespace of its
 * own, so nothing cached is in the way.
 */
async function importTypeScript(file: string): Promise<unknown> {
  const api = tsxApi(file);
  if (!api) throw new Error(`${file} is TypeScript: install tsx in your project (npm i -D tsx) so the server can load it, or point --client at the compiled JavaScript`);
  const { tsImport } = (await import(api)) as { tsImport(specifier: string, options: { parentURL: string }): Promise<unknown> };
  const url = pathToFileURL(file).href;
  return tsImport(url, { parentURL: url });
}

/**
 * The URL of tsx's ES module API as the user's project has it, looked up from
 * the client's folder, then from the working folder. Read from tsx's own
 * package.json `exports`: a require() lookup would give the CommonJS build,
 * which does not load its own files once this bin is bundled.
 */
function tsxApi(file: string): string | undefined {
  for (const from of [file, path.join(process.cwd(), 'package.json')]) {
    let manifest: string;
    try {
      manifest = createRequire(from).resolve(TSX_MANIFEST);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') continue;
      throw e;
    }
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }).exports;
    const entry = exports?.['./esm/api']?.import?.default;
    if (!entry) throw new Error(`${manifest}: this tsx has no ES module API (./esm/api); install tsx 4 or later (npm i -D tsx@4)`);
    return pathToFileURL(path.join(path.dirname(manifest), entry)).href;
  }
  return undefined;
}
