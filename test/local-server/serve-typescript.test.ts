// `wechatpay-local-server --client DIR` on a generated TypeScript client, as
// a user runs it: the bin built to plain JavaScript (as the package ships it)
// under plain node, in a project folder of its own. With tsx installed in
// that project the .ts client loads (Node caches a failed first import, so
// the loader must not try plain import() and then register tsx); without
// tsx it stops with a sentence that says what to install.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { generateFiles } from '../../generator/generate.js';
import { writeOutput } from '../../generator/output.js';
import { ROOT } from '../helpers.js';
import type { ClientConfig } from '../../runtime/config.js';
import { raw } from './raw.js';
import { startServe } from './serve-process.js';

let tmp: string;
let bin: string;

/** A project folder with a generated .ts client in `client/` (of the fixture spec, or of `text`), and tsx in its node_modules when `tsx`. */
async function project(name: string, tsx: boolean, text?: string): Promise<string> {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'client'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  const specFile = path.join(ROOT, 'test/local-server/fixture.yaml');
  const files = await generateFiles({ specFile, specLabel: 'fixture.yaml', runtimeImport: `${ROOT}/runtime/index.js`, ...(text === undefined ? {} : { text }) });
  writeOutput(path.join(dir, 'client'), files);
  if (tsx) {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(path.join(ROOT, 'node_modules/tsx'), path.join(dir, 'node_modules/tsx'), 'dir');
  }
  return dir;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'wxp-serve-ts-'));
  // Outside every project, so the bin itself finds no tsx beside it.
  bin = path.join(tmp, 'bin/local-server-bin.mjs');
  await build({ entryPoints: [path.join(ROOT, 'runtime/local-server/bin.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bin, logLevel: 'warning' });
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

it('loads a .ts client with the tsx of the user project, under plain node', async () => {
  const dir = await project('with-tsx', true);
  const serve = startServe(['--client', 'client'], { cwd: dir, command: [process.execPath, bin] });
  try {
    const { out } = await serve.ready;
    expect(out).toContain(`serving 3 operations of ${path.join(dir, 'client/local-server.ts')}`);
    expect(out).toMatch(/GET +\/v3\/shops\/\{shop_id\}\/members +listMembers +answered by the spec's example/);
    expect(serve.output().err).toBe('');
  } finally {
    await serve.stop();
  }
});

it('without tsx in the project, says to install it and exits 1', async () => {
  const dir = await project('without-tsx', false);
  const serve = startServe(['--client', 'client'], { cwd: dir, command: [process.execPath, bin] });
  await expect(serve.ready).rejects.toThrow(/exited early \(1\)/);
  expect(serve.output().err).toContain(`${path.join(dir, 'client/local-server.ts')} is TypeScript: install tsx in your project (npm i -D tsx)`);
});

// Two operations: one whose answer cannot be made (a backreference, no example), one that is fine.
const PROBLEM_SPEC = `
openapi: 3.1.0
info: { title: problems, version: "1" }
paths:
  /v3/things/{id}:
    get:
      operationId: getThing
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { code: { type: string, pattern: "^(a)\\\\1$" } } } } } }
  /v3/others/{id}:
    get:
      operationId: getOther
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { id: { type: string } } } } } }
`;

it('prints on stderr an operation it cannot answer, and each answer it refuses, and serves the others', async () => {
  const dir = await project('problems', true, PROBLEM_SPEC);
  const serve = startServe(['--client', 'client'], { cwd: dir, command: [process.execPath, bin] });
  try {
    const { out, config } = await serve.ready;
    expect(out).toMatch(/GET +\/v3\/things\/\{id\} +getThing +cannot be answered: 500 SYSTEM_ERROR \(see stderr\)/);
    expect(out).toMatch(/GET +\/v3\/others\/\{id\} +getOther +answered by a body synthesized from the response schema/);
    const why = 'cannot synthesize a 200 response (code: cannot make a string for pattern ^(a)\\1$ (a backreference at offset 4))';
    expect(serve.output().err).toContain(`wechatpay-local-server: getThing cannot be answered, its requests get 500 SYSTEM_ERROR: ${why}`);

    const server = { url: config['baseUrl']!, clientConfig: { mchid: config['mchid']!, serialNo: config['serialNo']!, wechatpayPublicKeyId: config['wechatpayPublicKeyId']! } as ClientConfig };
    const key = createPrivateKey(readFileSync(config['privateKeyFile']!));
    expect(await raw(server, { method: 'GET', target: '/v3/others/1', key })).toEqual({ status: 200, body: { id: '1' } });
    const refused = await raw(server, { method: 'GET', target: '/v3/things/1', key });
    expect(refused.status).toBe(500);
    await expect.poll(() => serve.output().err).toMatch(/wechatpay-local-server: getThing: answered 500 SYSTEM_ERROR to request [0-9A-F]{32}: getThing cannot be answered: cannot synthesize/);
  } finally {
    await serve.stop();
  }
});
