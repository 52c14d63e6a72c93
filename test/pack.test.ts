// Both packages as users get them: `npm pack`, then installed from the
// tarballs into empty projects (offline; the generator's own dependencies come
// from the npm cache). The client alone: import and require, types under every
// TypeScript module mode. The generator on a spec of the user's: output next to
// the user's file, strict tsc, a signed GET against a loopback server, check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createVerify } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KEY_DIR, keys, MCHID, PUBLIC_KEY_ID, ROOT, SERIAL_NO, wechatHeaders } from './helpers.js';
import { startServe } from './local-server/serve-process.js';

const exec = promisify(execFile);
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
// The consumer projects have no @types/node of their own.
const NODE_TYPES = ['--typeRoots', path.join(ROOT, 'node_modules/@types'), '--types', 'node'];
const GENERATOR = 'wechatpay-membercard-generator';
// Node 20.19+ and 22.12+ can require() an ES module; this flag turns that off,
// so require() sees what it sees on Node 20.18: only the CommonJS builds.
const NO_REQUIRE_ESM = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : [];

let tmp: string;
let clientTgz: string;
let generatorTgz: string;

/** An empty project in tmp with these tarballs installed. */
async function project(name: string, tarballs: string[], network: '--offline' | '--prefer-offline'): Promise<string> {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  await exec('npm', ['install', network, '--no-audit', '--no-fund', ...tarballs], { cwd: dir });
  return dir;
}

