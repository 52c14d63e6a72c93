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

  it('names the field when no candidate fits its pattern', () => {
    const rule: Rule = { type: 'object', properties: { code: { type: 'string', pattern: '^X-[0-9]{4}$' } } };
    expect(() => synthesize(rule)).toThrow(CannotSynthesize);
    expect(() => synthesize(rule)).toThrow('code: no value found for pattern ^X-[0-9]{4}$');
  });
});
