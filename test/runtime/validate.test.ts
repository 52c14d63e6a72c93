import { describe, expect, it } from 'vitest';
import { validate, type Rule } from '../../runtime/validate.js';

const plain = { encrypted: { mode: 'plaintext' as const, oaepLimit: 214 } };
const wire = { encrypted: { mode: 'ciphertext' as const } };

const card: Rule = {
  type: 'object',
  required: ['code', 'state'],
  properties: {
    code: { type: 'string', maxLength: 4 },
    state: { type: 'string', enum: ['ON', 'OFF'] },
    color: { type: 'string', pattern: '^#[0-9A-F]{6}$' },
    at: { type: 'string', format: 'date-time' },
    days: { type: 'integer', maximum: 10958, minimum: 1 },
    flag: { type: 'boolean' },
    phone: { type: 'string', maxLength: 512, pattern: '^1\\d{10}$', encrypted: true },
    level: { type: 'integer', enum: [1, 2, 3] },
    vip: { type: 'boolean', enum: [true] },
    nick: { type: 'string', minLength: 2, maxLength: 3 },
    day: { type: 'string', format: 'date' },
    site: { type: 'string', format: 'uri' },
    note: { type: 'string', nullable: true },
    count: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    many: { type: 'array', minItems: 2, items: { type: 'integer' } },
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
  { name: 'plaintext over the OAEP limit', given: { ...ok, phone: 'x'.repeat(215) }, want: [['phone', 'encryptedLength'], ['phone', 'pattern']] },
  { name: 'pattern applies to the plaintext of an encrypted field', given: { ...ok, phone: '2380013800' }, want: [['phone', 'pattern']] },
  { name: 'integer enum', given: { ...ok, level: 4 }, want: [['level', 'enum']] },
  { name: 'integer enum member', given: { ...ok, level: 3 }, want: [] },
  { name: 'boolean enum', given: { ...ok, vip: false }, want: [['vip', 'enum']] },
  { name: 'minLength counts characters', given: { ...ok, nick: '😀' }, want: [['nick', 'minLength']] },
  { name: 'minLength met by two astral characters', given: { ...ok, nick: '😀😀' }, want: [] },
  { name: 'date-time on 31 February', given: { ...ok, at: '2025-02-31T00:00:00Z' }, want: [['at', 'format']] },
  { name: 'date-time on 29 February of a leap year', given: { ...ok, at: '2024-02-29T00:00:00+08:00' }, want: [] },
  { name: 'date-time on 29 February of 1900 (not leap)', given: { ...ok, at: '1900-02-29T00:00:00Z' }, want: [['at', 'format']] },
  { name: 'date-time on 29 February of 2000 (leap)', given: { ...ok, at: '2000-02-29T23:59:59Z' }, want: [] },
  { name: 'date-time on 31 April', given: { ...ok, at: '2025-04-31T00:00:00Z' }, want: [['at', 'format']] },
  { name: 'date-time without an offset', given: { ...ok, at: '2025-01-01T00:00:00' }, want: [['at', 'format']] },
  { name: 'date', given: { ...ok, day: '2024-02-29' }, want: [] },
  { name: 'date on 29 February of a common year', given: { ...ok, day: '2023-02-29' }, want: [['day', 'format']] },
  { name: 'date with a time', given: { ...ok, day: '2023-02-01T00:00:00Z' }, want: [['day', 'format']] },
  { name: 'uri', given: { ...ok, site: 'https://pay.weixin.qq.com/doc?x=1' }, want: [] },
  { name: 'uri without a scheme', given: { ...ok, site: 'pay.weixin.qq.com/doc' }, want: [['site', 'format']] },
  { name: 'uri with a space', given: { ...ok, site: 'https://a.b/c d' }, want: [['site', 'format']] },
  { name: 'null where nullable', given: { ...ok, note: null }, want: [] },
  { name: 'null where not nullable', given: { ...ok, level: null }, want: [['level', 'type']] },
  { name: 'int32 range', given: { ...ok, count: 2147483648 }, want: [['count', 'maximum']] },
  { name: 'number range', given: { ...ok, ratio: 1.5 }, want: [['ratio', 'maximum']] },
  { name: 'minItems', given: { ...ok, many: [1] }, want: [['many', 'minItems']] },
  { name: 'unknown field in a nested object (objects are always closed)', given: { ...ok, info: { v: 'x', w: 1 } }, want: [['info.w', 'unknownField']] },
  { name: 'plaintext limit is in UTF-8 bytes', given: { ...ok, info: { v: '中'.repeat(72) } }, want: [['info.v', 'encryptedLength']] },
  { name: 'plaintext at the limit', given: { ...ok, info: { v: 'x'.repeat(214) } }, want: [] },
  { name: 'several issues at once', given: { code: 'abcde', state: 'X', days: 'y' }, want: [['code', 'maxLength'], ['state', 'enum'], ['days', 'type']] },
];

describe('validate (client side: plaintext)', () => {
  it.each(cases)('$name', ({ given, want }) => {
    expect(validate(given, card, plain).map((i) => [i.path, i.rule])).toEqual(want);
  });

  it('never quotes a value in its messages', () => {
    const issues = validate({ code: 'SECRET-VALUE', state: 'SECRET-STATE', phone: 'SECRET'.repeat(50) }, card, plain);
    expect(issues).toHaveLength(4);
    for (const i of issues) expect(i.message).not.toContain('SECRET');
  });
});

describe('validate (server side: ciphertext)', () => {
  const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
  it.each<{ name: string; phone: string; want: [string, string][] }>([
    { name: 'base64 within maxLength', phone: b64(256), want: [] },
    { name: 'maxLength applies to the ciphertext', phone: b64(390), want: [['phone', 'maxLength']] },
    { name: 'plaintext rules (pattern) wait until decryption', phone: b64(3), want: [] },
    { name: 'not base64', phone: '13800138000!', want: [['phone', 'ciphertext']] },
    { name: 'empty', phone: '', want: [['phone', 'ciphertext']] },
  ])('$name', ({ phone, want }) => {
    expect(validate({ ...ok, phone }, card, wire).map((i) => [i.path, i.rule])).toEqual(want);
  });
});
