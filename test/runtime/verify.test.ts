import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { platformCertificate } from '../../runtime/certificates.js';
import { keyId, publicKeyEntry, verifySignature, type KeySet, type VerificationKey } from '../../runtime/verify.js';
import { keys, PUBLIC_KEY_ID, ROOT, wechatHeaders } from '../helpers.js';

const NOW = 1_700_000_000;
const BODY = '{"user_card_state":"EFFECTIVE"}';
const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const signed = (body: string, o: Parameters<typeof wechatHeaders>[1] = {}) => lower(wechatHeaders(body, { timestamp: NOW, ...o }));
const keySet = (...entries: VerificationKey[]): KeySet => new Map(entries.map((e) => [keyId(e.id), e]));
const publicKeyOnly = keySet(publicKeyEntry(PUBLIC_KEY_ID, keys.wechatpayPublic));
const good = signed(BODY);
const sig = good['wechatpay-signature']!;

const cases: { name: string; headers: Record<string, string | undefined>; body?: string; want: string | undefined }[] = [
  { name: 'a correctly signed body', headers: good, want: undefined },
  { name: 'an empty 204 body signed as an empty line', headers: signed(''), body: '', want: undefined },
  { name: 'a timestamp 299 s old', headers: signed(BODY, { timestamp: NOW - 299 }), want: undefined },
  { name: 'a tampered body', headers: good, body: BODY.replace('EFFECTIVE', 'EXPIRED'), want: 'bad-signature' },
  { name: 'a 204 whose empty body was signed as something else', headers: signed('{}'), body: '', want: 'bad-signature' },
  { name: 'a signature by another key', headers: signed(BODY, { key: keys.otherPrivate }), want: 'bad-signature' },
  { name: 'a WECHATPAY/SIGNTEST/ probe of the right length', headers: { ...good, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${sig.slice(19)}` }, want: 'bad-signature' },
  { name: 'a short WECHATPAY/SIGNTEST/ probe', headers: { ...good, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abcd' }, want: 'bad-signature' },
  { name: 'another public key id', headers: signed(BODY, { serial: 'PUB_KEY_ID_OTHER' }), want: 'unknown-serial' },
  { name: 'a certificate serial, with only the public key configured', headers: signed(BODY, { serial: 'D7CE59D1F522D701' }), want: 'unknown-serial' },
  { name: 'a timestamp 301 s old', headers: signed(BODY, { timestamp: NOW - 301 }), want: 'stale-timestamp' },
  { name: 'a timestamp 301 s ahead', headers: signed(BODY, { timestamp: NOW + 301 }), want: 'stale-timestamp' },
  { name: 'a timestamp in exponent notation', headers: { ...good, 'wechatpay-timestamp': '17e8' }, want: 'malformed-timestamp' },
  { name: 'a timestamp that is not a number', headers: { ...good, 'wechatpay-timestamp': 'abc' }, want: 'malformed-timestamp' },
  { name: 'a negative timestamp', headers: { ...good, 'wechatpay-timestamp': `-${NOW}` }, want: 'malformed-timestamp' },
  { name: 'two signature headers, joined by the HTTP stack', headers: { ...good, 'wechatpay-signature': `${sig}, ${sig}` }, want: 'duplicate-header' },
  { name: 'two timestamp headers', headers: { ...good, 'wechatpay-timestamp': `${NOW}, ${NOW}` }, want: 'duplicate-header' },
  { name: 'two serial headers', headers: { ...good, 'wechatpay-serial': `${PUBLIC_KEY_ID}, ${PUBLIC_KEY_ID}` }, want: 'duplicate-header' },
  { name: 'a signature with trailing garbage', headers: { ...good, 'wechatpay-signature': `${sig}AAAA` }, want: 'malformed-signature' },
  { name: 'a signature cut short', headers: { ...good, 'wechatpay-signature': sig.slice(0, 200) }, want: 'malformed-signature' },
  { name: 'a signature with a space inside', headers: { ...good, 'wechatpay-signature': `${sig.slice(0, 100)} ${sig.slice(101)}` }, want: 'malformed-signature' },
  { name: 'a signature in base64url', headers: { ...good, 'wechatpay-signature': sig.replace(/\+/g, '-').replace(/\//g, '_').replace(/^[^-_]*$/, (s) => `-${s.slice(1)}`) }, want: 'malformed-signature' },
  ...['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'].map((h) => ({ name: `no ${h}`, headers: { ...good, [h]: undefined }, want: 'missing-header' })),
  { name: 'an empty wechatpay-signature', headers: { ...good, 'wechatpay-signature': '' }, want: 'missing-header' },
];

describe('verifySignature with the public key', () => {
  it.each(cases)('$name → $want', ({ headers, body, want }) => {
    expect(verifySignature({ headers, body: Buffer.from(body ?? BODY) }, publicKeyOnly, NOW)?.reason).toBe(want);
  });

  it.each([
    { given: { 'wechatpay-nonce': undefined }, want: 'missing Wechatpay-Nonce' },
    { given: { 'wechatpay-timestamp': 'abc' }, want: 'Wechatpay-Timestamp "abc" is not a number of seconds' },
    { given: { 'wechatpay-signature': `${sig}, ${sig}` }, want: 'Wechatpay-Signature arrived more than once (or holds a comma)' },
    { given: { 'wechatpay-signature': 'AAAA' }, want: 'Wechatpay-Signature is not one base64 signature of 344 characters (got 4)' },
    { given: { 'wechatpay-serial': `PUB_KEY_ID_${'9'.repeat(200)}` }, want: `Wechatpay-Serial "PUB_KEY_ID_${'9'.repeat(53)}…" is not the configured WeChat Pay public key id` },
  ])('says what failed: $want', ({ given, want }) => {
    expect(verifySignature({ headers: { ...good, ...given }, body: Buffer.from(BODY) }, publicKeyOnly, NOW)?.message).toBe(want);
  });

  it('verifies the raw bytes: a body with non-ASCII text and exotic spacing', () => {
    const body = '{ "invalid_reason" :  "传入的自定义作废原因" }';
    expect(verifySignature({ headers: signed(body), body: Buffer.from(body) }, publicKeyOnly, NOW)).toBeUndefined();
  });
});

// Real material signed by a platform certificate (wechatpay-go's test suite; see the vectors' README).
describe('verifySignature with a platform certificate: the wechatpay-go vector', () => {
  const vector = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/vectors/wechatpay-go-notify.json'), 'utf8')) as {
    now_unix: number;
    platform_certificate_pem: string;
    platform_certificate_serial: string;
    headers: Record<string, string>;
    body: string;
  };
  const cert = platformCertificate(vector.platform_certificate_pem);
  const headers = lower(vector.headers);
  const body = Buffer.from(vector.body);
  const both = keySet(cert, publicKeyEntry(PUBLIC_KEY_ID, keys.wechatpayPublic));

  it('reads the serial and the validity from the certificate', () => {
    expect(cert).toMatchObject({ id: vector.platform_certificate_serial, kind: 'certificate', signatureChars: 344 });
    expect(new Date(cert.notBefore * 1000).toISOString()).toBe('2021-04-27T08:55:23.000Z');
    expect(new Date(cert.notAfter * 1000).toISOString()).toBe('2031-04-25T08:55:23.000Z');
  });

  it.each([
    { name: 'at its own clock, certificate alone', keys: keySet(cert), now: vector.now_unix, given: {}, want: undefined },
    { name: 'at its own clock, certificate beside the public key (the switch)', keys: both, now: vector.now_unix, given: {}, want: undefined },
    { name: 'the serial in lower case', keys: keySet(cert), now: vector.now_unix, given: { 'wechatpay-serial': vector.platform_certificate_serial.toLowerCase() }, want: undefined },
    { name: 'with only the public key configured', keys: publicKeyOnly, now: vector.now_unix, given: {}, want: 'unknown-serial' },
    { name: 'a body byte changed', keys: keySet(cert), now: vector.now_unix, given: { 'wechatpay-nonce': `${vector.headers['Wechatpay-Nonce']}x` }, want: 'bad-signature' },
    { name: '301 s later', keys: keySet(cert), now: vector.now_unix + 301, given: {}, want: 'stale-timestamp' },
    { name: 'after the certificate expired', keys: keySet(cert), now: cert.notAfter, given: {}, want: 'expired-certificate' },
    { name: 'before the certificate is valid', keys: keySet(cert), now: cert.notBefore - 1, given: {}, want: 'certificate-not-yet-valid' },
  ])('$name → $want', ({ keys: set, now, given, want }) => {
    expect(verifySignature({ headers: { ...headers, ...given }, body }, set, now)?.reason).toBe(want);
  });

  it('a signature by the public key verifies in the same key set (the switch)', () => {
    expect(verifySignature({ headers: signed(BODY), body: Buffer.from(BODY) }, both, NOW)).toBeUndefined();
  });
});
