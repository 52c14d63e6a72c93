// The 2025 card-member operations through the generated client, on the wire
// (nock): for each, a full and a minimal request land as the spec says (method,
// path, query, body, encrypted fields decrypting to the caller's plaintext,
// signature over exactly those bytes); each kind of bad input is refused
// before anything is sent; an APIv3 error answer becomes its typed error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createClient, InvalidRequestError, ParamError, ValidationError, type MembercardClient } from '../generated/index.js';
import { decrypt } from '../runtime/encrypt.js';
import { clientConfig, keys, wechatHeaders } from './helpers.js';
import { signatureCovers, type Seen } from './wire.js';

const API = 'https://api.mch.weixin.qq.com';
const NOW = 1_750_000_000_000;
const BASE = '/v3/brand/partner/card-member';
const DATE = { type: 'FIX_TIME_RANGE', available_begin_time: '2025-01-01T00:00:00+08:00', available_end_time: '2026-01-01T00:00:00+08:00' } as const;
const TEMPLATE = { card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', brand_id: '1004', state: 'CARD_EFFECTIVE' };


let client: MembercardClient;

/** Answers the next request with `status` and `body`, signed as WeChat would; resolves to what was sent. */
function capture(method: string, status: number, body: string): Promise<Seen> {
  return new Promise((resolve) => {
    nock(API)
      .intercept(/.*/, method)
      .reply(function (uri, requestBody) {
        resolve({ method: this.req.method, path: uri, headers: this.req.headers as Record<string, string>, rawBody: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody) });
        return [status, body, wechatHeaders(body, { timestamp: NOW / 1000 })];
      });
  });
}


type Call = (c: MembercardClient) => Promise<unknown>;
interface Case {
  name: string;
  call: Call;
  method: string;
  path: string;
  /** The body as sent, with encrypted fields replaced by their plaintext. */
  body?: Record<string, unknown>;
  encrypted?: string[];
  serial?: boolean;
}

