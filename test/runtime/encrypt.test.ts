import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decrypt, decryptFields, encrypt, encryptFields, oaepLimit } from '../../runtime/encrypt.js';
import { mapStringsAt, parseFieldPath } from '../../runtime/fields.js';
import { KEY_DIR, keys, opensslOaepDecrypt } from '../helpers.js';

const WECHATPAY_KEY_FILE = path.join(KEY_DIR, 'wechatpay.key.pem');

describe('parseFieldPath', () => {
  it.each([
    ['phone_number', ['phone_number']],
    ['user_information.common_field_list[].value', ['user_information', 'common_field_list', '[]', 'value']],
    ['tags[]', ['tags', '[]']],
    ['matrix[][]', ['matrix', '[]', '[]']],
    ['a.b[].c[]', ['a', 'b', '[]', 'c', '[]']],
  ])('%s', (given, want) => expect(parseFieldPath(given)).toEqual(want));
});

describe('mapStringsAt', () => {
  const upper = (v: string, at: string) => `${v.toUpperCase()}@${at}`;
  it.each([
    { name: 'top-level field', given: { a: 'x', b: 'y' }, paths: ['a'], want: { a: 'X@a', b: 'y' } },
    { name: 'absent field is skipped', given: { b: 'y' }, paths: ['a'], want: { b: 'y' } },
    { name: 'nested array items', given: { u: { l: [{ v: 'p' }, { v: 'q' }, { n: 1 }] } }, paths: ['u.l[].v'], want: { u: { l: [{ v: 'P@u.l[0].v' }, { v: 'Q@u.l[1].v' }, { n: 1 }] } } },
    { name: 'array of strings', given: { t: ['a', 'b'] }, paths: ['t[]'], want: { t: ['A@t[0]', 'B@t[1]'] } },
    { name: 'nested array of strings', given: { c: [{ s: ['a'] }, { s: ['b', 'c'] }] }, paths: ['c[].s[]'], want: { c: [{ s: ['A@c[0].s[0]'] }, { s: ['B@c[1].s[0]', 'C@c[1].s[1]'] }] } },
    { name: 'non-string at the path is left alone', given: { a: 5, t: 'x' }, paths: ['a', 't[]'], want: { a: 5, t: 'x' } },
  ])('$name', ({ given, paths, want }) => {
    const before = structuredClone(given);
    expect(mapStringsAt(given, paths, upper)).toEqual(want);
    expect(given).toEqual(before);
  });

  it('shares untouched branches and copies touched ones', () => {
    const given = { keep: { deep: [1] }, u: { l: [{ v: 'p' }] } };
    const out = mapStringsAt(given, ['u.l[].v'], (v) => v + '!') as typeof given;
    expect(out.keep).toBe(given.keep);
    expect(out.u).not.toBe(given.u);
    expect(out.u.l).not.toBe(given.u.l);
  });
});

describe('encrypt', () => {
  it('produces OAEP-SHA1 ciphertext that openssl pkeyutl decrypts', () => {
    const ct = encrypt('13800138000', keys.wechatpayPublic);
    expect(Buffer.from(ct, 'base64')).toHaveLength(256);
    expect(opensslOaepDecrypt(ct, WECHATPAY_KEY_FILE)).toBe('13800138000');
  });

  it('is randomized: the same plaintext encrypts differently each time', () => {
    expect(encrypt('x', keys.wechatpayPublic)).not.toBe(encrypt('x', keys.wechatpayPublic));
  });

  it('round-trips UTF-8 through decrypt', () => {
    expect(decrypt(encrypt('北京市朝阳区', keys.merchantPublic), keys.merchantPrivate)).toBe('北京市朝阳区');
  });

  it('has a 214-byte limit for 2048-bit keys, which is exact', () => {
    expect(oaepLimit(keys.wechatpayPublic)).toBe(214);
    expect(() => encrypt('a'.repeat(214), keys.wechatpayPublic)).not.toThrow();
    expect(() => encrypt('a'.repeat(215), keys.wechatpayPublic)).toThrow();
  });
});

describe('encryptFields / decryptFields', () => {
  it('encrypts every marked field on a copy; openssl decrypts each', () => {
    const body = { phone_number: '13800138000', user_information: { common_field_list: [{ name: 'N', value: '张三' }, { name: 'M', value: 'b@x.cn' }] }, level: 'gold' };
    const before = structuredClone(body);
    const out = encryptFields(body, ['phone_number', 'user_information.common_field_list[].value'], keys.wechatpayPublic);
    expect(body).toEqual(before);
    expect(out.level).toBe('gold');
    expect(opensslOaepDecrypt(out.phone_number, WECHATPAY_KEY_FILE)).toBe('13800138000');
    expect(out.user_information.common_field_list.map((f) => opensslOaepDecrypt(f.value, WECHATPAY_KEY_FILE))).toEqual(['张三', 'b@x.cn']);
    expect(out.user_information.common_field_list.map((f) => f.name)).toEqual(['N', 'M']);
  });

  it('decryptFields reports the concrete path of a field that will not decrypt', () => {
    const body = { list: [{ v: encrypt('ok', keys.merchantPublic) }, { v: 'not-ciphertext' }] };
    expect(() =>
      decryptFields(body, ['list[].v'], keys.merchantPrivate, (p) => {
        throw new Error(`bad ${p}`);
      }),
    ).toThrow('bad list[1].v');
  });
});
