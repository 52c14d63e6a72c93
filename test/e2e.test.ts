// End to end over real loopback HTTP, no mocks: the generated client against
// the local WeChat Pay server, real signatures in both directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import {
  ApiError,
  createClient,
  InvalidRequestError,
  NetworkError,
  NoAuthError,
  RateLimitError,
  SignError,
  SystemError,
  TimeoutError,
  VerificationError,
  WechatPayError,
  type MembercardClient,
} from '../generated/index.js';
import { encrypt } from '../runtime/encrypt.js';
import { fetchTransport } from '../runtime/transport.js';
import { startLocalWechatPay, type LocalWechatPay } from '../generated/local-server.js';
import { DEFAULT_TEMPLATES } from '../runtime/local-server/index.js';
import { authorization } from '../runtime/sign.js';
import { keys } from './helpers.js';

const WEIRD_CARD = "c'/?&#+% 会员";
const CARD = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
let server: LocalWechatPay;
let client: MembercardClient;

const confirm = (code: string, extra: Record<string, unknown> = {}) =>
  client.confirmUserCard({ user_card_code: code, card_id: CARD, brand_id: '1004', openid: `o-${code}`, phone_number: '13800138000', user_card_confirm_state: 'CREATE_CARD_SUCCESS', ...extra });

async function failure(p: Promise<unknown>): Promise<WechatPayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WechatPayError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  server = await startLocalWechatPay({
    keys: { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate },
    templates: [...DEFAULT_TEMPLATES, { card_id: WEIRD_CARD, brand_id: "b&'=1", card_type: 'NORMAL', code_mode: 'REAL_TIME', fields: {} }],
  });
  client = createClient({ ...server.clientConfig, timeoutMs: 2000, decryptResponses: true });
});
afterAll(async () => {
  client.close();
  await server.close();
});