const CASES: Case[] = [
  {
    name: 'createCardTemplate, full',
    call: (c) =>
      c.createCardTemplate({
        out_request_no: '1004_20250622_0001', brand_id: '1004', appid: 'wxea9c30890f48d5ae', card_type: 'NORMAL', card_title: '微信支付测试卡', card_color: '#FFFF00',
        card_picture_url: 'https://wxpaylogo.qpic.cn/x', code_mode: 'SYSTEM_ALLOCATE', code_type: 'QR_CODE', code_jump_information: { jump_appid: 'wx1', jump_path: 'pages/a' },
        benefits: '95折', notify_url: 'https://example.com/notify', need_pinned: true, need_display_level: false, init_level: 'VIP1', service_phone: '400-000', legal_agreement: 'https://example.com/legal',
        valid_date_information: DATE, points_information: { jump_appid: 'wx1' }, balance_information: { jump_path: 'p' }, purchase_information: { price: 100 },
        user_information: { common_field_list: ['USER_FORM_FLAG_NAME'], custom_field_list: [{ type: 'RADIO', name: '喜欢的运动', values: ['篮球'] }] },
      }),
    method: 'POST',
    path: `${BASE}/cards`,
    body: {
      out_request_no: '1004_20250622_0001', brand_id: '1004', appid: 'wxea9c30890f48d5ae', card_type: 'NORMAL', card_title: '微信支付测试卡', card_color: '#FFFF00',
      card_picture_url: 'https://wxpaylogo.qpic.cn/x', code_mode: 'SYSTEM_ALLOCATE', code_type: 'QR_CODE', code_jump_information: { jump_appid: 'wx1', jump_path: 'pages/a' },
      benefits: '95折', notify_url: 'https://example.com/notify', need_pinned: true, need_display_level: false, init_level: 'VIP1', service_phone: '400-000', legal_agreement: 'https://example.com/legal',
      valid_date_information: DATE, points_information: { jump_appid: 'wx1' }, balance_information: { jump_path: 'p' }, purchase_information: { price: 100 },
      user_information: { common_field_list: ['USER_FORM_FLAG_NAME'], custom_field_list: [{ type: 'RADIO', name: '喜欢的运动', values: ['篮球'] }] },
    },
  },
  {
    name: 'createCardTemplate, minimal',
    call: (c) =>
      c.createCardTemplate({
        out_request_no: 'r1', brand_id: '1004', appid: 'wx1', card_type: 'BALANCE', card_title: 't', card_color: '#000000', card_picture_url: 'u',
        code_mode: 'MERCHANT_ALLOCATE', code_type: 'NONE_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' },
      }),
    method: 'POST',
    path: `${BASE}/cards`,
    body: { out_request_no: 'r1', brand_id: '1004', appid: 'wx1', card_type: 'BALANCE', card_title: 't', card_color: '#000000', card_picture_url: 'u', code_mode: 'MERCHANT_ALLOCATE', code_type: 'NONE_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' } },
  },
  { name: 'listCardTemplates, full', call: (c) => c.listCardTemplates({ brand_id: '1004', state: 'CARD_EFFECTIVE', offset: 0, limit: 20 }), method: 'GET', path: `${BASE}/cards?brand_id=1004&state=CARD_EFFECTIVE&offset=0&limit=20` },
  { name: 'listCardTemplates, minimal', call: (c) => c.listCardTemplates({ brand_id: '1004', offset: 10, limit: 1 }), method: 'GET', path: `${BASE}/cards?brand_id=1004&offset=10&limit=1` },
  { name: 'getCardTemplate', call: (c) => c.getCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD1', brand_id: '1004' }), method: 'GET', path: `${BASE}/cards/pbLatjvWOibDc5-TBnbUk1pD1?brand_id=1004` },
  {
    name: 'updateCardMemberTemplate, full',
    call: (c) => c.updateCardMemberTemplate({ card_id: 'c1', brand_id: '1004', card_title: '新卡名', card_color: '#FFFFFF', card_picture_url: 'u', code_jump_information: { jump_appid: 'wx1', jump_path: 'p' }, benefits: 'b', notify_url: 'n', need_pinned: false, valid_date_information: { type: 'FIX_TERM', available_day_after_receive: 30 } }),
    method: 'PATCH',
    path: `${BASE}/cards/c1`,
    body: { brand_id: '1004', card_title: '新卡名', card_color: '#FFFFFF', card_picture_url: 'u', code_jump_information: { jump_appid: 'wx1', jump_path: 'p' }, benefits: 'b', notify_url: 'n', need_pinned: false, valid_date_information: { type: 'FIX_TERM', available_day_after_receive: 30 } },
  },
  { name: 'updateCardMemberTemplate, minimal', call: (c) => c.updateCardMemberTemplate({ card_id: 'c1', brand_id: '1004' }), method: 'PATCH', path: `${BASE}/cards/c1`, body: { brand_id: '1004' } },
  { name: 'deleteCardTemplate', call: (c) => c.deleteCardTemplate({ card_id: 'c1', brand_id: '1004' }), method: 'DELETE', path: `${BASE}/cards/c1?brand_id=1004` },
  { name: 'invalidateCardTemplate', call: (c) => c.invalidateCardTemplate({ card_id: 'c1', brand_id: '1004' }), method: 'POST', path: `${BASE}/cards/c1/invalidate`, body: { brand_id: '1004' } },
  {
    name: 'listUserCards, full',
    call: (c) => c.listUserCards({ brand_id: '1004', openid: 'o1', user_card_state: 'EFFECTIVE', offset: 0, limit: 20 }),
    method: 'GET',
    path: `${BASE}/user-cards?brand_id=1004&openid=o1&user_card_state=EFFECTIVE&offset=0&limit=20`,
  },
  { name: 'listUserCards, minimal', call: (c) => c.listUserCards({ brand_id: '1004', openid: 'o1', offset: 0, limit: 5 }), method: 'GET', path: `${BASE}/user-cards?brand_id=1004&openid=o1&offset=0&limit=5` },
  { name: 'getUserCard', call: (c) => c.getUserCard({ user_card_code: '478515832665', brand_id: '1004', card_id: 'c1', openid: 'o1' }), method: 'GET', path: `${BASE}/user-cards/478515832665?brand_id=1004&card_id=c1&openid=o1` },
  {
    name: 'updateUserCard, full',
    call: (c) => c.updateUserCard({ user_card_code: '478515832665', card_id: 'c1', brand_id: '1004', openid: 'o1', card_color: '#FFFFFF', card_picture_url: 'u', phone_number: '13800138000', level: '金卡', valid_date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00', user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_NAME', value: '张三' }] }, attach: 'a' }),
    method: 'PATCH',
    path: `${BASE}/user-cards/478515832665?card_id=c1`,
    body: { brand_id: '1004', openid: 'o1', card_color: '#FFFFFF', card_picture_url: 'u', phone_number: '13800138000', level: '金卡', valid_date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00', user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_NAME', value: '张三' }] }, attach: 'a' },
    encrypted: ['phone_number', 'user_information.common_field_list.0.value'],
    serial: true,
  },
  { name: 'updateUserCard, minimal', call: (c) => c.updateUserCard({ user_card_code: '478515832665', card_id: 'c1', brand_id: '1004', openid: 'o1' }), method: 'PATCH', path: `${BASE}/user-cards/478515832665?card_id=c1`, body: { brand_id: '1004', openid: 'o1' }, serial: true },
  {
    name: 'importUserCardByOpenid, full',
    call: (c) => c.importUserCardByOpenid({ brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: 'u1', phone_number: '13800138000', card_color: '#FFFFFF', date_information: DATE, pickup_time: '2025-06-22T10:00:00+08:00' }),
    method: 'POST',
    path: `${BASE}/user-cards/import-by-openid`,
    body: { brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: 'u1', phone_number: '13800138000', card_color: '#FFFFFF', date_information: DATE, pickup_time: '2025-06-22T10:00:00+08:00' },
    encrypted: ['phone_number'],
    serial: true,
  },
  {
    name: 'importUserCardByOpenid, minimal (no phone number)',
    call: (c) => c.importUserCardByOpenid({ brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' }),
    method: 'POST',
    path: `${BASE}/user-cards/import-by-openid`,
    body: { brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' },
    serial: true,
  },
  {
    name: 'importUserCardByPhone, full',
    call: (c) => c.importUserCardByPhone({ brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', card_color: '#FFFFFF', card_picture_url: 'u', level: '金卡', user_information: { custom_field_list: [{ name: '喜欢的运动', user_chosen_values: ['篮球'] }] }, date_information: DATE, pickup_time: '2025-06-22T10:00:00+08:00' }),
    method: 'POST',
    path: `${BASE}/user-cards/import-by-phone`,
    body: { brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', card_color: '#FFFFFF', card_picture_url: 'u', level: '金卡', user_information: { custom_field_list: [{ name: '喜欢的运动', user_chosen_values: ['篮球'] }] }, date_information: DATE, pickup_time: '2025-06-22T10:00:00+08:00' },
    encrypted: ['phone_number'],
    serial: true,
  },
  {
    name: 'importUserCardByPhone, minimal',
    call: (c) => c.importUserCardByPhone({ brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' }),
    method: 'POST',
    path: `${BASE}/user-cards/import-by-phone`,
    body: { brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' },
    encrypted: ['phone_number'],
    serial: true,
  },
  // Feeds, points and the component tokens (#19 item 6): every body field of user-feeds, sync and the two
  // token pages is 必填, so their full and minimal requests are one request; exchange's reject_reason is 选填.
  {
    name: 'createUserFeed',
    call: (c) => c.createUserFeed({ brand_id: '1004', card_id: 'c1', user_card_code: '478515832665', openid: 'o1', out_request_no: 'feed-1', cell: '1_1200_1' }),
    method: 'POST',
    path: `${BASE}/user-feeds`,
    body: { brand_id: '1004', card_id: 'c1', user_card_code: '478515832665', openid: 'o1', out_request_no: 'feed-1', cell: '1_1200_1' },
  },
  {
    name: 'syncUserPoints',
    call: (c) => c.syncUserPoints({ out_request_no: 'pts-1', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', point_balance: 1000 }),
    method: 'POST',
    path: `${BASE}/user-points/sync`,
    body: { out_request_no: 'pts-1', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', point_balance: 1000 },
  },
  {
    name: 'confirmPointsExchangeCoupon, full',
    call: (c) => c.confirmPointsExchangeCoupon({ record_id: 'r1', exchange_coupon_template_id: '0Flpo7FqTQ', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', result: 'POINT_EXCHANGE_COUPON_REJECT', reject_reason: '积分不足' }),
    method: 'POST',
    path: `${BASE}/user-points/exchange-coupon/confirm`,
    body: { record_id: 'r1', exchange_coupon_template_id: '0Flpo7FqTQ', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', result: 'POINT_EXCHANGE_COUPON_REJECT', reject_reason: '积分不足' },
  },
  {
    name: 'confirmPointsExchangeCoupon, minimal',
    call: (c) => c.confirmPointsExchangeCoupon({ record_id: 'r1', exchange_coupon_template_id: '0Flpo7FqTQ', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', result: 'POINT_EXCHANGE_COUPON_ALLOW' }),
    method: 'POST',
    path: `${BASE}/user-points/exchange-coupon/confirm`,
    body: { record_id: 'r1', exchange_coupon_template_id: '0Flpo7FqTQ', brand_id: '1004', card_id: 'c1', openid: 'o1', user_card_code: '478515832665', result: 'POINT_EXCHANGE_COUPON_ALLOW' },
  },
  { name: 'createPreAuthToken', call: (c) => c.createPreAuthToken({ brand_id: '1004', card_id: 'c1', openid: 'o1' }), method: 'POST', path: `${BASE}/pre-auth-tokens`, body: { brand_id: '1004', card_id: 'c1', openid: 'o1' } },
  { name: 'createPayViewToken', call: (c) => c.createPayViewToken({ brand_id: '1004', card_id: 'c1', openid: 'o1' }), method: 'POST', path: `${BASE}/pay-view-tokens`, body: { brand_id: '1004', card_id: 'c1', openid: 'o1' } },
];

const pick = (o: unknown, dotted: string): unknown => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o);
function put(o: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((v, k) => v[k] as Record<string, unknown>, o);
  parent[keys[keys.length - 1]!] = value;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  client.close();
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('the 2025 card-member operations on the wire', () => {
  it.each(CASES)('$name', async ({ call, method, path, body, encrypted = [], serial = false }) => {
    client = createClient(clientConfig({ now: () => NOW, nonce: () => 'FIXEDNONCE' }));
    const answer = JSON.stringify(TEMPLATE);
    const seen = capture(method, 200, answer);
    await expect(call(client)).resolves.toEqual(TEMPLATE);
    const s = await seen;
    expect([s.method, s.path]).toEqual([method, path]);
    expect(signatureCovers(s)).toBe(true);
    // Where the page requires it (encrypted fields), it names the key the fields were encrypted for.
    if (serial) expect(s.headers['wechatpay-serial']).toBe(clientConfig().wechatpayPublicKeyId);
    if (body === undefined) return expect(s.rawBody).toBe('');
    const sent = JSON.parse(s.rawBody) as Record<string, unknown>;
    for (const field of encrypted) {
      const ciphertext = pick(sent, field) as string;
      expect(ciphertext).not.toBe(pick(body, field));
      put(sent, field, decrypt(ciphertext, keys.wechatpayPrivate));
    }
    expect(sent).toEqual(body);
  });
});

describe('bad input is refused before anything is sent', () => {
  const MINIMAL_PHONE = { brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' } as const;
  const bad: { name: string; call: Call; path: string; rule: string }[] = [
    { name: 'a required field missing (the page: 必填)', call: (c) => c.createCardTemplate({ brand_id: '1004' } as never), path: 'out_request_no', rule: 'required' },
    { name: 'a required field missing (the community: valid_date_information)', call: (c) => c.createCardTemplate({ out_request_no: 'r', brand_id: '1', appid: 'a', card_type: 'NORMAL', card_title: 't', card_color: '#000', card_picture_url: 'u', code_mode: 'SYSTEM_ALLOCATE', code_type: 'NONE_CODE', benefits: 'b', notify_url: 'n' } as never), path: 'valid_date_information', rule: 'required' },
    { name: 'too long (the page: card_title string(10))', call: (c) => c.updateCardMemberTemplate({ card_id: 'c1', brand_id: '1004', card_title: '一二三四五六七八九十一' }), path: 'card_title', rule: 'maxLength' },
    { name: 'too long (the page: out_request_no string(128))', call: (c) => c.createCardTemplate({ out_request_no: 'x'.repeat(129) } as never), path: 'out_request_no', rule: 'maxLength' },
    { name: 'limit above 20 (the page: 1~20)', call: (c) => c.listCardTemplates({ brand_id: '1004', offset: 0, limit: 21 }), path: 'limit', rule: 'maximum' },
    { name: 'limit below 1', call: (c) => c.listUserCards({ brand_id: '1004', openid: 'o', offset: 0, limit: 0 }), path: 'limit', rule: 'minimum' },
    { name: 'a negative offset', call: (c) => c.listUserCards({ brand_id: '1004', openid: 'o', offset: -1, limit: 1 }), path: 'offset', rule: 'minimum' },
    { name: 'a value outside the enum', call: (c) => c.listCardTemplates({ brand_id: '1004', state: 'CARD_DELETED' as never, offset: 0, limit: 1 }), path: 'state', rule: 'enum' },
    { name: 'a wrong type', call: (c) => c.listCardTemplates({ brand_id: '1004', offset: '0' as never, limit: 1 }), path: 'offset', rule: 'type' },
    { name: 'an unknown field', call: (c) => c.invalidateCardTemplate({ card_id: 'c1', brand_id: '1004', reason: 'x' } as never), path: 'reason', rule: 'unknownField' },
    { name: 'an unknown nested field', call: (c) => c.importUserCardByPhone({ ...MINIMAL_PHONE, date_information: { type: 'PERMANENT', days: 1 } as never }), path: 'date_information.days', rule: 'unknownField' },
    { name: 'not a date-time', call: (c) => c.importUserCardByPhone({ ...MINIMAL_PHONE, pickup_time: '2025-06-22' }), path: 'pickup_time', rule: 'format' },
    { name: 'the encrypted phone number missing on import by phone', call: (c) => c.importUserCardByPhone({ ...MINIMAL_PHONE, phone_number: undefined } as never), path: 'phone_number', rule: 'required' },
    { name: 'an encrypted plaintext too long for RSA-OAEP', call: (c) => c.importUserCardByOpenid({ brand_id: '1004', card_id: 'c1', openid: 'o', user_card_code: 'u', phone_number: '1'.repeat(300), date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' }), path: 'phone_number', rule: 'encryptedLength' },
    { name: 'a path value that would change the path', call: (c) => c.getCardTemplate({ card_id: '..', brand_id: '1004' }), path: 'card_id', rule: 'pathSegment' },
  ];

  it.each(bad)('$name', async ({ call, path, rule }) => {
    client = createClient(clientConfig({ now: () => NOW }));
    // Nothing is intercepted and the network is off: a request that went out would be a NetworkError.
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)?.rule).toBe(rule);
    expect(String((err as Error).message)).not.toContain('13800138000');
  });
});

describe('APIv3 error answers are typed errors', () => {
  it.each([
    { status: 400, code: 'PARAM_ERROR', type: ParamError, method: 'GET', call: ((c) => c.listCardTemplates({ brand_id: '1004', offset: 0, limit: 1 })) as Call },
    { status: 400, code: 'INVALID_REQUEST', type: InvalidRequestError, method: 'POST', call: ((c) => c.importUserCardByPhone({ brand_id: '1004', card_id: 'c1', phone_number: '13800138000', user_card_code: 'u1', date_information: { type: 'PERMANENT' }, pickup_time: '2025-06-22T10:00:00+08:00' })) as Call },
  ])('$status $code', async ({ status, code, type, method, call }) => {
    client = createClient(clientConfig({ now: () => NOW }));
    void capture(method, status, JSON.stringify({ code, message: '错误' }));
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ status, code });
  });
});
