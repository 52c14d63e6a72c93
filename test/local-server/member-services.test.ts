// Feeds, points and the component tokens (#19 item 6), end to end: the
// generated client against the local server's card store. Each operation with
// a full and a minimal request (where the page makes every field 必填 the two
// are the same request), each kind of bad input refused before anything is
// sent, and the store's refusals as typed errors. No page's 错误码 survived for
// these five and the spec documents none: the refusals below are the store's
// reading, and the faults at the end show the common APIv3 codes still map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, InvalidRequestError, ParamError, RateLimitError, SystemError, ValidationError, type MembercardClient } from '../../generated/index.js';
import { startLocalWechatPay, type LocalWechatPay } from '../../generated/local-server.js';
import { keys } from '../helpers.js';

const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
const PICKUP = '2025-06-22T10:00:00+08:00';
// The server's clock: 2025-06-22T12:00:00+08:00.
const NOW = Date.UTC(2025, 5, 22, 4, 0, 0);

let server: LocalWechatPay;
let client: MembercardClient;
let card_id: string;
const brand_id = '1004';
const openid = 'oMember1';
const user_card_code = 'C0001';
const card = () => ({ brand_id, card_id, openid, user_card_code });

beforeAll(async () => {
  server = await startLocalWechatPay({ keys: serverKeys, now: () => NOW });
  client = createClient({ ...server.clientConfig, now: () => NOW });
  const template = await client.createCardTemplate({
    out_request_no: 'tpl-1', brand_id, appid: 'wx1', card_type: 'NORMAL', card_title: '积分卡', card_color: '#FFFF00', card_picture_url: 'u',
    code_mode: 'MERCHANT_ALLOCATE', code_type: 'QR_CODE', benefits: 'b', notify_url: 'https://example.com/n', valid_date_information: { type: 'PERMANENT' },
  });
  card_id = template.card_id;
  await client.importUserCardByOpenid({ ...card(), date_information: { type: 'PERMANENT' }, pickup_time: PICKUP });
});

afterAll(async () => {
  client.close();
  await server.close();
});

describe('createUserFeed', () => {
  it('records a feed on a known card; the same 商家请求单号 again is the same feed', async () => {
    const feed = { ...card(), out_request_no: 'feed-1', cell: '1_1200_1' };
    const answer = await client.createUserFeed(feed);
    expect(answer).toEqual({ brand_id, card_id, openid, user_card_code, out_request_no: 'feed-1', cell_message: '1_1200_1' });
    expect(await client.createUserFeed({ ...feed, cell: '2_0_1' })).toEqual(answer);
    expect([...server.cards.services.feeds.values()].filter((f) => f['card_id'] === card_id)).toEqual([answer]);
  });
});

describe('syncUserPoints', () => {
  it("sets the card's balance; a repeated 商家请求单号 answers as before and changes nothing", async () => {
    const first = await client.syncUserPoints({ ...card(), out_request_no: 'pts-1', point_balance: 1200 });
    expect(first).toEqual({ ...card(), out_request_no: 'pts-1', point_balance: 1200 });
    expect(server.cards.services.pointBalance(card_id, user_card_code)).toBe(1200);
    expect((await client.syncUserPoints({ ...card(), out_request_no: 'pts-2', point_balance: 0 })).point_balance).toBe(0);
    expect(await client.syncUserPoints({ ...card(), out_request_no: 'pts-1', point_balance: 1200 })).toEqual(first);
    expect(server.cards.services.pointBalance(card_id, user_card_code)).toBe(0);
  });
});

