// The life of a 2025 card against the local server's card store: a template
// that create made is what get and list return and update changes; an
// imported card is what get returns and confirm and invalidate act on; an
// invalidated or deleted template takes no new card.
import { describe, expect, it } from 'vitest';
import { createClient, InvalidRequestError } from '../../generated/index.js';
import { startLocalWechatPay } from '../../generated/local-server.js';
import { keys } from '../helpers.js';
import { raw } from './raw.js';

const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
const PICKUP = '2025-06-22T10:00:00+08:00';

describe('the card-member store', () => {
  it('walks a card from template to invalidation', async () => {
    const server = await startLocalWechatPay({ keys: serverKeys });
    const client = createClient({ ...server.clientConfig, decryptResponses: true });
    try {
      const created = await client.createCardTemplate({
        out_request_no: 'r-1', brand_id: '1004', appid: 'wx1', card_type: 'NORMAL', card_title: '测试卡', card_color: '#FFFF00', card_picture_url: 'https://x/y.png',
        code_mode: 'MERCHANT_ALLOCATE', code_type: 'QR_CODE', benefits: '95折', notify_url: 'https://example.com/n', valid_date_information: { type: 'PERMANENT' },
      });
      expect(created).toMatchObject({ brand_id: '1004', card_title: '测试卡', state: 'CARD_EFFECTIVE' });
      const card_id = created.card_id;
      // The same 商家请求单号 again: the same template.
      expect((await client.createCardTemplate({ out_request_no: 'r-1', brand_id: '1004', appid: 'wx1', card_type: 'NORMAL', card_title: '测试卡', card_color: '#FFFF00', card_picture_url: 'u', code_mode: 'MERCHANT_ALLOCATE', code_type: 'QR_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' } })).card_id).toBe(card_id);
      expect(await client.getCardTemplate({ card_id, brand_id: '1004' })).toEqual(created);
      const listed = await client.listCardTemplates({ brand_id: '1004', offset: 0, limit: 20 });
      expect(listed.data?.map((t) => t.card_id)).toEqual([card_id]);
      expect(listed.total_count).toBe(1);

      const updated = await client.updateCardMemberTemplate({ card_id, brand_id: '1004', card_title: '新名字' });
      expect(updated.card_title).toBe('新名字');
      expect((await client.getCardTemplate({ card_id, brand_id: '1004' })).card_title).toBe('新名字');

      const imported = await client.importUserCardByPhone({ brand_id: '1004', card_id, phone_number: '13800138000', user_card_code: 'C0001', date_information: { type: 'PERMANENT' }, pickup_time: PICKUP });
      // Imports are 静默激活: effective at once; the phone number comes back encrypted to us, and decrypts.
      expect(imported).toMatchObject({ user_card_code: 'C0001', card_id, user_card_state: 'EFFECTIVE', phone_number: '13800138000', pickup_time: PICKUP });
      const openid = imported.openid;
      expect(await client.getUserCard({ user_card_code: 'C0001', brand_id: '1004', card_id, openid })).toEqual(imported);
      expect((await client.updateUserCard({ user_card_code: 'C0001', card_id, brand_id: '1004', openid, level: '金卡' })).level).toBe('金卡');
      expect((await client.listUserCards({ brand_id: '1004', openid, offset: 0, limit: 20 })).data?.map((c) => c.level)).toEqual(['金卡']);

      const confirmed = await client.confirmUserCard({ user_card_code: 'C0001', card_id, brand_id: '1004', openid, user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
      expect(confirmed).toMatchObject({ level: '金卡', user_card_state: 'EFFECTIVE' });
      expect((await client.invalidateUserCard({ user_card_code: 'C0001', card_id, brand_id: '1004', openid, invalid_reason: '测试' })).user_card_state).toBe('INVALID');
      expect((await client.getUserCard({ user_card_code: 'C0001', brand_id: '1004', card_id, openid })).invalid_reason).toBe('测试');

      expect((await client.invalidateCardTemplate({ card_id, brand_id: '1004' })).state).toBe('CARD_INVALID');
      await expect(client.importUserCardByOpenid({ brand_id: '1004', card_id, openid: 'o2', user_card_code: 'C0002', date_information: { type: 'PERMANENT' }, pickup_time: PICKUP })).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(client.confirmUserCard({ user_card_code: 'C0003', card_id, brand_id: '1004', openid: 'o3', user_card_confirm_state: 'CREATE_CARD_SUCCESS' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡模板已作废' });
      expect((await client.listCardTemplates({ brand_id: '1004', state: 'CARD_INVALID', offset: 0, limit: 1 })).total_count).toBe(1);

      await client.deleteCardTemplate({ card_id, brand_id: '1004' });
      await expect(client.getCardTemplate({ card_id, brand_id: '1004' })).rejects.toBeInstanceOf(InvalidRequestError);
      expect((await client.listCardTemplates({ brand_id: '1004', offset: 0, limit: 20 })).total_count).toBe(0);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('refuses a template of another brand, a template it did not make, and a code already used', async () => {
    const server = await startLocalWechatPay({ keys: serverKeys });
    const client = createClient(server.clientConfig);
    try {
      const made = await client.createCardTemplate({ out_request_no: 'r', brand_id: '1004', appid: 'wx1', card_type: 'NORMAL', card_title: 't', card_color: '#000000', card_picture_url: 'u', code_mode: 'SYSTEM_ALLOCATE', code_type: 'NONE_CODE', benefits: 'b', notify_url: 'n', valid_date_information: { type: 'PERMANENT' } });
      await expect(client.getCardTemplate({ card_id: made.card_id, brand_id: '9999' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡模版ID不属于该品牌' });
      // A seeded test template (no 2025 record) can take imported cards, but is no template get answers with.
      const card_id = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
      await expect(client.getCardTemplate({ card_id, brand_id: '1004' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', wechatMessage: '会员卡ID无效' });
      const body = { brand_id: '1004', card_id, openid: 'o1', user_card_code: 'C1', date_information: { type: 'PERMANENT' as const }, pickup_time: PICKUP };
      await client.importUserCardByOpenid(body);
      await expect(client.importUserCardByOpenid(body)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      expect((await client.listUserCards({ brand_id: '1004', openid: 'o1', offset: 1, limit: 20 })).data).toEqual([]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it.each([
    { name: 'importUserCardByPhone', method: 'POST', target: '/v3/brand/partner/card-member/user-cards/import-by-phone', body: { brand_id: '1004', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', phone_number: '13800138000', user_card_code: 'C9', date_information: { type: 'PERMANENT' }, pickup_time: PICKUP } },
    { name: 'importUserCardByOpenid', method: 'POST', target: '/v3/brand/partner/card-member/user-cards/import-by-openid', body: { brand_id: '1004', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', openid: 'o9', user_card_code: 'C9', phone_number: '13800138000', date_information: { type: 'PERMANENT' }, pickup_time: PICKUP } },
    { name: 'updateUserCard', method: 'PATCH', target: '/v3/brand/partner/card-member/user-cards/C9?card_id=pbLatjvWOibDc5-TBnbUk1pD12o0', body: { brand_id: '1004', openid: 'o9', phone_number: '13800138000' } },
  ])('$name: a phone number in plaintext is refused, as WeChat would (the field must be ciphertext for its key)', async ({ method, target, body }) => {
    const server = await startLocalWechatPay({ keys: serverKeys });
    try {
      const answer = await raw(server, { method, target, body });
      expect(answer).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'phone_number' } } });
      expect(JSON.stringify(answer.body)).not.toContain('13800138000');
    } finally {
      await server.close();
    }
  });
});
