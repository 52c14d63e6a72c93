// The five 品牌会员发券活动 operations end to end: the generated client against
// the local server's card store. A full and a minimal request of each land as
// the spec says and come back as the store keeps them; each kind of bad input
// is refused before anything is sent; the store's refusals and the server's
// own checks arrive as typed errors; and an activity lives as the pages'
// states say: created, effective once it begins, expired after it ends,
// terminated for good.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, InvalidRequestError, ParamError, SystemError, ValidationError, type CreateMembershipActivityRequest, type MembercardClient } from '../../generated/index.js';
import { startLocalWechatPay, type LocalWechatPay } from '../../generated/local-server.js';
import { rfc3339 } from '../../runtime/local-server/time.js';
import { keys } from '../helpers.js';
import { raw } from './raw.js';

const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
const DAY = 86_400_000;
const BASE = '/v3/brand/partner/card-member/membership-activities';
// A seeded test template of brand 1004 (DEFAULT_TEMPLATES).
const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';

let clock = Date.now();
let server: LocalWechatPay;
let client: MembercardClient;

async function start(): Promise<void> {
  clock = Date.now();
  server = await startLocalWechatPay({ keys: serverKeys, now: () => clock });
  client = createClient({ ...server.clientConfig, now: () => clock });
}

afterEach(async () => {
  client.close();
  await server.close();
});

const at = (offsetMs: number) => rfc3339(new Date(clock + offsetMs));

function minimal(extra: Partial<CreateMembershipActivityRequest> = {}): CreateMembershipActivityRequest {
  return {
    out_request_no: '1004_20251114_0001',
    brand_id: '1004',
    card_id: CARD_ID,
    activity_channel: 'MECHANT_APP_COMPONENT',
    title: '入会享券',
    sub_title: '5张满减券',
    begin_time: at(DAY),
    end_time: at(30 * DAY),
    apply_total: 1000,
    product_coupon_stock_list: [{ product_coupon_id: '701138812971763025610907319729', stock_id: '98065001' }],
    ...extra,
  };
}

/** The method and target of every request the server saw, in order. */
const seen = () => server.requests().map((r) => `${r.method} ${r.target}`);

describe('each operation, a full and a minimal request', () => {
  it('createMembershipActivity: every field as sent comes back, with the id, the whole stock available and the state', async () => {
    await start();
    const request = minimal({ title: '一'.repeat(128), sub_title: 'sub', product_coupon_stock_list: [{ product_coupon_id: 'p1', stock_id: 's1' }, { product_coupon_id: 'p2', stock_id: 's2' }] });
    const created = await client.createMembershipActivity(request);
    expect(created).toEqual({ ...request, apply_available: 1000, activity_id: expect.stringMatching(/^\d+$/), activity_state: 'MEMBERSHIP_ACTIVITY_CREATED', create_time: at(0), modify_time: at(0) });
    expect(seen()).toEqual([`POST ${BASE}`]);
  });

  it('createMembershipActivity, minimal: an empty coupon list (the community sets no minItems)', async () => {
    await start();
    const created = await client.createMembershipActivity(minimal({ product_coupon_stock_list: [] }));
    expect(created.product_coupon_stock_list).toEqual([]);
  });

  it('listMembershipActivities, full and minimal: the query as the page has it, paged by offset and limit', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    const b = await client.createMembershipActivity(minimal({ out_request_no: 'r2' }));
    const full = await client.listMembershipActivities({ brand_id: '1004', card_id: CARD_ID, activity_state: 'MEMBERSHIP_ACTIVITY_CREATED', offset: 0, limit: 20 });
    expect(full).toEqual({ total_count: 2, offset: 0, limit: 20, data: [a, b] });
    const second = await client.listMembershipActivities({ brand_id: '1004', offset: 1, limit: 1 });
    expect(second).toEqual({ total_count: 2, offset: 1, limit: 1, data: [b] });
    expect(seen().slice(2)).toEqual([
      `GET ${BASE}?brand_id=1004&card_id=${CARD_ID}&activity_state=MEMBERSHIP_ACTIVITY_CREATED&offset=0&limit=20`,
      `GET ${BASE}?brand_id=1004&offset=1&limit=1`,
    ]);
  });

  it('getMembershipActivity: activity_id in the path, brand_id in the query', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    expect(await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).toEqual(a);
    expect(seen()[1]).toBe(`GET ${BASE}/${a.activity_id}?brand_id=1004`);
  });

  it('updateMembershipActivity: the titles and times change, the rest stays', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    clock += 60_000;
    const changes = { title: '新标题', sub_title: '10张券', begin_time: at(2 * DAY), end_time: at(60 * DAY) };
    const updated = await client.updateMembershipActivity({ activity_id: a.activity_id, brand_id: '1004', ...changes });
    expect(updated).toEqual({ ...a, ...changes, modify_time: at(0) });
    expect(await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).toEqual(updated);
    expect(seen()[1]).toBe(`PATCH ${BASE}/${a.activity_id}`);
  });

  it('terminateMembershipActivity: the state is MEMBERSHIP_ACTIVITY_TERMINATED, for get and list too', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    const ended = await client.terminateMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' });
    expect(ended).toEqual({ ...a, activity_state: 'MEMBERSHIP_ACTIVITY_TERMINATED' });
    expect((await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).activity_state).toBe('MEMBERSHIP_ACTIVITY_TERMINATED');
    expect((await client.listMembershipActivities({ brand_id: '1004', activity_state: 'MEMBERSHIP_ACTIVITY_TERMINATED', offset: 0, limit: 20 })).data).toEqual([ended]);
    expect(seen()[1]).toBe(`POST ${BASE}/${a.activity_id}/terminate`);
  });
});

