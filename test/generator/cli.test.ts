// The CLI as a maintainer, a user and CI use it: generate, check (with drift of
// every kind), a folder shared with the user's files, help, spec errors.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFiles } from '../../generator/generate.js';
import { VERSION } from '../../generator/version.js';
import { ROOT } from '../helpers.js';

// Every test spawns the CLI (tsx + the generator's libraries): generous
// timeouts, since a busy machine makes each process slow to start.
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'generator/cli.ts');
// This repository's own output imports the local runtime, as its npm scripts say.
const REPO = ['--spec', 'spec/membercard.yaml', '--out', 'generated', '--runtime-import', '../runtime/index.js', '--client-name', 'MembercardClient'];
const NAMED = ['--runtime-import', '../runtime/index.js', '--client-name', 'MembercardClient'];

// Every temp folder is removed after the file's tests, failed ones included.
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A temp folder laid out like the repo: spec/ and generated/ (copied from the real ones). */
function workspace(): string {
  const dir = tempDir('wxp-cli-');
  cpSync(path.join(ROOT, 'spec'), path.join(dir, 'spec'), { recursive: true });
  mkdirSync(path.join(dir, 'generated'));
  cpSync(path.join(ROOT, 'generated'), path.join(dir, 'generated'), { recursive: true });
  return dir;
}

function run(dir: string, ...args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function runAsync(dir: string, ...args: string[]) {
  const child = spawn(TSX, [CLI, ...args], { cwd: dir });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out, err };
}

const edit = (dir: string, file: string, from: string, to: string) => {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  writeFileSync(full, text.replace(from, to));
};

describe('check', { timeout: 120_000 }, () => {
  it('passes on the committed generated/ (CI runs this too, via npm run check)', () => {
    const r = run(ROOT, 'check', ...REPO);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('generated matches spec/membercard.yaml (32 files)\n');
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.check).toBe(`tsx generator/cli.ts check ${REPO.join(' ')}`);
    expect(scripts.generate).toBe(`tsx generator/cli.ts generate ${REPO.join(' ')}`);
  });

  it('a maxLength changed in the spec: check fails with a diff of exactly that rule and the command to run; generate fixes it', () => {
    const dir = workspace();
    edit(dir, 'spec/membercard.yaml', '    Level:\n      type: string\n      maxLength: 10', '    Level:\n      type: string\n      maxLength: 12');
    const r = run(dir, 'check', ...REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--- generated/rules.ts (on disk)');
    expect(r.err).toContain(`-  'Level': '{"type":"string","maxLength":10}',`);
    expect(r.err).toContain(`+  'Level': '{"type":"string","maxLength":12}',`);
    expect(r.err).toMatch(/^\+\s+\*\s+Limits: maxLength 12\.$/m);
    expect(r.err).toContain(`run \`wechatpay-membercard-generator generate ${REPO.join(' ')}\` and commit the result.`);
    expect(run(dir, 'generate', ...REPO)).toMatchObject({ code: 0, out: 'generated 32 files in generated from spec/membercard.yaml\n' });
    expect(readFileSync(path.join(dir, 'generated/rules.ts'), 'utf8')).toContain(`'Level': '{"type":"string","maxLength":12}',`);
    expect(run(dir, 'check', ...REPO).code).toBe(0);
  });

  it('a hand edit in generated/ fails check with the edited line in the diff', () => {
    const dir = workspace();
    edit(dir, 'generated/client.ts', 'close: () => runtime.close(),', 'close: () => undefined,');
    const r = run(dir, 'check', ...REPO);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^-\s+close: \(\) => undefined,$/m);
    expect(r.err).toMatch(/^\+\s+close: \(\) => runtime\.close\(\),$/m);
  });

  it('names a deleted generated file and a stale one it wrote earlier; ignores the user’s own files', () => {
    const dir = workspace();
    rmSync(path.join(dir, 'generated/schemas.ts'));
    writeFileSync(path.join(dir, 'generated/old.ts'), '// Generated by wechatpay-membercard-generator from ../spec/membercard.yaml. Do not edit.\nexport {};\n');
    writeFileSync(path.join(dir, 'generated/mine.ts'), 'export const mine = 1;\n');
    const r = run(dir, 'check', ...REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain('missing: generated/schemas.ts');
    expect(r.err).toContain('no longer generated: generated/old.ts');
    expect(r.err).not.toContain('mine.ts');
  });

  it('gives the same answer from any working directory: the header names the spec relative to the output folder', () => {
    const dir = workspace();
    const elsewhere = tempDir('wxp-cwd-');
    const abs = ['--spec', path.join(dir, 'spec/membercard.yaml'), '--out', path.join(dir, 'generated'), ...NAMED];
    expect(run(elsewhere, 'check', ...abs).code).toBe(0);
    expect(run(path.join(dir, 'generated'), 'check', '--spec', '../spec/membercard.yaml', '--out', '.', ...NAMED).code).toBe(0);
    // The spec (with the files it refers to) moved relative to the output: a real difference.
    cpSync(path.join(dir, 'spec'), path.join(dir, 'other'), { recursive: true });
    const r = run(dir, 'check', 'other/membercard.yaml', '--out', 'generated', ...NAMED);
    expect(r.code).toBe(1);
    expect(r.err).toContain('from ../other/membercard.yaml');
    // The hint repeats the arguments as given, positional spec included.
    expect(r.err).toContain('run `wechatpay-membercard-generator generate other/membercard.yaml --out generated --runtime-import ../runtime/index.js --client-name MembercardClient`');
  });
});

