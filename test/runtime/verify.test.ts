import { describe, expect, it } from 'vitest';
import { verifyResponse } from '../../runtime/verify.js';
import { keys, PUBLIC_KEY_ID, wechatHeaders } from '../helpers.js';

const NOW = 1_700_000_000;
const BODY = '{"user_card_state":"EFFECTIVE"}';
const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const verifyKeys = { publicKeyId: PUBLIC_KEY_ID, publicKey: keys.wechatpayPublic };

const cases: { name: string; headers: Record<string, string | undefined>; body: string; want: string | undefined }[] = [
  { name: 'a correctly signed body', headers: lower(wechatHeaders(BODY, { timestamp: NOW })), body: BODY, want: undefined },
  { name: 'an empty 204 body signed as an empty line', headers: lower(wechatHeaders('', { timestamp: NOW })), body: '', want: undefined },
  { name: 'a timestamp 299 s old', headers: lower(wechatHeaders(BODY, { timestamp: NOW - 299 })), body: BODY, want: undefined },
  { name: 'a tampered body', headers: lower(wechatHeaders(BODY, { timestamp: NOW })), body: BODY.replace('EFFECTIVE', 'EXPIRED'), want: 'bad-signature' },
  { name: 'a 204 whose empty body was signed as something else', headers: lower(wechatHeaders('{}', { timestamp: NOW })), body: '', want: 'bad-signature' },
  { name: 'a signature by another key', headers: lower(wechatHeaders(BODY, { timestamp: NOW, key: keys.otherPrivate })), body: BODY, want: 'bad-signature' },
  { name: 'another serial', headers: lower(wechatHeaders(BODY, { timestamp: NOW, serial: 'PUB_KEY_ID_OTHER' })), body: BODY, want: 'serial-mismatch' },
  { name: 'a timestamp 301 s old', headers: lower(wechatHeaders(BODY, { timestamp: NOW - 301 })), body: BODY, want: 'stale-timestamp' },
  { name: 'a timestamp 301 s ahead', headers: lower(wechatHeaders(BODY, { timestamp: NOW + 301 })), body: BODY, want: 'stale-timestamp' },
  { name: 'a timestamp that is not a number', headers: { ...lower(wechatHeaders(BODY, { timestamp: NOW })), 'wechatpay-timestamp': '17e8' }, body: BODY, want: 'stale-timestamp' },
  ...['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'].map((h) => ({
    name: `no ${h}`,
    headers: { ...lower(wechatHeaders(BODY, { timestamp: NOW })), [h]: undefined },
    body: BODY,
    want: 'missing-header',
  })),
];

describe('verifyResponse', () => {
  it.each(cases)('$name → $want', ({ headers, body, want }) => {
    expect(verifyResponse({ headers, body: Buffer.from(body) }, verifyKeys, NOW)?.reason).toBe(want);
  });

  it('names the missing header in its message', () => {
    const headers = { ...lower(wechatHeaders(BODY, { timestamp: NOW })), 'wechatpay-nonce': undefined };
    expect(verifyResponse({ headers, body: Buffer.from(BODY) }, verifyKeys, NOW)?.message).toBe('response is missing Wechatpay-Nonce');
  });

  it('verifies the raw bytes: a body with non-ASCII text and exotic spacing', () => {
    const body = '{ "invalid_reason" :  "传入的自定义作废原因" }';
    expect(verifyResponse({ headers: lower(wechatHeaders(body, { timestamp: NOW })), body: Buffer.from(body) }, verifyKeys, NOW)).toBeUndefined();
  });
});
