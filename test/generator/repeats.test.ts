// No generated file repeats what another holds (issue #28): each rule, type
// and datum is written once and named from everywhere else. Counted as the
// scale bench counts it (bench/repeats.ts: trimmed lines of 60 characters or
// more that stand in two files; import and export lists name, they do not
// repeat), on the product's committed client and on the client of the
// vendored community subset, which shares schemas across many operations.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repeatedLines } from '../../bench/repeats.js';
import { generateFiles } from '../../generator/generate.js';
import { importDescription } from '../../generator/import/import.js';
import { ROOT } from '../helpers.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(dir: string, prefix = ''): { name: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.ts') ? [{ name: prefix + e.name, text: readFileSync(path.join(dir, e.name), 'utf8') }] : [],
  );
}

describe('repeatedLines', () => {
  const RULE = "phone_number: { type: 'string', maxLength: 512, encrypted: true, pattern: '^1' },";
  const NAME = 'getMarketingBusifavorUsersByOpenidCouponsByCouponCodeAppidsByAppid';
  it.each([
    { given: [['a.ts', RULE], ['b.ts', `    ${RULE}`]], want: 1 },
    { given: [['a.ts', RULE.slice(0, 59)], ['b.ts', RULE.slice(0, 59)]], want: 0 },
    { given: [['a.ts', `${RULE}\n${RULE}`]], want: 0 },
    { given: [['a.ts', `import { ${'a, '.repeat(20)}b } from './x.js';`], ['b.ts', `import { ${'a, '.repeat(20)}b } from './x.js';`]], want: 0 },
    { given: [['a.ts', `${NAME},`], ['b.ts', `  ${NAME}: {`]], want: 0 },
    { given: [['a.ts', `export const response: string = '{"$ref":"MembershipActivityListResponse"}';`], ['b.ts', `export const response: string = '{"$ref":"MembershipActivityListResponse"}';`]], want: 0 },
    { given: [['a.ts', `export const response: string = '{"$ref":"MembershipActivity","maxLength":32}';`], ['b.ts', `export const response: string = '{"$ref":"MembershipActivity","maxLength":32}';`]], want: 1 },
  ])('$want repeat(s) in $given', ({ given, want }) => {
    expect(repeatedLines(given.map(([name, text]) => ({ name: name!, text: text! })))).toHaveLength(want);
  });
});

describe('generated clients repeat nothing across files', () => {
  it('the product client (generated/)', () => {
    const files = filesUnder(path.join(ROOT, 'generated'));
    expect(files.length).toBeGreaterThan(5);
    expect(repeatedLines(files)).toEqual([]);
  });

  it('the client of the community subset', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-repeats-'));
    temps.push(dir);
    const file = path.join(dir, 'wechatpay.yaml');
    writeFileSync(file, importDescription({ source: path.join(ROOT, 'test/generator/fixtures/community/docs/swagger.yaml') }).text);
    const files = await generateFiles({ specFile: file, specLabel: 'wechatpay.yaml' });
    expect(files.size).toBeGreaterThan(10);
    expect(repeatedLines([...files].map(([name, text]) => ({ name, text })))).toEqual([]);
  });
});