describe('the three operations', () => {
  it('confirm, invalidate, invalidate again, update: each verified, state kept between calls', async () => {
    const card = await confirm('e2e-1', { user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_NAME', value: '张三' }] } });
    expect(card).toMatchObject({ user_card_code: 'e2e-1', user_card_state: 'EFFECTIVE', phone_number: '13800138000', card_type: 'NORMAL' });
    expect(card.user_information?.common_field_list?.[0]?.value).toBe('张三');
    expect(server.requests().at(-1)).toMatchObject({ operationId: 'confirmUserCard', status: 200, verdict: 'OK', encryptedFields: ['phone_number', 'user_information.common_field_list[].value'] });

    const invalid = await client.invalidateUserCard({ user_card_code: 'e2e-1', brand_id: '1004', card_id: CARD, openid: 'o-e2e-1', invalid_reason: '用户注销' });
    expect(invalid).toMatchObject({ user_card_state: 'INVALID', invalid_reason: '用户注销' });
    const again = await client.invalidateUserCard({ user_card_code: 'e2e-1', brand_id: '1004', card_id: CARD, openid: 'o-e2e-1', invalid_reason: '再次' });
    expect(again).toMatchObject({ user_card_state: 'INVALID', invalid_reason: '用户注销', invalid_time: invalid.invalid_time });

    await expect(client.updateCardTemplate({ card_id: CARD, title: '新卡名', code_mode: 'REAL_TIME' })).resolves.toBeUndefined();
    expect(server.cards.template(CARD)).toMatchObject({ code_mode: 'REAL_TIME', fields: { title: '新卡名' } });
  });

  it('business rules answer with their documented errors', async () => {
    const wrongBrand = await failure(client.confirmUserCard({ user_card_code: 'b1', card_id: CARD, brand_id: '9999', openid: 'o', user_card_confirm_state: 'CREATE_CARD_SUCCESS' }));
    expect(wrongBrand).toBeInstanceOf(InvalidRequestError);
    expect(wrongBrand).toMatchObject({ status: 400, code: 'INVALID_REQUEST', wechatMessage: '会员卡模版ID不属于该品牌', requestId: expect.stringMatching(/^[0-9A-F]{32}$/) });
    const toSystem = await failure(client.updateCardTemplate({ card_id: CARD, code_mode: 'SYSTEM_ALLOCATE' }));
    expect(toSystem).toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡code分配类型不支持修改为“系统分配”' });
    const fromSystem = await failure(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-SYSTEMALLOC0', code_mode: 'REAL_TIME' }));
    expect(fromSystem).toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡code分配类型不支持修改' });
    // Sending the mode a SYSTEM_ALLOCATE card already has is no change (the page's own example does it).
    await expect(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-SYSTEMALLOC0', code_mode: 'SYSTEM_ALLOCATE' })).resolves.toBeUndefined();
    expect(await failure(client.updateCardTemplate({ card_id: 'nope', title: 't' }))).toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡ID无效' });
  });
});

describe('faults', () => {
  it.each([
    { fault: { type: 'bad-signature' }, Class: VerificationError, want: { reason: 'bad-signature', status: 200 } },
    { fault: { type: 'stale-timestamp' }, Class: VerificationError, want: { reason: 'stale-timestamp', status: 200 } },
    { fault: { type: 'wrong-serial' }, Class: VerificationError, want: { reason: 'unknown-serial', status: 200 } },
    { fault: { type: 'missing-signature' }, Class: VerificationError, want: { reason: 'missing-header', status: 200 } },
    { fault: { type: 'truncated-json' }, Class: VerificationError, want: { reason: 'invalid-json', status: 200 } },
    { fault: { type: 'system-error' }, Class: SystemError, want: { status: 500, code: 'SYSTEM_ERROR' } },
    { fault: { type: 'rate-limit' }, Class: RateLimitError, want: { status: 429, code: 'RATELIMIT_EXCEEDED' } },
    { fault: { type: 'html-502' }, Class: ApiError, want: { status: 502, code: undefined } },
    { fault: { type: 'business-error', status: 403, code: 'NO_AUTH', message: '商户暂无权限使用此功能' }, Class: NoAuthError, want: { status: 403, code: 'NO_AUTH', wechatMessage: '商户暂无权限使用此功能' } },
  ] as const)('$fault.type → $Class.name', async ({ fault, Class, want }) => {
    server.inject(fault);
    const e = await failure(confirm(`fault-${fault.type}`));
    expect(e).toBeInstanceOf(Class);
    expect(e).toMatchObject({ ...want, operation: 'confirmUserCard', requestId: server.requests().at(-1)!.requestId });
  });

  it('a 204 with a bad signature is an error too', async () => {
    server.inject({ type: 'bad-signature' });
    expect(await failure(client.updateCardTemplate({ card_id: CARD, title: 'x' }))).toMatchObject({ reason: 'bad-signature', status: 204 });
  });

  it('a delay past the timeout → TimeoutError; a dropped connection → NetworkError', async () => {
    server.inject({ type: 'delay', ms: 2500 });
    expect(await failure(confirm('slow'))).toBeInstanceOf(TimeoutError);
    server.inject({ type: 'drop-connection' });
    const dropped = await failure(confirm('dropped'));
    expect(dropped).toBeInstanceOf(NetworkError);
    expect(dropped).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
  });

  it('a kept-alive connection reset under a call: sent once more on a fresh one, and then even a 4xx says the call may have taken effect', async () => {
    await confirm('resend-warm'); // leaves a kept-alive socket for the next call to reuse
    server.inject({ type: 'drop-connection' });
    server.inject({ type: 'business-error', status: 400, code: 'INVALID_REQUEST', message: '请求重复' });
    const e = await failure(confirm('resend'));
    expect(e).toBeInstanceOf(InvalidRequestError);
    // The server read the first attempt before dropping it: the refusal of the second cannot undo it.
    expect(server.requests().slice(-2).map((r) => r.verdict)).toEqual(['DROPPED', 'INVALID_REQUEST']);
    expect(e.mayHaveTakenEffect).toBe(true);

    // The same refusal without a resend: WeChat refused it, nothing happened.
    server.inject({ type: 'business-error', status: 400, code: 'INVALID_REQUEST', message: '请求重复' });
    expect(await failure(confirm('no-resend'))).toMatchObject({ code: 'INVALID_REQUEST', mayHaveTakenEffect: false });

    // A resend that succeeds is plain data.
    server.inject({ type: 'drop-connection' });
    await expect(confirm('resend-ok')).resolves.toMatchObject({ user_card_code: 'resend-ok', user_card_state: 'EFFECTIVE' });
  });

  it('retries SYSTEM_ERROR when opted in, and succeeds on the next try', async () => {
    const retrying = createClient({ ...server.clientConfig, retry: { retries: 2, baseDelayMs: 1 } });
    server.inject({ type: 'system-error' }, 2);
    await expect(retrying.confirmUserCard({ user_card_code: 'retry', card_id: CARD, brand_id: '1004', openid: 'o', user_card_confirm_state: 'CREATE_CARD_SUCCESS' })).resolves.toMatchObject({ user_card_state: 'EFFECTIVE' });
    expect(server.requests().slice(-3).map((r) => r.verdict)).toEqual(['SYSTEM_ERROR', 'SYSTEM_ERROR', 'OK']);
    retrying.close();
  });
});

describe('concurrency', () => {
  it('64 concurrent confirms: every response matches its request, and no nonce is reused (the server refuses replays)', async () => {
    const codes = Array.from({ length: 64 }, (_, i) => `c64-${i}`);
    const before = server.requests().length;
    const cards = await Promise.all(codes.map((code) => confirm(code)));
    expect(cards.map((c) => [c.user_card_code, c.openid])).toEqual(codes.map((c) => [c, `o-${c}`]));
    const records = server.requests().slice(before);
    expect(records).toHaveLength(64);
    expect(records.every((r) => r.verdict === 'OK')).toBe(true);
  });
});

describe('path and query encoding', () => {
  it.each(["it's", '12/34', 'a?b', 'a&b', 'a#b', 'a b', 'a+b', '100%', '会员卡'])('user_card_code %j round-trips as one path segment', async (code) => {
    const card = await confirm(code);
    expect(card.user_card_code).toBe(code);
  });

  it('query values with every special character are signed as sent and decoded by the server', async () => {
    await client.confirmUserCard({ user_card_code: 'q1', card_id: WEIRD_CARD, brand_id: "b&'=1", openid: 'o-q1', user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
    const card = await client.invalidateUserCard({ user_card_code: 'q1', brand_id: "b&'=1", card_id: WEIRD_CARD, openid: 'o-q1' });
    expect(card).toMatchObject({ card_id: WEIRD_CARD, brand_id: "b&'=1", user_card_state: 'INVALID' });
    expect(server.requests().at(-1)!.target).toBe(`/v3/brand/partner/card-member/user-cards/q1/invalidate?brand_id=b%26%27%3D1&card_id=c%27%2F%3F%26%23%2B%25%20%E4%BC%9A%E5%91%98`);
  });
});

describe('over fetch instead of node:http', () => {
  it('signs what fetch sends: special characters in path and query survive its URL parser', async () => {
    const viaFetch = createClient({ ...server.clientConfig, transport: fetchTransport() });
    const code = "f'/?&#+% 会员";
    await expect(viaFetch.confirmUserCard({ user_card_code: code, card_id: WEIRD_CARD, brand_id: "b&'=1", openid: 'o-f', user_card_confirm_state: 'CREATE_CARD_SUCCESS' })).resolves.toMatchObject({ user_card_code: code, card_id: WEIRD_CARD });
    await expect(viaFetch.invalidateUserCard({ user_card_code: code, brand_id: "b&'=1", card_id: WEIRD_CARD, openid: 'o-f' })).resolves.toMatchObject({ user_card_state: 'INVALID' });
    await expect(viaFetch.updateCardTemplate({ card_id: WEIRD_CARD, title: 'f' })).resolves.toBeUndefined();
    server.inject({ type: 'delay', ms: 2500 });
    expect(await failure(createClient({ ...server.clientConfig, transport: fetchTransport(), timeoutMs: 100 }).confirmUserCard({ user_card_code: 'ft', card_id: CARD, brand_id: '1004', openid: 'o', user_card_confirm_state: 'CREATE_CARD_FAIL' }))).toBeInstanceOf(TimeoutError);
  });
});

describe("the server's own checks", () => {
  /** A request the client would never send, signed correctly unless told otherwise. */
  function raw(o: { method?: string; target: string; body: unknown; nonce?: string; key?: typeof keys.merchantPrivate; headers?: Record<string, string | undefined> }) {
    const body = JSON.stringify(o.body);
    const method = o.method ?? 'POST';
    const auth = authorization({ method, pathWithQuery: o.target, body, timestamp: Math.floor(Date.now() / 1000), nonce: o.nonce ?? `n-${Math.random()}`, mchid: server.clientConfig.mchid, serialNo: server.clientConfig.serialNo, privateKey: o.key ?? keys.merchantPrivate });
    const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json', 'Wechatpay-Serial': server.clientConfig.wechatpayPublicKeyId!, Authorization: auth };
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v === undefined) delete headers[k];
    else headers[k] = v;
    return new Promise<{ status: number; body: { code: string; message: string; detail?: { field?: string } } }>((resolve, reject) => {
      const req = http.request(`${server.url}${o.target}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const TARGET = `/v3/brand/partner/card-member/user-cards/s1/confirm?card_id=${CARD}`;
  const good = () => ({ brand_id: '1004', openid: 'o', phone_number: encrypt('13800138000', keys.wechatpayPublic), user_card_confirm_state: 'CREATE_CARD_SUCCESS' });

  it('accepts a correct raw request (so the refusals below are about what they change)', async () => {
    expect(await raw({ target: TARGET, body: good() })).toMatchObject({ status: 200 });
  });

  it('refuses a request signed with the wrong key: 401 SIGN_ERROR', async () => {
    expect(await raw({ target: TARGET, body: good(), key: keys.otherPrivate })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' } });
    const wrongKeyClient = createClient({ ...server.clientConfig, privateKey: keys.otherPrivate });
    expect(await failure(wrongKeyClient.confirmUserCard({ user_card_code: 'w', card_id: CARD, brand_id: '1004', openid: 'o', user_card_confirm_state: 'CREATE_CARD_FAIL' }))).toBeInstanceOf(SignError);
    wrongKeyClient.close();
  });

  it('refuses a replayed nonce: 401 SIGN_ERROR', async () => {
    expect(await raw({ target: TARGET, body: good(), nonce: 'REPLAYED-NONCE' })).toMatchObject({ status: 200 });
    expect(await raw({ target: TARGET, body: good(), nonce: 'REPLAYED-NONCE' })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: 'nonce_str was already used (replay)' } });
  });

  it('refuses a field one character too long: 400 PARAM_ERROR naming it', async () => {
    const target = TARGET.replace('/s1/', '/s-long/');
    expect(await raw({ target, body: { ...good(), openid: 'o'.repeat(128) } })).toMatchObject({ status: 200 });
    expect(await raw({ target, body: { ...good(), openid: 'o'.repeat(129) } })).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'openid' } } });
  });

  it('refuses an unencrypted phone number: 400 PARAM_ERROR naming it', async () => {
    expect(await raw({ target: TARGET, body: { ...good(), phone_number: '13800138000' } })).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'phone_number' } } });
  });

  it('refuses unknown fields, a missing Wechatpay-Serial, and a wrong Accept', async () => {
    expect(await raw({ target: TARGET, body: { ...good(), colour: 'x' } })).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'colour' } } });
    expect(await raw({ target: `${TARGET}&extra=1`, body: good() })).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'extra' } } });
    expect(await raw({ target: TARGET, body: good(), headers: { 'Wechatpay-Serial': undefined } })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    expect(await raw({ target: TARGET, body: good(), headers: { Accept: 'text/html' } })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  });
});