/** Runs `file` with node in `cwd`; resolves with the exit code and output instead of throwing. */
async function node(cwd: string, args: string[], env: Record<string, string> = {}) {
  try {
    const r = await exec(process.execPath, args, { cwd, env: { ...process.env, ...env } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

const tsc = (cwd: string, ...args: string[]) => exec(process.execPath, [TSC, ...args], { cwd });

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'wxp-pack-'));
  // One after the other: each builds its package first (prepack).
  await exec('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT });
  await exec('npm', ['pack', '--silent', '-w', 'generator', '--pack-destination', tmp], { cwd: ROOT });
  const tarballs = readdirSync(tmp);
  clientTgz = path.join(tmp, tarballs.find((f) => /^wechatpay-membercard-\d/.test(f))!);
  generatorTgz = path.join(tmp, tarballs.find((f) => f.startsWith(`${GENERATOR}-`))!);
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the client package alone', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project('client-only', [clientTgz], '--offline');
  }, 240_000);

  it('installs nothing but itself: no generator dependency', () => {
    expect(readdirSync(path.join(dir, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['wechatpay-membercard']);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'node_modules/wechatpay-membercard/package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.bin).toEqual({ 'wechatpay-local-server': 'dist/bundle/local-server-bin.js' });
  });

  it('import: calls the local server by package name', async () => {
    writeFileSync(
      path.join(dir, 'consumer.mjs'),
      `import { createClient, ValidationError, redisIdStore } from 'wechatpay-membercard';
      import { ValidationError as RuntimeValidationError, redisIdStore as runtimeRedisIdStore } from 'wechatpay-membercard/runtime';
      import { startLocalWechatPay } from 'wechatpay-membercard/local-server';
      const server = await startLocalWechatPay();
      const client = createClient(server.clientConfig);
      const card = await client.confirmUserCard({ user_card_code: 'p1', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', brand_id: '1004', openid: 'o', phone_number: '13800138000', user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
      let refused = '';
      try { await client.invalidateUserCard({ user_card_code: 'p1', brand_id: '1004', card_id: 'x'.repeat(33), openid: 'o' }); } catch (e) { if (e instanceof RuntimeValidationError && e instanceof ValidationError) refused = e.issues[0].rule; }
      client.close();
      await server.close();
      const sent = [];
      const store = redisIdStore({ call: async (...args) => (sent.push(args), null) }, { prefix: 'p:' });
      const claim = await store.claim('a:b');
      console.log(JSON.stringify({ state: card.user_card_state, refused, claim, key: sent[0][3], same: redisIdStore === runtimeRedisIdStore }));`,
    );
    const r = await node(dir, ['consumer.mjs']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({ state: 'EFFECTIVE', refused: 'maxLength', claim: 'new', key: 'p:a%3Ab', same: true });
  });

  it('the bin, with no --client, serves the package’s own membership-card client', async () => {
    const serve = startServe([], { cwd: dir, command: [process.execPath, path.join(dir, 'node_modules/.bin/wechatpay-local-server')] });
    try {
      const { out } = await serve.ready;
      expect(out).toMatch(/serving \d+ operations of the wechatpay-membercard client:/);
      expect(out).toMatch(/confirmUserCard +answered by the card store/);
      expect(await serve.stop()).toBe(0);
    } finally {
      await serve.stop();
    }
  });

  it('what import and require of the client load is ASCII, so V8 reads each file as one-byte text', () => {
    // One non-ASCII character (a doc comment esbuild keeps) made V8 decode a 75 KB chunk from UTF-8 and scan it
    // as two-byte text: about 5% of the package's import cost. The local server's files may carry Chinese.
    const pkg = path.join(dir, 'node_modules/wechatpay-membercard');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Not an operation's data: a chunk of its own, loaded by the operation's first call (`import(…)`, `() => require(…)`).
      for (const [, spec] of text.matchAll(/(?:from |(?<!=> )require\()["'](\.{1,2}\/[^"']+)["']/g)) visit(path.resolve(path.dirname(file), spec!));
    };
    for (const entry of ['dist/bundle/client.js', 'dist/bundle/runtime.js', 'dist/cjs/generated/index.js', 'dist/cjs/runtime/index.js']) visit(path.join(pkg, entry));
    const loaded = [...seen].map((f) => path.relative(pkg, f)).sort();
    expect(loaded.filter((f) => f.includes('chunk'))).toHaveLength(2);
    expect(loaded.filter((f) => /[^\x00-\x7f]/.test(readFileSync(path.join(pkg, f), 'utf8')))).toEqual([]);
  });

  it('require: works without require(esm) (as on Node 20.18), one runtime behind every entry', async () => {
    writeFileSync(
      path.join(dir, 'consumer.cjs'),
      `const { createClient, ValidationError } = require('wechatpay-membercard');
      const runtime = require('wechatpay-membercard/runtime');
      const { startLocalWechatPay } = require('wechatpay-membercard/local-server');
      (async () => {
        const server = await startLocalWechatPay();
        const client = createClient(server.clientConfig);
        const result = await client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: 't' });
        let refused = '';
        try { await client.updateCardTemplate({ card_id: 'x'.repeat(33) }); } catch (e) { if (e instanceof runtime.ValidationError) refused = e.issues[0].rule; }
        client.close();
        await server.close();
        console.log(JSON.stringify({ result: result === undefined ? 'undefined' : result, refused, same: ValidationError === runtime.ValidationError }));
      })();`,
    );
    const r = await node(dir, [...NO_REQUIRE_ESM, 'consumer.cjs']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({ result: 'undefined', refused: 'maxLength', same: true });
  });

  it('types: strict tsc over an ES module and a CommonJS consumer under module node16 and nodenext, and bundler', async () => {
    const esm = `
      import { createClient, ValidationError, type UserCard } from 'wechatpay-membercard';
      import { createRuntime, redisIdStore, type ClientConfig, type NotificationIdStore } from 'wechatpay-membercard/runtime';
      export const store: NotificationIdStore = redisIdStore({ sendCommand: async (args: string[]) => args.length }, { leaseMs: 5000 });
      import { startLocalWechatPay } from 'wechatpay-membercard/local-server';
      export async function main(): Promise<string> {
        const server = await startLocalWechatPay();
        const config: ClientConfig = server.clientConfig;
        const client = createClient(config);
        const card: UserCard = await client.confirmUserCard({ user_card_code: 'p1', card_id: 'c', brand_id: '1004', openid: 'o', user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
        createRuntime(config).close();
        await server.close();
        return card.user_card_state + String(new ValidationError('op', []).issues.length);
      }`;
    writeFileSync(path.join(dir, 'consumer.ts'), esm);
    writeFileSync(path.join(dir, 'consumer.mts'), esm);
    writeFileSync(path.join(dir, 'consumer.cts'), esm);
    const strict = ['--noEmit', '--strict', '--target', 'es2022', ...NODE_TYPES];
    // Our declaration files themselves are checked once (skipLibCheck false
    // also checks all of @types/node, the slow part); how each mode resolves
    // the package's exports is checked in every run.
    await tsc(dir, ...strict, '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'consumer.ts', 'consumer.cts');
    await tsc(dir, ...strict, '--skipLibCheck', 'true', '--module', 'node16', '--moduleResolution', 'node16', 'consumer.mts', 'consumer.cts');
    await tsc(dir, ...strict, '--skipLibCheck', 'true', '--module', 'esnext', '--moduleResolution', 'bundler', 'consumer.ts');
  }, 240_000);
});

describe('the generator on a spec of the user’s', () => {
  const SPEC = path.join(ROOT, 'test/fixtures/user-project/wechatpay.yaml');
  const bin = (dir: string) => path.join(dir, 'node_modules', GENERATOR, 'dist/cli.js');
  let dir: string;

  beforeAll(async () => {
    dir = await project('user', [clientTgz, generatorTgz], '--prefer-offline');
    cpSync(SPEC, path.join(dir, 'wechatpay.yaml'));
    mkdirSync(path.join(dir, 'src/wechatpay'), { recursive: true });
    writeFileSync(path.join(dir, 'src/wechatpay/keys.ts'), `// The user's own file, in the output folder.\nimport { readFileSync } from 'node:fs';\nexport const pem = (file: string): string => readFileSync(file, 'utf8');\n`);
  }, 300_000);

  it('--help and --version load none of the generator’s libraries', async () => {
    // A loader hook that fails any import of them: --help must not notice it; generate must.
    writeFileSync(
      path.join(dir, 'trap.mjs'),
      `import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(\`
        const HEAVY = new Set(['yaml', 'openapi-typescript', 'ts-morph', 'prettier', 'diff']);
        export async function resolve(specifier, context, next) {
          if (HEAVY.has(specifier)) throw new Error('trap: loaded ' + specifier);
          return next(specifier, context);
        }\`));`,
    );
    const help = await node(dir, ['--import', './trap.mjs', bin(dir), '--help']);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toContain('removes only files it wrote earlier');
    expect(await node(dir, ['--import', './trap.mjs', bin(dir), '--version'])).toEqual({ code: 0, out: '0.1.0\n', err: '' });
    const generate = await node(dir, ['--import', './trap.mjs', bin(dir), 'generate', '--spec', 'wechatpay.yaml', '--out', 'src/wechatpay']);
    expect(generate.code).not.toBe(0);
    expect(generate.err).toContain('trap: loaded');
  }, 120_000);

  it('generates next to the user’s file; strict tsc passes; the function signs and sends the GET', async () => {
    const r = await node(dir, [bin(dir), 'generate', '--spec', 'wechatpay.yaml', '--out', 'src/wechatpay']);
    expect(r).toEqual({ code: 0, out: 'generated 8 files in src/wechatpay from wechatpay.yaml\n', err: '' });
    expect(readdirSync(path.join(dir, 'src/wechatpay')).sort()).toEqual(['client.ts', 'data', 'index.ts', 'keys.ts', 'local-server.ts', 'operations.ts', 'rules.ts', 'schemas.ts', 'types.ts']);
    expect(readFileSync(path.join(dir, 'src/wechatpay/keys.ts'), 'utf8')).toContain("The user's own file");

    writeFileSync(
      path.join(dir, 'src/main.ts'),
      `import { createClient, ValidationError, type Member, type Transport } from './wechatpay/index.js';
      import { pem } from './wechatpay/keys.js';
      const env = (name: string): string => process.env[name] ?? '';
      const client = createClient({
        mchid: env('MCHID'), serialNo: env('SERIAL_NO'), privateKey: pem(env('KEY_FILE')),
        wechatpayPublicKeyId: env('PUBLIC_KEY_ID'), wechatpayPublicKey: pem(env('PUBLIC_KEY_FILE')), baseUrl: env('BASE_URL'),
      });
      const member: Member = await client.getShopMember({ shop_id: 'S 1/ü', member_id: 'm1', region: 'north', fields: 'name,level' });
      const transport: Transport | undefined = member.transport;
      let refused = '';
      try { await client.getShopMember({ shop_id: 'x'.repeat(17), member_id: 'm1', region: 'north' }); } catch (e) { if (e instanceof ValidationError) refused = e.issues.map((i) => i.path + ' ' + i.rule).join(); }
      client.close();
      console.log(JSON.stringify({ name: member.name, carrier: transport?.carrier, refused }));`,
    );
    writeFileSync(
      path.join(dir, 'src/regen.ts'),
      `import { check } from '${GENERATOR}';
      const result = await check({ spec: 'wechatpay.yaml', out: 'src/wechatpay' });
      console.log(JSON.stringify({ ok: result.ok, diff: result.drift.changed.map((c) => c.file) }));`,
    );
    // The same through require() (a .cts compiles to CommonJS), as on Node 20.18.
    writeFileSync(
      path.join(dir, 'src/regen-cjs.cts'),
      `import { check } from '${GENERATOR}';
      void check({ spec: 'wechatpay.yaml', out: 'src/wechatpay' }).then((result) => console.log(JSON.stringify({ ok: result.ok, diff: result.drift.changed.map((c) => c.file) })));`,
    );
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noUncheckedIndexedAccess: true, skipLibCheck: false, outDir: 'dist', rootDir: 'src' },
        include: ['src'],
      }),
    );
    await tsc(dir, '-p', '.', ...NODE_TYPES);

    const seen: { method?: string | undefined; url?: string | undefined; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        const out = JSON.stringify({ member_id: 'm1', name: '张三', transport: { carrier: 'SF' } });
        res.writeHead(200, { 'Content-Type': 'application/json', ...wechatHeaders(out) });
        res.end(out);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await node(dir, ['dist/main.js'], {
        MCHID,
        SERIAL_NO,
        PUBLIC_KEY_ID,
        KEY_FILE: path.join(KEY_DIR, 'merchant.key.pem'),
        PUBLIC_KEY_FILE: path.join(KEY_DIR, 'wechatpay.pub.pem'),
        BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      expect(run.err).toBe('');
      expect(JSON.parse(run.out)).toEqual({ name: '张三', carrier: 'SF', refused: 'shop_id maxLength' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // One request reached the server (the invalid one never left the client), signed over exactly what was sent.
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req).toMatchObject({ method: 'GET', url: '/v3/shops/S%201%2F%C3%BC/members/m1?region=north&fields=name%2Clevel', body: '' });
    const auth = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req!.headers.authorization ?? '')?.[1] ?? '';
    const fields = Object.fromEntries([...auth.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(fields).toMatchObject({ mchid: MCHID, serial_no: SERIAL_NO });
    const message = `GET\n${req!.url}\n${fields['timestamp']}\n${fields['nonce_str']}\n\n`;
    expect(createVerify('RSA-SHA256').update(message).verify(keys.merchantPublic, fields['signature']!, 'base64')).toBe(true);
  }, 240_000);

  it('the generated client in a CommonJS project: strict tsc under module node16, then require() without require(esm)', async () => {
    const cjs = path.join(dir, 'cjs');
    mkdirSync(path.join(cjs, 'src'), { recursive: true });
    writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    cpSync(path.join(dir, 'src/wechatpay'), path.join(cjs, 'src/wechatpay'), { recursive: true });
    writeFileSync(
      path.join(cjs, 'src/main.ts'),
      `import { createClient, ValidationError } from './wechatpay/index.js';
      import { pem } from './wechatpay/keys.js';
      const client = createClient({ mchid: '${MCHID}', serialNo: '${SERIAL_NO}', privateKey: pem(${JSON.stringify(path.join(KEY_DIR, 'merchant.key.pem'))}), wechatpayPublicKeyId: '${PUBLIC_KEY_ID}', wechatpayPublicKey: pem(${JSON.stringify(path.join(KEY_DIR, 'wechatpay.pub.pem'))}) });
      client.getShopMember({ shop_id: 'S1', member_id: 'm1', region: 'west' as 'north' }).catch((e: unknown) => {
        client.close();
        console.log(e instanceof ValidationError ? e.issues.map((i) => i.path + ' ' + i.rule).join() : String(e));
      });`,
    );
    await tsc(cjs, '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--skipLibCheck', 'false', ...NODE_TYPES, '--outDir', 'out', 'src/main.ts');
    expect(await node(cjs, [...NO_REQUIRE_ESM, 'out/main.js'])).toEqual({ code: 0, out: 'region enum\n', err: '' });
  }, 240_000);

  it('wechatpay-local-server --client serves the user’s compiled client: the same program gets a signed, synthesized answer', async () => {
    const serve = startServe(['--client', 'dist/wechatpay'], { cwd: dir, command: [process.execPath, path.join(dir, 'node_modules/wechatpay-membercard/dist/bundle/local-server-bin.js')] });
    try {
      const { out, config } = await serve.ready;
      expect(out).toMatch(/GET +\/v3\/shops\/\{shop_id\}\/members\/\{member_id\} +getShopMember +answered by a body synthesized from the response schema/);
      const env = { MCHID: config['mchid']!, SERIAL_NO: config['serialNo']!, PUBLIC_KEY_ID: config['wechatpayPublicKeyId']!, KEY_FILE: config['privateKeyFile']!, PUBLIC_KEY_FILE: config['wechatpayPublicKeyFile']!, BASE_URL: config['baseUrl']! };
      const run = await node(dir, ['dist/main.js'], env);
      expect(run.err).toBe('');
      expect(JSON.parse(run.out)).toEqual({ name: 'name', carrier: 'carrier', refused: 'shop_id maxLength' });
      expect(await serve.stop()).toBe(0);
      expect(existsSync(path.dirname(config['privateKeyFile']!))).toBe(false);
    } finally {
      await serve.stop();
    }
  }, 60_000);

  it('check passes; after a spec edit it fails with a diff and the command to run; also through the API', async () => {
    const check = ['check', '--spec', 'wechatpay.yaml', '--out', 'src/wechatpay'];
    expect(await node(dir, [bin(dir), ...check])).toEqual({ code: 0, out: 'src/wechatpay matches wechatpay.yaml (8 files)\n', err: '' });
    const api = async () => [JSON.parse((await node(dir, ['dist/regen.js'])).out), JSON.parse((await node(dir, [...NO_REQUIRE_ESM, 'dist/regen-cjs.cjs'])).out)];
    expect(await api()).toEqual([{ ok: true, diff: [] }, { ok: true, diff: [] }]);

    const spec = path.join(dir, 'wechatpay.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('{ type: string, maxLength: 16 }', '{ type: string, maxLength: 8 }'));
    const r = await node(dir, [bin(dir), ...check]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--- wechatpay/data/getShopMember.ts (on disk)');
    expect(r.err).toMatch(/^\+.*"maxLength":8/m);
    expect(r.err).toContain(`run \`${GENERATOR} generate --spec wechatpay.yaml --out src/wechatpay\` and commit the result.`);
    expect(await api()).toEqual([{ ok: false, diff: ['data/getShopMember.ts'] }, { ok: false, diff: ['data/getShopMember.ts'] }]);
  }, 240_000);
});
