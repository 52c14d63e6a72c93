// The call pipeline at the HTTP level, through the generated client, with nock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import {
  ApiError,
  createClient,
  InvalidRequestError,
  NetworkError,
  NoAuthError,
  ParamError,
  RateLimitError,
  SignError,
  SystemError,
  TimeoutError,
  ValidationError,
  VerificationError,
  confirmUserCard,
  operationMeta,
  type ConfirmUserCardRequest,
  type MembercardClient,
} from '../../generated/index.js';
import { createRuntime } from '../../runtime/call.js';
import { decrypt } from '../../runtime/encrypt.js';
import { BIRTHDAY, clientConfig, confirmRequest, expectNoSecrets, failureOf, keys, PHONE, wechatHeaders } from '../helpers.js';

const API = 'https://api.mch.weixin.qq.com';
const CONFIRM_PATH = '/v3/brand/partner/card-member/user-cards/478515832665/confirm';
const request: ConfirmUserCardRequest = confirmRequest;
const confirmUserCardMeta = await operationMeta(confirmUserCard);
const card = {
  user_card_code: '478515832665',
  card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0',
  openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA',
  brand_id: '1004',
  card_type: 'NORMAL',
  valid_date_information: { type: 'PERMANENT' },
  pickup_time: '2020-05-20T13:29:35+08:00',
  user_card_state: 'EFFECTIVE',
  create_time: '2020-05-20T13:29:35+08:00',
  modify_time: '2020-05-20T13:29:35+08:00',
};
const CARD_JSON = JSON.stringify(card);

const netError = (code: string, message: string) => Object.assign(new Error(message), { code });

let client: MembercardClient;
const caught: unknown[] = [];

const failure = (p: Promise<unknown>) => failureOf(p, caught);

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  client?.close();
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  // Every error any test here provoked: none may carry a secret, a key or a plaintext.
  expect(caught.length).toBeGreaterThan(15);
  expectNoSecrets(caught);
});

