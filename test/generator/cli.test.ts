// The CLI as a maintainer and CI use it: generate, check (with drift of every kind), help, spec errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.js';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'generator/cli.ts');

/** A temp folder laid out like the repo: spec/ and generated/ (copied from the real ones). */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wxp-cli-'));
  cpSync(path.join(ROOT, 'spec'), path.join(dir, 'spec'), { recursive: true });
  mkdirSync(path.join(dir, 'generated'));
  cpSync(path.join(ROOT, 'generated'), path.join(dir, 'generated'), { recursive: true });
  return dir;
}

function run(dir: string, ...args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const edit = (dir: string, file: string, from: string, to: string) => {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  writeFileSync(full, text.replace(from, to));
};

describe('wechatpay-membercard check', () => {
  it('passes on the committed generated/ (CI runs this too, via the product spec)', () => {
    const r = run(ROOT, 'check');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('generated/ matches spec/membercard.yaml (6 files)');
  });

  it('a maxLength changed in the spec: check fails with a diff of exactly that rule; generate fixes it', () => {
    const dir = workspace();
    edit(dir, 'spec/membercard.yaml', "    Level:\n      type: string\n      maxLength: 10", "    Level:\n      type: string\n      maxLength: 12");
    const r = run(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.err).toContain("--- generated/metadata.ts (on disk)");
    expect(r.err).toContain("-const LevelRule: Rule = { type: 'string', maxLength: 10 };");
    expect(r.err).toContain("+const LevelRule: Rule = { type: 'string', maxLength: 12 };");
    expect(r.err).toMatch(/^\+\s+\*\s+Limits: maxLength 12\.$/m);
    expect(r.err).toContain('run `npm run generate`');
    expect(run(dir, 'generate').code).toBe(0);
    expect(readFileSync(path.join(dir, 'generated/metadata.ts'), 'utf8')).toContain("const LevelRule: Rule = { type: 'string', maxLength: 12 };");
    expect(run(dir, 'check').code).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('a hand edit in generated/ fails check with the edited line in the diff', () => {
    const dir = workspace();
    edit(dir, 'generated/client.ts', 'close: () => runtime.close(),', 'close: () => undefined,');
    const r = run(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^-\s+close: \(\) => undefined,$/m);
    expect(r.err).toMatch(/^\+\s+close: \(\) => runtime\.close\(\),$/m);
    rmSync(dir, { recursive: true });
  });

  it('a deleted generated file and an extra file are both named', () => {
    const dir = workspace();
    rmSync(path.join(dir, 'generated/schemas.ts'));
    writeFileSync(path.join(dir, 'generated/extra.ts'), 'export {};\n');
    const r = run(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.err).toContain('missing: generated/schemas.ts');
    expect(r.err).toContain('unexpected: generated/extra.ts');
    rmSync(dir, { recursive: true });
  });

  it('a spec mistake is one line with file and line number, and no stack trace', () => {
    const dir = workspace();
    edit(dir, 'spec/membercard.yaml', '$ref: "#/components/schemas/UserCard"', '$ref: "#/components/schemas/UserCards"');
    const r = run(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: spec\/membercard\.yaml:\d+: \$ref #\/components\/schemas\/UserCards does not resolve: nothing exists at that path\n$/);
    rmSync(dir, { recursive: true });
  });

  it('takes the spec path as an argument, and --help and unknown commands behave', () => {
    const dir = workspace();
    cpSync(path.join(dir, 'spec/membercard.yaml'), path.join(dir, 'other.yaml'));
    const r = run(dir, 'check', 'other.yaml');
    // The do-not-edit line names the spec it came from, so a different path is a difference.
    expect(r.code).toBe(1);
    expect(r.err).toContain('from other.yaml');
    expect(run(dir, '--help')).toMatchObject({ code: 0, out: expect.stringContaining('Usage: wechatpay-membercard <command>') });
    expect(run(dir, 'check', '--help')).toMatchObject({ code: 0 });
    expect(run(dir, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    expect(run(dir, 'check', 'missing.yaml')).toMatchObject({ code: 1, err: 'error: missing.yaml: cannot read the spec: ENOENT\n' });
    rmSync(dir, { recursive: true });
  });
});
