import { describe, expect, it } from 'vitest';
import { validate, type Rule } from '../../runtime/validate.js';

const plain = { encrypted: { mode: 'plaintext' as const, oaepLimit: 214 } };
const wire = { encrypted: { mode: 'ciphertext' as const } };

const card: Rule = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'state'],
  properties: {
    code: { type: 'string', maxLength: 4 },
    state: { type: 'string', enum: ['ON', 'OFF'] },
    color: { type: 'string', pattern: '^#[0-9A-F]{6}$' },
    at: { type: 'string', format: 'date-time' },
    days: { type: 'integer', maximum: 10958, minimum: 1 },
    flag: { type: 'boolean' },
    phone: { type: 'string', maxLength: 512, encrypted: true },
    tags: { type: 'array', maxItems: 1, items: { type: 'string', maxLength: 2 } },
    info: { type: 'object', properties: { v: { type: 'string', encrypted: true } } },
    loose: { type: 'any' },
  },
};

const ok = { code: 'ab', state: 'ON' };
const cases: { name: string; given: Record<string, unknown>; want: [string, string][] }[] = [
  { name: 'minimal valid', given: ok, want: [] },
  { name: 'all fields valid', given: { ...ok, color: '#FFFF00', at: '2015-05-20T13:29:35+08:00', days: 10958, flag: false, phone: '13800138000', tags: ['ab'], info: { v: 'x' }, loose: { any: [1] } }, want: [] },
  { name: 'fractional seconds and Z', given: { ...ok, at: '2020-05-20T13:29:35.120Z' }, want: [] },
  { name: 'missing required', given: { state: 'ON' }, want: [['code', 'required']] },
  { name: 'undefined counts as missing', given: { code: undefined, state: 'ON' }, want: [['code', 'required']] },
  { name: 'too long by one', given: { ...ok, code: 'abcde' }, want: [['code', 'maxLength']] },
  { name: 'length counts characters, not UTF-16 units', given: { ...ok, code: '😀😀😀😀' }, want: [] },
  { name: 'Chinese characters count one each', given: { ...ok, code: '微信支付测' }, want: [['code', 'maxLength']] },
  { name: 'enum', given: { ...ok, state: 'on' }, want: [['state', 'enum']] },
  { name: 'pattern', given: { ...ok, color: 'red' }, want: [['color', 'pattern']] },
  { name: 'format', given: { ...ok, at: '2015-05-20 13:29:35' }, want: [['at', 'format']] },
  { name: 'maximum', given: { ...ok, days: 10959 }, want: [['days', 'maximum']] },
  { name: 'minimum', given: { ...ok, days: 0 }, want: [['days', 'minimum']] },
  { name: 'integer type', given: { ...ok, days: 1.5 }, want: [['days', 'type']] },
  { name: 'string type', given: { ...ok, code: 12 }, want: [['code', 'type']] },
  { name: 'boolean type', given: { ...ok, flag: 'false' }, want: [['flag', 'type']] },
  { name: 'null is not a string', given: { ...ok, code: null }, want: [['code', 'type']] },
  { name: 'maxItems', given: { ...ok, tags: ['a', 'b'] }, want: [['tags', 'maxItems']] },
  { name: 'array item rule with index', given: { ...ok, tags: ['abc'] }, want: [['tags[0]', 'maxLength']] },
  { name: 'unknown field', given: { ...ok, colour: '#FFF' }, want: [['colour', 'unknownField']] },
  { name: 'nested object type', given: { ...ok, info: 'x' }, want: [['info', 'type']] },
  { name: 'plaintext over the OAEP limit', given: { ...ok, phone: 'x'.repeat(215) }, want: [['phone', 'encryptedLength']] },
  { name: 'plaintext limit is in UTF-8 bytes', given: { ...ok, info: { v: '中'.repeat(72) } }, want: [['info.v', 'encryptedLength']] },
  { name: 'plaintext at the limit', given: { ...ok, phone: 'x'.repeat(214) }, want: [] },
  { name: 'several issues at once', given: { code: 'abcde', state: 'X', days: 'y' }, want: [['code', 'maxLength'], ['state', 'enum'], ['days', 'type']] },
];

describe('validate (client side: plaintext)', () => {
  it.each(cases)('$name', ({ given, want }) => {
    expect(validate(given, card, plain).map((i) => [i.path, i.rule])).toEqual(want);
  });

  it('never quotes a value in its messages', () => {
    const issues = validate({ code: 'SECRET-VALUE', state: 'SECRET-STATE', phone: 'SECRET'.repeat(50) }, card, plain);
    expect(issues).toHaveLength(3);
    for (const i of issues) expect(i.message).not.toContain('SECRET');
  });
});

describe('validate (server side: ciphertext)', () => {
  it('applies maxLength to the ciphertext of an encrypted field', () => {
    expect(validate({ ...ok, phone: 'x'.repeat(513) }, card, wire).map((i) => [i.path, i.rule])).toEqual([['phone', 'maxLength']]);
    expect(validate({ ...ok, phone: 'x'.repeat(512) }, card, wire)).toEqual([]);
  });
});
