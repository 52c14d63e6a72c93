// Bodies synthesized from a response rule: deterministic, and valid against the rule (in plaintext: marked fields are encrypted after).
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../runtime/validate.js';
import { validate } from '../../runtime/validate.js';
import { CannotSynthesize, synthesize } from '../../runtime/local-server/synthesize.js';

const cases: { name: string; rule: Rule; want: unknown }[] = [
  { name: 'a string is its field name', rule: { type: 'object', properties: { card_id: { type: 'string' } } }, want: { card_id: 'card_id' } },
  { name: 'cut to maxLength in characters', rule: { type: 'object', properties: { card_color: { type: 'string', maxLength: 4 } } }, want: { card_color: 'card' } },
  { name: 'the first enum value', rule: { type: 'string', enum: ['B', 'A'] }, want: 'B' },
  { name: 'a date-time', rule: { type: 'string', format: 'date-time' }, want: '2025-01-01T08:00:00+08:00' },
  { name: 'a pattern the name breaks: the first candidate that fits', rule: { type: 'string', pattern: '^[0-9]+$' }, want: '1' },
  { name: 'an integer at its minimum', rule: { type: 'integer', minimum: 3, maximum: 9 }, want: 3 },
  { name: 'a number below a negative maximum', rule: { type: 'number', maximum: -2 }, want: -2 },
  { name: 'a boolean', rule: { type: 'boolean' }, want: true },
  { name: 'an array with one item', rule: { type: 'array', items: { type: 'integer' } }, want: [0] },
  { name: 'an array with its minimum items', rule: { type: 'array', items: { type: 'boolean' }, minItems: 2 }, want: [true, true] },
  { name: 'an array that must be empty', rule: { type: 'array', items: { type: 'boolean' }, maxItems: 0 }, want: [] },
  { name: 'any value', rule: { type: 'any' }, want: {} },
  {
    name: 'every property of an object, optional ones too',
    rule: { type: 'object', properties: { a: { type: 'string', encrypted: true }, b: { type: 'object', properties: { c: { type: 'integer' } } } }, required: ['a'] },
    want: { a: 'a', b: { c: 0 } },
  },
];

describe('synthesize', () => {
  it.each(cases)('$name', ({ rule, want }) => {
    const made = synthesize(rule);
    expect(made).toEqual(want);
    expect(validate(made, rule, { encrypted: { mode: 'plaintext', oaepLimit: 214 } })).toEqual([]);
    expect(synthesize(rule)).toEqual(made);
  });

  it('names the field when no string can be made for its pattern', () => {
    const rule: Rule = { type: 'object', properties: { code: { type: 'string', pattern: '^(ab)\\1$' } } };
    expect(() => synthesize(rule)).toThrow(CannotSynthesize);
    expect(() => synthesize(rule)).toThrow('code: cannot make a string for pattern ^(ab)\\1$ (a backreference at offset 5)');
  });
});

// Patterns as real specs write them (the community description's among them, slashes and all:
// unanchored, so the slashes are characters to match). Where the field name or a plain candidate ('a', '1', …)
// fits, it is taken first; otherwise the string is made from the pattern.
const patterns: { pattern: string; minLength?: number; maxLength?: number; want: string }[] = [
  { pattern: '[0-9]{6}', want: '000000' },
  { pattern: '^[A-Z]{2}\\d{4,8}$', want: 'AA0000' },
  { pattern: '^[A-Z]{2}\\d{4,8}$', minLength: 9, want: 'AA0000000' },
  { pattern: '/\\d{8}|\\d{14}/', want: '/00000000' },
  { pattern: '/\\d{8}|\\d{14}|OnAccept/', want: '/00000000' },
  { pattern: '/[0-9]{6}/', want: '/000000/' },
  { pattern: '/[a-zA-Z0-9\\|\\*_-]{1,128}/', want: '/a/' },
  { pattern: '^\\d{8}$|^\\d{14}$', minLength: 14, want: '11111111111111' },
  { pattern: '^X\\d{8}$|^Y\\d{14}$', minLength: 15, want: 'Y00000000000000' },
  { pattern: '^1[3-9]\\d{9}$', want: '13000000000' },
  { pattern: '^(?:\\+?86)?1[3-9]\\d{9}$', want: '13000000000' },
  { pattern: '^(ABC|XYZ)-[a-f0-9]{3}$', want: 'ABC-aaa' },
  { pattern: '^[^a-z]{3}$', want: 'AAA' },
  { pattern: '^\\w+@\\w+\\.com$', want: 'a@a.com' },
  { pattern: '^[\\u4e00-\\u9fa5]{2,4}$', want: '一一' },
  { pattern: '^X-[0-9]{4}$', want: 'X-0000' },
  { pattern: '^\\d+(\\.\\d{1,2})?$', minLength: 3, maxLength: 4, want: '111' },
  { pattern: '^\\d{2}\\.\\d{1,2}$', want: '00.0' },
  { pattern: '^[A-Z0-9]{32}$', maxLength: 32, want: 'A'.repeat(32) },
];

describe('synthesize: strings made from a pattern', () => {
  it.each(patterns)('$pattern (length $minLength to $maxLength)', ({ pattern, minLength, maxLength, want }) => {
    const rule: Rule = { type: 'string', pattern, ...(minLength === undefined ? {} : { minLength }), ...(maxLength === undefined ? {} : { maxLength }) };
    const made = synthesize(rule, 'f', 'value');
    expect(made).toBe(want);
    expect(new RegExp(pattern, 'u').test(made as string)).toBe(true);
    expect(validate(made, rule, { encrypted: { mode: 'plaintext', oaepLimit: 214 } })).toEqual([]);
  });

  it.each([
    { pattern: '^(?=\\d)\\d{3}x$', why: 'a lookaround at offset 1' },
    { pattern: '^x\\b\\d{3}$', why: 'a word boundary at offset 2' },
    { pattern: '^\\p{Lu}{3}$', why: 'a Unicode property escape at offset 1' },
    { pattern: '^[0-9]{3}$', maxLength: 2, why: 'no value found for pattern ^[0-9]{3}$ within its length limits' },
  ])('refuses $pattern, saying why', ({ pattern, maxLength, why }) => {
    expect(() => synthesize({ type: 'string', pattern, ...(maxLength === undefined ? {} : { maxLength }) }, 'shop.code', 'code')).toThrow(`shop.code: `);
    expect(() => synthesize({ type: 'string', pattern, ...(maxLength === undefined ? {} : { maxLength }) }, 'shop.code', 'code')).toThrow(why);
  });
});
