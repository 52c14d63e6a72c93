// load.ts reads a spec with js-yaml (fast) and builds the `yaml` library's
// positioned tree only when a line is asked for. The value must be exactly
// what the `yaml` library reads, on every input: these are the inputs where a
// YAML parser's choices differ (YAML 1.1 against 1.2 scalars, keys, tags,
// aliases), each compared with the `yaml` library's own reading.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec } from '../../generator/load.js';
import { SpecError } from '../../generator/spec-error.js';

const SCALARS = [
  '1', '+12', '-0', '007', '1_000', '0b101', '0o17', '0777', '0x1F', '+0x1', '-0o7', '.5', '-.5', '1.', '0.', '1e3', '1E+3', '.e3', '1e',
  '+.inf', '-.Inf', '.NaN', '.nan', '12345678901234567890', '~', 'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'tRue', 'yes', 'on', 'y',
  '2020-01-01', '2001-12-14t21:59:43.10-05:00', '1:20', '"\\u00e9"', "'it''s'", '!!str 1', '"1"', '',
];

const DOCUMENTS = [
  'a: &x {b: 1}\nc: *x',
  '1: a\n2.0: b\n0x10: c\ntrue: d',
  'null: 1',
  '~: 1',
  '"null": 1',
  '[a]: 1',
  '? [a, b]\n: 1',
  'a: {[b]: 1}',
  'a: >\n  x\n\n  y\n',
  'a: |+\n  x\n\n',
  'a: "x\n  y"',
  'a:\n  - \n  - x',
  'a: !!int "3"',
  'a: !custom 1',
  'a: !!binary aGk=',
];

const read = (text: string) => loadSpec('spec.yaml', text).root;

describe('the value of a spec file is the yaml library’s reading', () => {
  it.each(SCALARS)('v: %s', (scalar) => {
    const text = `v: ${scalar}\n`;
    expect(read(text)).toStrictEqual(parse(text, { uniqueKeys: true }));
  });

  it.each(DOCUMENTS)('%j', (text) => {
    expect(read(text)).toStrictEqual(parse(text, { uniqueKeys: true, logLevel: 'error' }));
  });

  it.each([
    { text: 'a: 1\nb: 2\na: 3\n', line: 3, message: /Map keys must be unique/ },
    { text: 'a:\n  b: [1\n', line: 3, message: /YAML syntax error/ },
    { text: 'a:\n\tb: 1\n', line: 2, message: /Tabs are not allowed/ },
  ])('a syntax error names its line: $text', ({ text, line, message }) => {
    const e = (() => {
      try {
        read(text);
      } catch (err) {
        return err;
      }
      throw new Error('expected a SpecError');
    })();
    expect(e).toBeInstanceOf(SpecError);
    expect((e as SpecError).line).toBe(line);
    expect((e as SpecError).message).toMatch(message);
  });

  it('refuses a __proto__ key at its line, as a file that needs bundling', () => {
    const spec = loadSpec('spec.yaml', 'a: 1\nb: {__proto__: {c: 2}}\n');
    expect(spec.refusals.map((e) => [e.line, e.detail])).toEqual([[2, expect.stringMatching(/__proto__/)]]);
  });

  it('names the line of any part of a file read without positions', () => {
    const spec = loadSpec('spec.yaml', 'a:\n  b:\n    - x\n    - y: 1\n');
    expect(spec.lineOf(['a', 'b', 1, 'y'])).toBe(4);
    expect(spec.lineOf(['a', 'b', 0])).toBe(3);
    expect(spec.lineOf(['a', 'missing'])).toBe(2);
  });
});