describe('the life of an activity', () => {
  it('created, effective once it begins, then terminated: a terminated activity takes no update and no second termination', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    // The same 商家请求单号 again is the same activity.
    expect(await client.createMembershipActivity(minimal({ title: '另一个' }))).toEqual(a);
    expect((await client.listMembershipActivities({ brand_id: '1004', offset: 0, limit: 20 })).total_count).toBe(1);

    clock += 2 * DAY;
    expect((await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).activity_state).toBe('MEMBERSHIP_ACTIVITY_EFFECTIVE');
    expect((await client.listMembershipActivities({ brand_id: '1004', activity_state: 'MEMBERSHIP_ACTIVITY_CREATED', offset: 0, limit: 20 })).total_count).toBe(0);

    await client.terminateMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' });
    const again = { activity_id: a.activity_id, brand_id: '1004' };
    await expect(client.terminateMembershipActivity(again)).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST', wechatMessage: '活动已终止', mayHaveTakenEffect: false });
    await expect(client.updateMembershipActivity({ ...again, title: 't', sub_title: 's', begin_time: at(0), end_time: at(DAY) })).rejects.toBeInstanceOf(InvalidRequestError);
    // Refused changes changed nothing.
    expect(await client.getMembershipActivity(again)).toMatchObject({ title: '入会享券', activity_state: 'MEMBERSHIP_ACTIVITY_TERMINATED' });
  });

  it('expired once its end time has passed, and still listed', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal({ end_time: at(3 * DAY) }));
    clock += 3 * DAY;
    expect((await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).activity_state).toBe('MEMBERSHIP_ACTIVITY_EXPIRED');
    expect((await client.listMembershipActivities({ brand_id: '1004', activity_state: 'MEMBERSHIP_ACTIVITY_EXPIRED', offset: 0, limit: 1 })).data?.map((x) => x.activity_id)).toEqual([a.activity_id]);
  });

  it('refers to a card template the store knows: made by createCardTemplate or seeded, of the brand, not invalidated or deleted', async () => {
    await start();
    const t = await client.createCardTemplate({
      out_request_no: 't-1', brand_id: '1004', appid: 'wx1', card_type: 'NORMAL', card_title: '测试卡', card_color: '#FFFF00', card_picture_url: 'u',
      code_mode: 'MERCHANT_ALLOCATE', code_type: 'QR_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' },
    });
    expect((await client.createMembershipActivity(minimal({ out_request_no: 'on-made', card_id: t.card_id }))).card_id).toBe(t.card_id);
    await expect(client.createMembershipActivity(minimal({ out_request_no: 'x1', card_id: 'pbLatjvWOibDc5-UNKNOWN0000' }))).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡ID无效' });
    await expect(client.createMembershipActivity(minimal({ out_request_no: 'x2', brand_id: '9999' }))).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡模版ID不属于该品牌' });
    await client.invalidateCardTemplate({ card_id: t.card_id, brand_id: '1004' });
    await expect(client.createMembershipActivity(minimal({ out_request_no: 'x3', card_id: t.card_id }))).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡模板已作废' });
    await client.deleteCardTemplate({ card_id: t.card_id, brand_id: '1004' });
    await expect(client.createMembershipActivity(minimal({ out_request_no: 'x4', card_id: t.card_id }))).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡ID无效' });
    expect((await client.listMembershipActivities({ brand_id: '1004', offset: 0, limit: 20 })).total_count).toBe(1);
  });

  it('refuses an activity it does not have, or one of another brand', async () => {
    await start();
    const a = await client.createMembershipActivity(minimal());
    await expect(client.getMembershipActivity({ activity_id: '42', brand_id: '1004' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '活动ID无效' });
    await expect(client.terminateMembershipActivity({ activity_id: a.activity_id, brand_id: '9999' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '活动不属于该品牌' });
    expect((await client.listMembershipActivities({ brand_id: '9999', offset: 0, limit: 20 })).total_count).toBe(0);
    expect((await client.getMembershipActivity({ activity_id: a.activity_id, brand_id: '1004' })).activity_state).toBe('MEMBERSHIP_ACTIVITY_CREATED');
  });
});