describe('generate into a folder shared with the user’s files', { timeout: 120_000 }, () => {
  it('writes its files, keeps the user’s, removes only what it wrote before', () => {
    const dir = workspace();
    const out = path.join(dir, 'src/wechatpay');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'main.ts'), 'export const main = 1;\n');
    writeFileSync(path.join(out, 'notes.md'), 'mine\n');
    writeFileSync(path.join(out, 'stale.ts'), '// Generated by wechatpay-membercard-generator from ../../spec/membercard.yaml. Do not edit.\n');
    const r = run(dir, 'generate', '--spec', 'spec/membercard.yaml', '--out', 'src/wechatpay', '--client-name', 'MembercardClient');
    expect(r.err).toBe('');
    expect(r.out).toBe('generated 32 files in src/wechatpay from spec/membercard.yaml; removed stale.ts (no longer generated)\n');
    expect(readdirSync(out).sort()).toEqual(['client.ts', 'data', 'index.ts', 'local-server.ts', 'main.ts', 'notes.md', 'notifications.ts', 'operations.ts', 'rules.ts', 'schemas.ts', 'types.ts']);
    expect(readFileSync(path.join(out, 'main.ts'), 'utf8')).toBe('export const main = 1;\n');
    expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toContain("import { bindOperations, createRuntime, notificationParser } from 'wechatpay-membercard/runtime';");
    expect(readFileSync(path.join(out, 'index.ts'), 'utf8').split('\n')[0]).toBe('// Generated by wechatpay-membercard-generator from ../../spec/membercard.yaml. Do not edit: edit the spec and regenerate.');
  });

  it('refuses, before writing anything, when a file of the user’s has a generated name', () => {
    const dir = workspace();
    const out = path.join(dir, 'src');
    mkdirSync(out);
    writeFileSync(path.join(out, 'client.ts'), 'export const mine = 1;\n');
    const r = run(dir, 'generate', '--spec', 'spec/membercard.yaml', '--out', 'src', '--client-name', 'MembercardClient');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: src/client.ts is in the way: it was not written by the generator (its first line is not "// Generated by wechatpay-membercard-generator …"); move it, or choose another --out\n`);
    expect(readdirSync(out)).toEqual(['client.ts']);
    expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toBe('export const mine = 1;\n');
  });
});

// Each case is its own process: run them side by side.
describe.concurrent('the command line', { timeout: 120_000 }, () => {
  const dir = ROOT;
  it.for([
    { args: ['--version'], code: 0, out: `${VERSION}\n` },
    { args: ['-v'], code: 0, out: `${VERSION}\n` },
    { args: ['--help'], code: 0, out: expect.stringContaining('generate writes only the files it\ngenerates') },
    { args: ['check', '--help'], code: 0, out: expect.stringContaining('Usage: wechatpay-membercard-generator <command> [options]') },
    { args: [], code: 2, out: expect.stringContaining('Usage:') },
    { args: ['frobnicate'], code: 2, err: expect.stringContaining('unknown command "frobnicate"') },
    { args: ['generate', '--spec', 'spec/membercard.yaml'], code: 2, err: 'generate needs the output folder (--out DIR): wechatpay-membercard-generator generate --spec FILE --out DIR\n' },
    { args: ['check', '--out', 'generated'], code: 2, err: 'check needs the spec (--spec FILE): wechatpay-membercard-generator check --spec FILE --out DIR\n' },
    { args: ['generate', 'a.yaml', 'b.yaml', '--out', 'x'], code: 2, err: 'generate takes one spec, got a.yaml, b.yaml\n' },
    { args: ['generate', '--json', '--spec', 'a.yaml', '--out', 'x'], code: 2, err: expect.stringContaining('generate does not take --json') },
    { args: ['check', '--spec', 'missing.yaml', '--out', 'generated'], code: 1, err: 'error: missing.yaml: cannot read the spec: ENOENT\n1 refusal in the spec: nothing compared\n' },
    { args: ['check', ...REPO.slice(0, 4), '--runtime-import', "it's"], code: 1, err: `error: --runtime-import "it's" is not a module specifier\n` },
    { args: ['generate', ...REPO.slice(0, 2), '--out', 'package.json', '--client-name', 'MembercardClient'], code: 1, err: 'error: package.json is not a folder\n' },
  ])('$args', async ({ args, ...want }, { expect }) => {
    expect(await runAsync(dir, ...args)).toMatchObject(want);
  });
});

describe.concurrent('spec mistakes: one line each with file and line number, then the count; no stack trace', { timeout: 120_000 }, () => {
  const cases = [
    { name: 'a $ref that does not resolve', command: 'check', from: '$ref: "#/components/schemas/UserCard"', to: '$ref: "#/components/schemas/UserCards"', err: /^error: spec\/membercard\.yaml:\d+: \$ref #\/components\/schemas\/UserCards does not resolve: nothing exists at that path\n1 refusal in the spec: nothing compared\n$/ },
    { name: 'a Swagger 2.0 file', command: 'generate', from: 'openapi: 3.1.0', to: 'swagger: "2.0"', err: /^error: spec\/membercard\.yaml:\d+: this is a Swagger "2\.0" document; the generator reads OpenAPI 3\.x \(hint: convert it first: wechatpay-membercard-generator import SOURCE --out FILE\)\n1 refusal in the spec: nothing written\n$/ },
    { name: 'no openapi line', command: 'check', from: 'openapi: 3.1.0\n', to: '', err: /^error: spec\/membercard\.yaml:\d+: not an OpenAPI document: there is no `openapi:` version line \(the generator reads OpenAPI 3\.x\)\n1 refusal in the spec: nothing compared\n$/ },
    { name: 'openapi 4', command: 'generate', from: 'openapi: 3.1.0', to: 'openapi: 4.0.0', err: /^error: spec\/membercard\.yaml:\d+: openapi: "4\.0\.0" is not an OpenAPI 3\.x version \(the generator reads 3\.0 and 3\.1\)\n1 refusal in the spec: nothing written\n$/ },
  ];
  it.for(cases)('$command: $name', async ({ command, from, to, err }, { expect }) => {
    const dir = workspace();
    const before = readFileSync(path.join(dir, 'generated/index.ts'), 'utf8');
    edit(dir, 'spec/membercard.yaml', from, to);
    const r = await runAsync(dir, command, ...REPO);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(err);
    expect(readFileSync(path.join(dir, 'generated/index.ts'), 'utf8')).toBe(before);
  });
});

describe('--skip-invalid', { timeout: 120_000 }, () => {
  it('generates the operations that pass, lists the others with their reasons; without it nothing is written', async () => {
    const dir = workspace();
    const before = readFileSync(path.join(dir, 'generated/operations.ts'), 'utf8');
    const spec = 'spec/member-services.yaml';
    const text = readFileSync(path.join(dir, spec), 'utf8');
    const line = text.slice(0, text.indexOf('format: date-time')).split('\n').length;
    edit(dir, spec, 'format: date-time', 'format: rfc3339');
    const refused = `spec/member-services.yaml:${line}: format "rfc3339" is not supported on a string; supported: date-time, date, uri (hint: did you mean date-time?)`;
    expect(await runAsync(dir, 'generate', ...REPO)).toMatchObject({ code: 1, out: '', err: `error: ${refused}\n1 refusal in the spec: nothing written\n` });
    expect(readFileSync(path.join(dir, 'generated/operations.ts'), 'utf8')).toBe(before);
    const r = await runAsync(dir, 'generate', ...REPO, '--skip-invalid');
    expect(r).toMatchObject({ code: 0, out: 'generated 31 files in generated from spec/membercard.yaml; removed data/createPreAuthToken.ts (no longer generated)\n' });
    expect(r.err).toMatch(new RegExp(`^left out 1 operation \\(--skip-invalid\\):\n {2}operation createPreAuthToken \\(POST /v3/[^)]+\\)\n {4}${refused.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    const after = readFileSync(path.join(dir, 'generated/operations.ts'), 'utf8');
    expect(before).toContain('export function createPreAuthToken(');
    expect(after).not.toContain('createPreAuthToken');
    // check with the option compares against the same output, listing the same.
    const c = await runAsync(dir, 'check', ...REPO, '--skip-invalid');
    expect(c.code).toBe(0);
    expect(c.err).toBe(r.err);
  });
});

describe('the README', () => {
  it('its minimal spec (quick start for your own spec) generates the client it shows', async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const text = /A minimal one, `wechatpay\.yaml`:\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(text).toBeDefined();
    const files = await generateFiles({ specFile: 'wechatpay.yaml', specLabel: '../../wechatpay.yaml', text: text! });
    expect(files.get('operations.ts')).toContain('export function getShopMember(');
    expect(readme).toContain("await client.getShopMember({ shop_id: 'S1', member_id: 'm1', region: 'north' })");
  });
});
