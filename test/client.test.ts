// The generated client sends exactly the documented request for each operation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createClient, type MembercardClient } from '../generated/index.js';
import { decrypt } from '../runtime/encrypt.js';
import { clientConfig, keys, wechatHeaders } from './helpers.js';
import { signatureCovers, type Seen } from './wire.js';

const API = 'https://api.mch.weixin.qq.com';
const CARD = JSON.stringify({ user_card_code: '478515832665', card_id: 'c', openid: 'o', brand_id: '1004', card_type: 'NORMAL', valid_date_information: {}, pickup_time: 't', user_card_state: 'EFFECTIVE', create_time: 't', modify_time: 't' });


let client: MembercardClient;
const NOW = 1_750_000_000_000;

function capture(method: 'post' | 'patch', status: number, body: string): Promise<Seen> {
  return new Promise((resolve) => {
    nock(API)
      .intercept(/.*/, method.toUpperCase())
      .reply(function (uri, requestBody) {
        resolve({ method: this.req.method, path: uri, headers: this.req.headers as Record<string, string>, rawBody: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody) });
        return [status, body, wechatHeaders(body, { timestamp: NOW / 1000 })];
      });
  });
}


beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  client.close();
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('generated client on the wire', () => {
  it('confirmUserCard: POST, path segment, card_id query, body without path/query fields, marked fields encrypted', async () => {
    client = createClient(clientConfig({ now: () => NOW, nonce: () => 'FIXEDNONCE' }));
    const seen = capture('post', 200, CARD);
    await client.confirmUserCard({
      user_card_code: '4785 158/32665',
      card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0',
      brand_id: '1004',
      openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA',
      card_color: '#FFFF00',
      phone_number: '13800138000',
      level: '钻石会员',
      valid_date_information: { type: 'FIX_TERM', available_day_after_receive: 30 },
      user_information: {
        common_field_list: [{ name: 'USER_FORM_FLAG_NAME', value: '张三' }],
        custom_field_list: [{ name: '喜欢的运动', user_chosen_values: ['篮球'] }],
      },
      attach: '自定义数据说明',
      user_card_confirm_state: 'CREATE_CARD_SUCCESS',
    });
    const s = await seen;
    expect(s.method).toBe('POST');
    expect(s.path).toBe('/v3/brand/partner/card-member/user-cards/4785%20158%2F32665/confirm?card_id=pbLatjvWOibDc5-TBnbUk1pD12o0');
    expect(s.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'wechatpay-serial': 'PUB_KEY_ID_0114232134912410000000000000' });
    expect(s.headers['authorization']).toContain(`nonce_str="FIXEDNONCE",timestamp="${NOW / 1000}"`);
    expect(signatureCovers(s)).toBe(true);
    const body = JSON.parse(s.rawBody);
    expect(Object.keys(body)).toEqual(['brand_id', 'openid', 'card_color', 'phone_number', 'level', 'valid_date_information', 'user_information', 'attach', 'user_card_confirm_state']);
    expect(decrypt(body.phone_number, keys.wechatpayPrivate)).toBe('13800138000');
    expect(decrypt(body.user_information.common_field_list[0].value, keys.wechatpayPrivate)).toBe('张三');
    // Decided in the spec: user_chosen_values is not encrypted.
    expect(body.user_information.custom_field_list[0].user_chosen_values).toEqual(['篮球']);
    expect({ ...body, phone_number: 'x', user_information: undefined }).toEqual({
      brand_id: '1004', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA', card_color: '#FFFF00', phone_number: 'x', level: '钻石会员',
      valid_date_information: { type: 'FIX_TERM', available_day_after_receive: 30 }, attach: '自定义数据说明', user_card_confirm_state: 'CREATE_CARD_SUCCESS',
    });
  });

  it('invalidateUserCard: POST, brand_id then card_id in the query, openid and reason in the body', async () => {
    client = createClient(clientConfig({ now: () => NOW }));
    const seen = capture('post', 200, CARD);
    await client.invalidateUserCard({ user_card_code: '478515832665', brand_id: '1004', card_id: "pbL'at", openid: 'o', invalid_reason: '传入的自定义作废原因' });
    const s = await seen;
    expect(s.path).toBe('/v3/brand/partner/card-member/user-cards/478515832665/invalidate?brand_id=1004&card_id=pbL%27at');
    expect(s.rawBody).toBe('{"openid":"o","invalid_reason":"传入的自定义作废原因"}');
    expect(signatureCovers(s)).toBe(true);
  });

  it('updateCardTemplate: PATCH, card_id in the path, every other field in the body, resolves to undefined', async () => {
    client = createClient(clientConfig({ now: () => NOW }));
    const seen = capture('patch', 204, '');
    const sent = {
      appid: 'wxea9c30890f48d5ae',
      title: '微信支付测试卡',
      total_quantity: 5000000,
      date_information: { type: 'FIX_TIME_RANGE', available_begin_time: '2020-05-20T13:29:35.120+08:00', wait_days_after_receive: 1 },
      balance_information: { need_balance: false, balance_path: 'pages/balance/balance' },
      user_information_form: { can_modify_after_activate: false, common_field_list: ['USER_FORM_FLAG_MOBILE'], custom_field_list: [{ type: 'TEXT', name: '喜欢的运动', values: ['篮球'] }] },
      additional_statement: { title: 't', url: 'https://xxx.111.com' },
      code_mode: 'REAL_TIME' as const,
      need_dynamic_code: false,
      code_type: 'BAR_CODE' as const,
    };
    await expect(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', ...sent })).resolves.toBeUndefined();
    const s = await seen;
    expect(s.method).toBe('PATCH');
    expect(s.path).toBe('/v3/marketing/membercard-open/cards/pbLatjvWOibDc5-TBnbUk1pD12o0');
    expect(JSON.parse(s.rawBody)).toEqual(sent);
    expect(signatureCovers(s)).toBe(true);
  });
});