describe('a successful confirm', () => {
  it('sends the documented headers, an encrypted body, and returns the verified card', async () => {
    client = createClient(clientConfig());
    let seen: { headers: Record<string, string | string[]>; body: Record<string, unknown> } | undefined;
    nock(API)
      .post(CONFIRM_PATH)
      .query({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0' })
      .reply(function (_uri, body) {
        seen = { headers: this.req.headers as Record<string, string>, body: body as Record<string, unknown> };
        return [200, CARD_JSON, wechatHeaders(CARD_JSON)];
      });
    const before = structuredClone(request);
    await expect(client.confirmUserCard(request)).resolves.toEqual(card);
    expect(request).toEqual(before);
    expect(seen!.headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/json',
      'wechatpay-serial': 'PUB_KEY_ID_0114232134912410000000000000',
      'user-agent': expect.stringMatching(/^wechatpay-membercard\/\d+\.\d+\.\d+ node\//),
      authorization: expect.stringMatching(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="[0-9a-f]{32}",timestamp="\d+",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",signature="[A-Za-z0-9+/=]+"$/),
    });
    const body = seen!.body as typeof request;
    expect(body).not.toHaveProperty('user_card_code');
    expect(body).not.toHaveProperty('card_id');
    expect(decrypt(body.phone_number!, keys.wechatpayPrivate)).toBe(PHONE);
    expect(decrypt(body.user_information!.common_field_list![0]!.value!, keys.wechatpayPrivate)).toBe(BIRTHDAY);
  });

  it('decrypts marked response fields when asked to', async () => {
    client = createClient(clientConfig({ decryptResponses: true }));
    const { encrypt } = await import('../../runtime/encrypt.js');
    const body = JSON.stringify({ ...card, phone_number: encrypt(PHONE, keys.merchantPublic) });
    nock(API).post(CONFIRM_PATH).query(true).reply(200, body, wechatHeaders(body));
    expect((await client.confirmUserCard(request)).phone_number).toBe(PHONE);
  });
});

describe('responses that are not data', () => {
  const reply = (status: number, body: string, headers: Record<string, string | undefined>) => {
    client = createClient(clientConfig());
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
    nock(API).post(CONFIRM_PATH).query(true).reply(status, body, clean);
    return failure(client.confirmUserCard(request));
  };

  it.each([
    { name: 'a tampered body', body: CARD_JSON.replace('EFFECTIVE', 'EXPIRED'), headers: wechatHeaders(CARD_JSON), reason: 'bad-signature' },
    { name: 'a signature by another key', body: CARD_JSON, headers: wechatHeaders(CARD_JSON, { key: keys.otherPrivate }), reason: 'bad-signature' },
    { name: 'a wrong serial', body: CARD_JSON, headers: wechatHeaders(CARD_JSON, { serial: 'PUB_KEY_ID_SOMEONE_ELSE' }), reason: 'unknown-serial' },
    { name: 'a stale timestamp', body: CARD_JSON, headers: wechatHeaders(CARD_JSON, { timestamp: Math.floor(Date.now() / 1000) - 301 }), reason: 'stale-timestamp' },
    { name: 'no signature header', body: CARD_JSON, headers: { ...wechatHeaders(CARD_JSON), 'Wechatpay-Signature': undefined }, reason: 'missing-header' },
    { name: 'no headers at all', body: CARD_JSON, headers: {}, reason: 'missing-header' },
    { name: 'truncated JSON, signed as sent', body: CARD_JSON.slice(0, 40), headers: wechatHeaders(CARD_JSON.slice(0, 40)), reason: 'invalid-json' },
    { name: 'an empty 200 body', body: '', headers: wechatHeaders(''), reason: 'invalid-json' },
    { name: 'a JSON string instead of an object', body: '"ok"', headers: wechatHeaders('"ok"'), reason: 'invalid-json' },
    { name: 'a timestamp that is not a number', body: CARD_JSON, headers: { ...wechatHeaders(CARD_JSON), 'Wechatpay-Timestamp': 'abc' }, reason: 'malformed-timestamp' },
    { name: 'a signature header cut short', body: CARD_JSON, headers: { ...wechatHeaders(CARD_JSON), 'Wechatpay-Signature': 'c2lnbmF0dXJl' }, reason: 'malformed-signature' },
    { name: 'a WECHATPAY/SIGNTEST/ probe', body: CARD_JSON, headers: { ...wechatHeaders(CARD_JSON), 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${'A'.repeat(323)}=` }, reason: 'bad-signature' },
  ])('$name → VerificationError $reason', async ({ body, headers, reason }) => {
    const e = await reply(200, body, headers);
    expect(e).toBeInstanceOf(VerificationError);
    expect(e).toMatchObject({ reason, status: 200, operation: 'confirmUserCard' });
  });

  it('two Wechatpay-Signature headers, the first of them valid → VerificationError duplicate-header', async () => {
    client = createClient(clientConfig());
    const headers = wechatHeaders(CARD_JSON);
    const other = wechatHeaders(CARD_JSON, { key: keys.otherPrivate })['Wechatpay-Signature']!;
    nock(API).post(CONFIRM_PATH).query(true).reply(200, CARD_JSON, [...Object.entries(headers).flat(), 'Wechatpay-Signature', other]);
    expect(await failure(client.confirmUserCard(request))).toMatchObject({ kind: 'verification', reason: 'duplicate-header' });
  });

  it('a response field that does not decrypt → VerificationError undecryptable-field, naming the field', async () => {
    client = createClient(clientConfig({ decryptResponses: true }));
    const { encrypt } = await import('../../runtime/encrypt.js');
    const body = JSON.stringify({ ...card, phone_number: encrypt(PHONE, keys.wechatpayPublic) });
    nock(API).post(CONFIRM_PATH).query(true).reply(200, body, wechatHeaders(body));
    const e = await failure(client.confirmUserCard(request));
    expect(e).toMatchObject({ kind: 'verification', reason: 'undecryptable-field' });
    expect(e.message).toContain('phone_number');
  });

  it('carries the Request-ID of an unverifiable response', async () => {
    const e = await reply(200, CARD_JSON.replace('EFFECTIVE', 'EXPIRED'), wechatHeaders(CARD_JSON));
    expect(e).toMatchObject({ requestId: '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1' });
    expect(e.message).toContain('08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1');
  });
});

describe('204 responses', () => {
  const PATCH = '/v3/marketing/membercard-open/cards/pbLatjvWOibDc5-TBnbUk1pD12o0';
  it('resolves to undefined after verifying the signature over an empty body', async () => {
    client = createClient(clientConfig());
    nock(API).patch(PATCH, { title: '卡' }).reply(204, '', wechatHeaders(''));
    await expect(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: '卡' })).resolves.toBeUndefined();
  });

  it('rejects a 204 whose signature does not cover an empty body', async () => {
    client = createClient(clientConfig());
    nock(API).patch(PATCH).reply(204, '', wechatHeaders('{}'));
    const e = await failure(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: '卡' }));
    expect(e).toMatchObject({ kind: 'verification', reason: 'bad-signature', status: 204 });
  });

  it('rejects an unsigned 204', async () => {
    client = createClient(clientConfig());
    nock(API).patch(PATCH).reply(204, '');
    expect(await failure(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0' }))).toMatchObject({ reason: 'missing-header' });
  });
});

describe('errors from WeChat', () => {
  const answer = (status: number, body: string, headers: Record<string, string> = { 'Request-ID': 'REQ-1' }) => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).reply(status, body, headers);
    return failure(client.confirmUserCard(request));
  };

  it.each([
    { status: 400, code: 'PARAM_ERROR', Class: ParamError },
    { status: 400, code: 'INVALID_REQUEST', Class: InvalidRequestError },
    { status: 401, code: 'SIGN_ERROR', Class: SignError },
    { status: 500, code: 'SYSTEM_ERROR', Class: SystemError },
    { status: 403, code: 'NO_AUTH', Class: NoAuthError },
    { status: 429, code: 'RATELIMIT_EXCEEDED', Class: RateLimitError },
    { status: 404, code: 'RESOURCE_NOT_EXISTS', Class: ApiError },
  ])('$status $code → $Class.name with status, code, message, Request-ID', async ({ status, code, Class }) => {
    const e = await answer(status, JSON.stringify({ code, message: '说明' }));
    expect(e).toBeInstanceOf(Class);
    expect(e).toMatchObject({ kind: 'api', status, code, wechatMessage: '说明', requestId: 'REQ-1', detail: undefined, operation: 'confirmUserCard' });
    expect(e.message).toBe(`confirmUserCard: HTTP ${status} ${code}: 说明 (Request-ID REQ-1)`);
  });

  it('keeps detail as loose JSON, nested or not', async () => {
    const detail = { field: 'phone_number', value: 'xx', issue: '解密失败', location: 'body', more: { list: [1, { deep: true }] } };
    const e = await answer(400, JSON.stringify({ code: 'PARAM_ERROR', message: '参数错误', detail }));
    expect((e as ApiError).detail).toEqual(detail);
  });

  it('turns an HTML 502 from a gateway into an ApiError with status and Request-ID', async () => {
    const e = await answer(502, '<html><body>502 Bad Gateway</body></html>', { 'Content-Type': 'text/html', 'Request-ID': 'GW-7' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 502, code: undefined, requestId: 'GW-7', bodySnippet: '<html><body>502 Bad Gateway</body></html>' });
    expect(e.message).toContain('HTTP 502');
  });

  it('gives an error with no Request-ID when none was sent', async () => {
    const e = await answer(500, 'oops', {});
    expect(e).toMatchObject({ status: 500, requestId: undefined });
  });
});

describe('the network', () => {
  it('aborts after timeoutMs with a TimeoutError', async () => {
    client = createClient(clientConfig({ timeoutMs: 100 }));
    nock(API).post(CONFIRM_PATH).query(true).delay(3000).reply(200, CARD_JSON, wechatHeaders(CARD_JSON));
    const t0 = Date.now();
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).toMatchObject({ kind: 'timeout', timeoutMs: 100 });
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('gives a NetworkError for a reset connection, which may have taken effect', async () => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).replyWithError(netError('ECONNRESET', 'socket hang up'));
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e).toMatchObject({ kind: 'network', code: 'ECONNRESET', mayHaveTakenEffect: true });
  });

  it('fails over to api2 only when asked, and only before anything was sent', async () => {
    client = createClient(clientConfig({ failover: true }));
    nock(API).post(CONFIRM_PATH).query(true).replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED'));
    nock('https://api2.mch.weixin.qq.com').post(CONFIRM_PATH).query(true).reply(200, CARD_JSON, wechatHeaders(CARD_JSON));
    await expect(client.confirmUserCard(request)).resolves.toEqual(card);

    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED'));
    expect(await failure(client.confirmUserCard(request))).toMatchObject({ code: 'ECONNREFUSED', mayHaveTakenEffect: false });

    client = createClient(clientConfig({ failover: true }));
    const backup = nock('https://api2.mch.weixin.qq.com').post(CONFIRM_PATH).query(true).reply(200, CARD_JSON, wechatHeaders(CARD_JSON));
    nock(API).post(CONFIRM_PATH).query(true).replyWithError(netError('ECONNRESET', 'reset'));
    expect(await failure(client.confirmUserCard(request))).toMatchObject({ code: 'ECONNRESET' });
    expect(backup.isDone()).toBe(false);
  });

  it('stops when the caller aborts', async () => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).delay(3000).reply(200, CARD_JSON, wechatHeaders(CARD_JSON));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure(client.confirmUserCard(request, { signal: controller.signal }))).toMatchObject({ kind: 'network', code: 'ABORT_ERR' });
  });
});

describe('retries', () => {
  it('repeats SYSTEM_ERROR with the same body bytes and a fresh signature, when opted in', async () => {
    client = createClient(clientConfig({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }));
    const seen: { body: string; auth: string }[] = [];
    const record = function (this: nock.ReplyFnContext, _uri: string, body: nock.Body) {
      seen.push({ body: JSON.stringify(body), auth: String(this.req.headers['authorization']) });
    };
    nock(API)
      .post(CONFIRM_PATH).query(true).reply(function (uri, body) { record.call(this, uri, body); return [500, JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统异常' })]; })
      .post(CONFIRM_PATH).query(true).reply(function (uri, body) { record.call(this, uri, body); return [200, CARD_JSON, wechatHeaders(CARD_JSON)]; });
    await expect(client.confirmUserCard(request)).resolves.toEqual(card);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(seen[1]!.auth).not.toBe(seen[0]!.auth);
  });

  it('gives up after the configured retries, and never retries other errors', async () => {
    client = createClient(clientConfig({ retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } }));
    const scope = nock(API).post(CONFIRM_PATH).query(true).times(2).reply(500, JSON.stringify({ code: 'SYSTEM_ERROR', message: 'x' }));
    expect(await failure(client.confirmUserCard(request))).toBeInstanceOf(SystemError);
    expect(scope.isDone()).toBe(true);

    const once = nock(API).post(CONFIRM_PATH).query(true).once().reply(400, JSON.stringify({ code: 'PARAM_ERROR', message: 'x' }));
    expect(await failure(client.confirmUserCard(request))).toBeInstanceOf(ParamError);
    expect(once.isDone()).toBe(true);
  });

  it('does not retry without opting in', async () => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).once().reply(500, JSON.stringify({ code: 'SYSTEM_ERROR', message: 'x' }));
    expect(await failure(client.confirmUserCard(request))).toBeInstanceOf(SystemError);
  });
});

describe('bad input', () => {
  it('is refused before anything is encrypted, signed or sent, naming each field and rule', async () => {
    client = createClient(clientConfig());
    // No interceptor and no network: any request would fail differently.
    const bad = { ...request, card_id: 'x'.repeat(33), user_card_confirm_state: 'DONE', phone_number: PHONE.repeat(20), colour: 1 };
    const e = await failure(client.confirmUserCard(bad as unknown as ConfirmUserCardRequest));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => `${i.path}:${i.rule}`)).toEqual([
      'card_id:maxLength',
      'phone_number:encryptedLength',
      'user_card_confirm_state:enum',
      'colour:unknownField',
    ]);
    expect(e.message).toContain('card_id: must be at most 32 characters, got 33');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses a path value that a URL parser would drop', async () => {
    client = createClient(clientConfig());
    const e = await failure(client.confirmUserCard({ ...request, user_card_code: '..' }));
    expect((e as ValidationError).issues).toEqual([expect.objectContaining({ path: 'user_card_code', rule: 'pathSegment' })]);
  });

  const lone = '\uD800';
  it.each([
    { name: 'null', given: null, want: ['(request):type'] },
    { name: 'undefined', given: undefined, want: ['(request):type'] },
    { name: 'a string', given: 'card', want: ['(request):type'] },
    { name: 'a lone surrogate in a path value', given: { ...request, user_card_code: `4785${lone}` }, want: ['user_card_code:encoding'] },
    { name: 'a lone surrogate in a query value', given: { ...request, card_id: `pb${lone}` }, want: ['card_id:encoding'] },
    { name: 'a lone surrogate in an encrypted field', given: { ...request, phone_number: `139${lone}` }, want: ['phone_number:encoding'] },
    {
      name: 'a getter that throws',
      given: Object.defineProperty({ ...request }, 'openid', { enumerable: true, get: () => { throw new RangeError(PHONE); } }),
      want: ['(request):unreadable'],
    },
  ])('$name as the request is a ValidationError naming the field, before anything is sent', async ({ given, want }) => {
    client = createClient(clientConfig());
    const e = await failure(client.confirmUserCard(given as unknown as ConfirmUserCardRequest));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({ kind: 'validation', mayHaveTakenEffect: false });
    expect((e as ValidationError).issues.map((i) => `${i.path}:${i.rule}`)).toEqual(want);
  });

  it.each([
    { name: 'null', given: null, want: ['(options):type'] },
    { name: 'an unknown name', given: { timeout: 5 }, want: ['(options).timeout:unknownField'] },
    { name: 'a negative timeout', given: { timeoutMs: -1 }, want: ['(options).timeoutMs:type'] },
    { name: 'a signal that is not an AbortSignal', given: { signal: {} }, want: ['(options).signal:type'] },
    { name: 'an onResponse that is not a function', given: { onResponse: 'log' }, want: ['(options).onResponse:type'] },
  ])('$name as call options is a ValidationError', async ({ given, want }) => {
    client = createClient(clientConfig());
    const e = await failure(client.confirmUserCard(request, given as never));
    expect((e as ValidationError).issues.map((i) => `${i.path}:${i.rule}`)).toEqual(want);
  });

  it('names a field JSON cannot carry, for a spec field of any type', async () => {
    const runtime = createRuntime(clientConfig());
    const meta = { ...confirmUserCardMeta, operationId: 'op', pathParams: [], queryParams: [], path: '/v3/x', bodyParams: ['extra'], encrypted: [], request: { type: 'object' as const, properties: { extra: { type: 'any' as const } } } };
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    for (const value of [10n, cycle]) {
      const e = await failure(runtime.call(meta, { extra: value }));
      expect((e as ValidationError).issues).toEqual([expect.objectContaining({ path: 'extra', rule: 'json' })]);
    }
  });
});

describe('the Request-ID of a successful call', () => {
  it('reaches onResponse with the status, and the data is unchanged', async () => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).reply(200, CARD_JSON, wechatHeaders(CARD_JSON));
    const seen: unknown[] = [];
    await expect(client.confirmUserCard(request, { onResponse: (r) => seen.push(r) })).resolves.toEqual(card);
    expect(seen).toEqual([{ status: 200, requestId: '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1' }]);
  });

  it('is not reported for a failed call (the error carries it)', async () => {
    client = createClient(clientConfig());
    nock(API).post(CONFIRM_PATH).query(true).reply(200, CARD_JSON.replace('EFFECTIVE', 'EXPIRED'), wechatHeaders(CARD_JSON));
    const seen: unknown[] = [];
    const e = await failure(client.confirmUserCard(request, { onResponse: (r) => seen.push(r) }));
    expect(e).toMatchObject({ requestId: '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1' });
    expect(seen).toEqual([]);
  });
});