describe('confirmPointsExchangeCoupon', () => {
  it('minimal (ALLOW): the exchange succeeds with a coupon code the server made', async () => {
    const answer = await client.confirmPointsExchangeCoupon({ ...card(), record_id: 'rec-1', exchange_coupon_template_id: '0Flpo7FqTQ', result: 'POINT_EXCHANGE_COUPON_ALLOW' });
    expect(answer).toMatchObject({ ...card(), record_id: 'rec-1', exchange_coupon_template_id: '0Flpo7FqTQ', state: 'POINT_EXCHANGE_COUPON_SUCCESS' });
    expect(answer.coupon_code).toMatch(/^coupon\d+$/);
    expect(answer.fail_reason).toBeUndefined();
  });

  it('full (REJECT with its reason): the exchange fails with that reason; the record keeps its one result', async () => {
    const request = { ...card(), record_id: 'rec-2', exchange_coupon_template_id: '0Flpo7FqTQ', result: 'POINT_EXCHANGE_COUPON_REJECT', reject_reason: '积分不足' } as const;
    const answer = await client.confirmPointsExchangeCoupon(request);
    expect(answer).toEqual({ ...card(), record_id: 'rec-2', exchange_coupon_template_id: '0Flpo7FqTQ', state: 'POINT_EXCHANGE_COUPON_FAIL', fail_reason: '积分不足' });
    const { reject_reason: _reason, ...withoutReason } = request;
    expect(await client.confirmPointsExchangeCoupon({ ...withoutReason, result: 'POINT_EXCHANGE_COUPON_ALLOW' })).toEqual(answer);
  });

  it('REJECT without a reason is refused (the page: 当积分兑券结果为拒绝时必填)', async () => {
    const err = await client.confirmPointsExchangeCoupon({ ...card(), record_id: 'rec-3', exchange_coupon_template_id: 'x', result: 'POINT_EXCHANGE_COUPON_REJECT' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamError);
    expect(err).toMatchObject({ status: 400, code: 'PARAM_ERROR', mayHaveTakenEffect: false });
  });
});

describe('the component tokens', () => {
  it('createPreAuthToken: a token the server made, valid one hour (the page: 生成后一小时有效)', async () => {
    const a = await client.createPreAuthToken({ brand_id, card_id, openid: 'oNotYetMember' });
    const b = await client.createPreAuthToken({ brand_id, card_id, openid: 'oNotYetMember' });
    expect(a.token).toMatch(/^[0-9a-f]{32}$/);
    expect(b.token).not.toBe(a.token);
    expect(a.expire_time).toBe('2025-06-22T13:00:00+08:00');
  });

  it('createPayViewToken: for a member of the template, valid ten minutes (the page: 有效期为 10 分钟)', async () => {
    const a = await client.createPayViewToken({ brand_id, card_id, openid });
    expect(a.token).toMatch(/^[0-9a-f]{32}$/);
    expect(a.expire_time).toBe('2025-06-22T12:10:00+08:00');
    await expect(client.createPayViewToken({ brand_id, card_id, openid: 'oNotYetMember' })).rejects.toMatchObject({ code: 'PARAM_ERROR', wechatMessage: '用户会员卡不存在' });
  });
});

describe('the card store refuses what it does not know', () => {
  const unknownCard = { brand_id, openid, user_card_code: 'NOPE' };
  it.each([
    { name: 'a feed for a card never issued', call: () => client.createUserFeed({ ...unknownCard, card_id, out_request_no: 'feed-x', cell: 'c' }), type: ParamError, message: '用户会员卡不存在' },
    { name: "a feed for another user's card", call: () => client.createUserFeed({ ...card(), openid: 'oOther', out_request_no: 'feed-y', cell: 'c' }), type: ParamError, message: '用户会员卡不存在' },
    { name: 'points for a card of another brand', call: () => client.syncUserPoints({ ...card(), brand_id: '9999', out_request_no: 'pts-x', point_balance: 1 }), type: InvalidRequestError, message: '会员卡模版ID不属于该品牌' },
    { name: 'an exchange on an unknown card', call: () => client.confirmPointsExchangeCoupon({ ...unknownCard, card_id, record_id: 'rec-x', exchange_coupon_template_id: 'x', result: 'POINT_EXCHANGE_COUPON_ALLOW' }), type: ParamError, message: '用户会员卡不存在' },
    { name: 'a join token for an unknown template', call: () => client.createPreAuthToken({ brand_id, card_id: 'pbNoSuchTemplate', openid }), type: InvalidRequestError, message: '会员卡ID无效' },
    { name: 'a pay-view token for a template of another brand', call: () => client.createPayViewToken({ brand_id: '9999', card_id, openid }), type: InvalidRequestError, message: '会员卡模版ID不属于该品牌' },
  ])('$name', async ({ call, type, message }) => {
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ wechatMessage: message });
  });

  it('an invalidated card takes no feed, points or exchange; an invalidated template gives no token', async () => {
    const own = await startLocalWechatPay({ keys: serverKeys });
    const c = createClient(own.clientConfig);
    try {
      const t = await c.createCardTemplate({ out_request_no: 'tpl', brand_id, appid: 'wx1', card_type: 'NORMAL', card_title: 't', card_color: '#000000', card_picture_url: 'u', code_mode: 'MERCHANT_ALLOCATE', code_type: 'NONE_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' } });
      const mine = { brand_id, card_id: t.card_id, openid, user_card_code };
      await c.importUserCardByOpenid({ ...mine, date_information: { type: 'PERMANENT' }, pickup_time: PICKUP });
      await c.invalidateUserCard(mine);
      const invalid = { code: 'INVALID_REQUEST', wechatMessage: '会员卡已作废' };
      await expect(c.createUserFeed({ ...mine, out_request_no: 'f', cell: 'c' })).rejects.toMatchObject(invalid);
      await expect(c.syncUserPoints({ ...mine, out_request_no: 'p', point_balance: 1 })).rejects.toMatchObject(invalid);
      await expect(c.confirmPointsExchangeCoupon({ ...mine, record_id: 'r', exchange_coupon_template_id: 'x', result: 'POINT_EXCHANGE_COUPON_ALLOW' })).rejects.toMatchObject(invalid);
      // The payment code belongs to a member: the user no longer holds a card of the template.
      await expect(c.createPayViewToken({ brand_id, card_id: t.card_id, openid })).rejects.toMatchObject({ code: 'PARAM_ERROR', wechatMessage: '用户会员卡不存在' });
      await c.invalidateCardTemplate({ card_id: t.card_id, brand_id });
      await expect(c.createPreAuthToken({ brand_id, card_id: t.card_id, openid: 'oNew' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡模板已作废' });
      expect(own.cards.services.pointBalance(t.card_id, user_card_code)).toBeUndefined();
    } finally {
      c.close();
      await own.close();
    }
  });
});

describe('bad input is refused before anything is sent', () => {
  const long = (n: number) => 'x'.repeat(n);
  const feed = () => ({ ...card(), out_request_no: 'f', cell: 'c' });
  const points = () => ({ ...card(), out_request_no: 'p', point_balance: 1 });
  const exchange = () => ({ ...card(), record_id: 'r', exchange_coupon_template_id: 'e', result: 'POINT_EXCHANGE_COUPON_ALLOW' as const });
  it.each([
    { name: 'a required field missing (the page: cell 必填)', call: () => client.createUserFeed({ ...feed(), cell: undefined } as never), path: 'cell', rule: 'required' },
    { name: "the community's name for it (cell_message) is no field of the request", call: () => client.createUserFeed({ ...feed(), cell_message: 'c' } as never), path: 'cell_message', rule: 'unknownField' },
    { name: 'too long (the page: cell string(128))', call: () => client.createUserFeed({ ...feed(), cell: long(129) }), path: 'cell', rule: 'maxLength' },
    { name: 'too long (the page: out_request_no string(64) on this page)', call: () => client.createUserFeed({ ...feed(), out_request_no: long(65) }), path: 'out_request_no', rule: 'maxLength' },
    { name: 'too long (the points pages: brand_id string(16))', call: () => client.syncUserPoints({ ...points(), brand_id: long(17) }), path: 'brand_id', rule: 'maxLength' },
    { name: 'a wrong type (point_balance integer)', call: () => client.syncUserPoints({ ...points(), point_balance: '100' as never }), path: 'point_balance', rule: 'type' },
    { name: 'not an integer', call: () => client.syncUserPoints({ ...points(), point_balance: 1.5 }), path: 'point_balance', rule: 'type' },
    { name: 'a value outside the enum (result)', call: () => client.confirmPointsExchangeCoupon({ ...exchange(), result: 'POINT_EXCHANGE_COUPON_SUCCESS' as never }), path: 'result', rule: 'enum' },
    { name: "the community's answer field (state) is no field of the request", call: () => client.confirmPointsExchangeCoupon({ ...exchange(), state: 'POINT_EXCHANGE_COUPON_SUCCESS' } as never), path: 'state', rule: 'unknownField' },
    { name: 'too long (the page: record_id string(64))', call: () => client.confirmPointsExchangeCoupon({ ...exchange(), record_id: long(65) }), path: 'record_id', rule: 'maxLength' },
    { name: 'too long (the page: reject_reason string(32))', call: () => client.confirmPointsExchangeCoupon({ ...exchange(), result: 'POINT_EXCHANGE_COUPON_REJECT', reject_reason: long(33) }), path: 'reject_reason', rule: 'maxLength' },
    { name: 'a required field missing (token: openid)', call: () => client.createPreAuthToken({ brand_id, card_id } as never), path: 'openid', rule: 'required' },
    { name: 'too long (token: openid string(128))', call: () => client.createPayViewToken({ brand_id, card_id, openid: long(129) }), path: 'openid', rule: 'maxLength' },
    { name: 'an unknown field (token)', call: () => client.createPayViewToken({ brand_id, card_id, openid, user_card_code } as never), path: 'user_card_code', rule: 'unknownField' },
  ])('$name', async ({ call, path, rule }) => {
    const before = server.requests().length;
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.find((i) => i.path === path)?.rule).toBe(rule);
    expect(server.requests().length).toBe(before);
  });
});