describe('bad input is refused before anything is sent', () => {
  const id = { activity_id: '1000001', brand_id: '1004' };
  const times = { title: 't', sub_title: 's', begin_time: '2025-11-14T10:00:00+08:00', end_time: '2025-12-14T10:00:00+08:00' };
  const bad: { name: string; call: (c: MembercardClient) => Promise<unknown>; path: string; rule: string }[] = [
    // @ts-expect-error the types refuse it too: out_request_no is required (the page: 必填)
    { name: 'a required field missing (the page: 必填)', call: (c) => c.createMembershipActivity({ ...minimal(), out_request_no: undefined }), path: 'out_request_no', rule: 'required' },
    { name: 'a required field missing (the community: product_coupon_stock_list)', call: (c) => c.createMembershipActivity({ ...minimal(), product_coupon_stock_list: undefined } as never), path: 'product_coupon_stock_list', rule: 'required' },
    { name: 'a required field missing (the community: update restates the end time)', call: (c) => c.updateMembershipActivity({ ...id, ...times, end_time: undefined } as never), path: 'end_time', rule: 'required' },
    { name: 'a required query parameter missing (the page: offset 必填)', call: (c) => c.listMembershipActivities({ brand_id: '1004', limit: 1 } as never), path: 'offset', rule: 'required' },
    { name: 'too long (the page: title string(128))', call: (c) => c.createMembershipActivity(minimal({ title: '一'.repeat(129) })), path: 'title', rule: 'maxLength' },
    { name: 'too long (the page: out_request_no string(128))', call: (c) => c.createMembershipActivity(minimal({ out_request_no: 'x'.repeat(129) })), path: 'out_request_no', rule: 'maxLength' },
    { name: 'too long (the page: card_id string(32), on list)', call: (c) => c.listMembershipActivities({ brand_id: '1004', card_id: 'c'.repeat(33), offset: 0, limit: 1 }), path: 'card_id', rule: 'maxLength' },
    { name: 'limit above 20 (the page: 1~20)', call: (c) => c.listMembershipActivities({ brand_id: '1004', offset: 0, limit: 21 }), path: 'limit', rule: 'maximum' },
    // @ts-expect-error the types refuse it too: not one of the page's 可选取值
    { name: 'a value outside the enum (activity_channel)', call: (c) => c.createMembershipActivity(minimal({ activity_channel: 'MERCHANT_APP_COMPONENT' })), path: 'activity_channel', rule: 'enum' },
    { name: 'a value outside the enum (activity_state)', call: (c) => c.listMembershipActivities({ brand_id: '1004', activity_state: 'MEMBERSHIP_ACTIVITY_PAUSED' as never, offset: 0, limit: 1 }), path: 'activity_state', rule: 'enum' },
    { name: 'a wrong type (apply_total as a string)', call: (c) => c.createMembershipActivity(minimal({ apply_total: '1000' as never })), path: 'apply_total', rule: 'type' },
    { name: 'not an integer (apply_total)', call: (c) => c.createMembershipActivity(minimal({ apply_total: 10.5 })), path: 'apply_total', rule: 'type' },
    { name: 'not an RFC 3339 time (the page)', call: (c) => c.createMembershipActivity(minimal({ begin_time: '2025-11-14 10:00:00' })), path: 'begin_time', rule: 'format' },
    { name: 'not an RFC 3339 time (the community, on update)', call: (c) => c.updateMembershipActivity({ ...id, ...times, end_time: '2025-02-30T10:00:00+08:00' }), path: 'end_time', rule: 'format' },
    { name: 'an unknown field', call: (c) => c.terminateMembershipActivity({ ...id, reason: 'x' } as never), path: 'reason', rule: 'unknownField' },
    { name: 'an unknown field on update (the community body has five)', call: (c) => c.updateMembershipActivity({ ...id, ...times, apply_total: 5 } as never), path: 'apply_total', rule: 'unknownField' },
    { name: 'a bad nested object: a batch without its stock_id', call: (c) => c.createMembershipActivity(minimal({ product_coupon_stock_list: [{ product_coupon_id: 'p1' } as never] })), path: 'product_coupon_stock_list[0].stock_id', rule: 'required' },
    { name: 'a bad nested object: an unknown field in a batch', call: (c) => c.createMembershipActivity(minimal({ product_coupon_stock_list: [{ product_coupon_id: 'p1', stock_id: 's1', count: 1 } as never] })), path: 'product_coupon_stock_list[0].count', rule: 'unknownField' },
    { name: 'a bad nested object: not a list', call: (c) => c.createMembershipActivity(minimal({ product_coupon_stock_list: { product_coupon_id: 'p1', stock_id: 's1' } as never })), path: 'product_coupon_stock_list', rule: 'type' },
    { name: 'a path value that would change the path', call: (c) => c.getMembershipActivity({ activity_id: '..', brand_id: '1004' }), path: 'activity_id', rule: 'pathSegment' },
  ];

  it.each(bad)('$name', async ({ call, path, rule }) => {
    await start();
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ mayHaveTakenEffect: false });
    const issue = (err as ValidationError).issues.find((i) => i.path === path);
    expect(issue?.rule).toBe(rule);
    expect(server.requests()).toEqual([]);
  });
});

