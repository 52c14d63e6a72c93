// The local WeChat Pay against requests no correct client sends (issue 26),
// over a real socket, byte for byte: each refused with WeChat's code, the
// field and what was wrong, signed; the bounded ones (an endless body, a
// header past the limit) answered before the rest is read, and the
// connection closed. Next to them, the near misses a correct client does
// send, accepted. The rows live in hostile-requests.ts, which the hostile
// soak (bench/hostile-soak.ts) sends too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWechatPay, type LocalWechatPay } from '../../generated/local-server.js';
import { DEFAULT_MAX_REQUEST_BYTES, MAX_ENCRYPTED_VALUES } from '../../runtime/local-server/index.js';
import { keys } from '../helpers.js';
import { acceptedCases, mismatch, refusedCases, send, type Target } from './hostile-requests.js';

let server: LocalWechatPay;
let target: Target;

beforeAll(async () => {
  server = await startLocalWechatPay({ keys: { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate } });
  const { mchid, serialNo, wechatpayPublicKeyId } = server.clientConfig;
  target = { url: server.url, mchid, serialNo, merchantPrivateKey: keys.merchantPrivate, wechatpayPublicKey: keys.wechatpayPublic, wechatpayPublicKeyId: wechatpayPublicKeyId! };
});
afterAll(() => server.close());

// The cases are built once the server's address is known; the names are the table's rows.
const names = (make: (t: Target) => { name: string }[]) => make({ url: 'http://127.0.0.1:1', mchid: '', serialNo: '', merchantPrivateKey: keys.merchantPrivate, wechatpayPublicKey: keys.wechatpayPublic, wechatpayPublicKeyId: '' }).map((c) => c.name);
const byName = <C extends { name: string }>(make: (t: Target) => C[], name: string) => make(target).find((c) => c.name === name)!;

describe('refused, with the code and the field', () => {
  it.each(names(refusedCases))('%s', async (name) => {
    const { given, want } = byName(refusedCases, name);
    const answer = await send(target, given);
    expect(mismatch(answer, want), JSON.stringify(answer.body)).toBeUndefined();
    expect(answer.body!.message).toEqual(expect.any(String));
    // What was cut short is not read on: the connection goes with the answer.
    if (want.status === 413 || want.field === '(request)') expect(answer.headers['connection']).toBe('close');
  });

  it('answers an endless body before the rest is sent: at the limit, not at the end', async () => {
    const { given } = byName(refusedCases, 'an endless chunked body, unsigned');
    const answer = await send(target, given);
    expect(answer.status).toBe(413);
    expect(answer.written).toBeLessThan(given.stream!.upTo);
    expect(answer.written).toBeGreaterThan(DEFAULT_MAX_REQUEST_BYTES);
  });

  it('decrypts nothing of a request over the cap: the field named is the first past it', async () => {
    const { given } = byName(refusedCases, 'a signed confirm with 2,000 encrypted common_field_list values');
    const answer = await send(target, given);
    // phone_number is the first marked value, so the cap is reached inside the list.
    expect(answer.body?.detail?.field).toBe(`user_information.common_field_list[${MAX_ENCRYPTED_VALUES - 1}].value`);
    expect(server.requests().at(-1)).toMatchObject({ verdict: 'PARAM_ERROR', encryptedFields: [] });
  });
});

describe('maxRequestBytes', () => {
  it('is the server option: a correct call over it is 413, and it must be a positive integer', async () => {
    const small = await startLocalWechatPay({ keys: { merchantPublicKey: keys.merchantPublic, wechatpayPrivateKey: keys.wechatpayPrivate }, maxRequestBytes: 100 });
    try {
      const { given } = byName(acceptedCases, 'a correct confirm');
      expect(mismatch(await send({ ...target, url: small.url }, given), { status: 413, code: 'INVALID_REQUEST', field: '(body)', issue: 'maxBytes' })).toBeUndefined();
    } finally {
      await small.close();
    }
    for (const maxRequestBytes of [0, -1, 1.5, Number.NaN]) await expect(startLocalWechatPay({ maxRequestBytes })).rejects.toThrow('maxRequestBytes must be a positive integer');
  });
});

describe('accepted: what correct clients send', () => {
  it.each(names(acceptedCases))('%s', async (name) => {
    const { given } = byName(acceptedCases, name);
    const answer = await send(target, given);
    expect(answer.body?.message ?? '').toBe('');
    expect(answer).toMatchObject({ status: 200, signed: true });
  });
});