describe('no documented errors: the common APIv3 answers still map', () => {
  it.each([
    { fault: { type: 'system-error' } as const, type: SystemError, call: () => client.syncUserPoints({ ...card(), out_request_no: 'pts-fault', point_balance: 5 }) },
    { fault: { type: 'rate-limit' } as const, type: RateLimitError, call: () => client.createPayViewToken({ brand_id, card_id, openid }) },
  ])('$fault.type', async ({ fault, type, call }) => {
    server.inject(fault);
    await expect(call()).rejects.toBeInstanceOf(type);
  });
});

// Type-level: `npm test` runs tsc over this file first; an expect-error that is not needed fails the run.
// These functions are never called: only their types matter.
describe('the types refuse the same inputs', () => {
  it('compiles only what the pages allow', () => {
    const base = { brand_id, card_id: 'c', openid, user_card_code };
    // @ts-expect-error cell is required (the page: 必填)
    const noCell = (c: MembercardClient) => c.createUserFeed({ ...base, out_request_no: 'f' });
    // @ts-expect-error cell_message is the community's name, not a field of the request
    const communityName = (c: MembercardClient) => c.createUserFeed({ ...base, out_request_no: 'f', cell: 'c', cell_message: 'c' });
    // @ts-expect-error point_balance is an integer
    const stringPoints = (c: MembercardClient) => c.syncUserPoints({ ...base, out_request_no: 'p', point_balance: '1' });
    // @ts-expect-error SUCCESS is the answer's state, not one of the request's 可选取值
    const answerValue = (c: MembercardClient) => c.confirmPointsExchangeCoupon({ ...base, record_id: 'r', exchange_coupon_template_id: 'e', result: 'POINT_EXCHANGE_COUPON_SUCCESS' });
    // @ts-expect-error the token requests have no user_card_code
    const extra = (c: MembercardClient) => c.createPreAuthToken({ brand_id, card_id: 'c', openid, user_card_code });
    expect([noCell, communityName, stringPoints, answerValue, extra]).toHaveLength(5);
  });
});