describe('errors', () => {
  // No page's 错误码 survived and the community lists none, so no error is
  // documented for these operations. What they can meet is mapped all the
  // same: the server's own checks, the store's refusals (above) and the
  // common APIv3 errors.
  it('the local server enforces the spec as the client does: a request the client would refuse gets PARAM_ERROR', async () => {
    await start();
    const answer = await raw(server, { method: 'POST', target: BASE, body: { ...minimal({ begin_time: rfc3339(new Date()), end_time: rfc3339(new Date(Date.now() + DAY)) }), title: '一'.repeat(129) } });
    expect(answer).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'title', location: 'body' } } });
    const state = await raw(server, { method: 'GET', target: `${BASE}?brand_id=1004&activity_state=PAUSED&offset=0&limit=1` });
    expect(state).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'activity_state', location: 'query' } } });
  });

  it.each([
    { fault: { type: 'business-error' as const, status: 400, code: 'PARAM_ERROR', message: '参数错误' }, type: ParamError, mayHaveTakenEffect: false },
    { fault: { type: 'system-error' as const }, type: SystemError, mayHaveTakenEffect: true },
  ])('a common error answer ($fault.type) becomes its typed error', async ({ fault, type, mayHaveTakenEffect }) => {
    await start();
    server.inject(fault);
    const err = await client.createMembershipActivity(minimal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ mayHaveTakenEffect });
    // Nothing was made: the list is empty.
    expect((await client.listMembershipActivities({ brand_id: '1004', offset: 0, limit: 20 })).total_count).toBe(0);
  });
});
