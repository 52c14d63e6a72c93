// The steps of `npm start`: each operation of the card's life through the
// generated client against the local server, with what its verified result
// must show. Add a step here to show another operation; main.ts runs them.
import type { MembercardClient } from '../../generated/index.js';

const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const BRAND_ID = '1004';
const CODE = '478515832665';
const OPENID = 'obLatjnx9gnqzS4myYGmLZ7LgLBA';
const PHONE = '13800138000';

export interface Step {
  name: string;
  run(client: MembercardClient): Promise<unknown>;
  /** What the verified result must show; returns a one-line summary or throws. */
  expect(result: unknown): string;
}

// The template createCardTemplate makes; the later steps use it.
let template = '';
const PICKUP = '2025-06-22T10:00:00+08:00';

/** The life of a card: a template is made and looked up, a member is brought in and confirmed, looked up, updated, invalidated; then the template itself is. */
export const steps: Step[] = [
  {
    name: 'createCardTemplate',
    run: (c) =>
      c.createCardTemplate({
        out_request_no: `${BRAND_ID}_demo_0001`, brand_id: BRAND_ID, appid: 'wxea9c30890f48d5ae', card_type: 'NORMAL', card_title: '演示会员卡', card_color: '#FFFF00',
        card_picture_url: 'https://wxpaylogo.qpic.cn/demo.png', code_mode: 'MERCHANT_ALLOCATE', code_type: 'QR_CODE', benefits: '会员95折', notify_url: 'https://example.com/notify',
        valid_date_information: { type: 'PERMANENT' },
      }),
    expect: (r) => {
      const t = r as { card_id: string; state: string };
      template = t.card_id;
      must(t.state === 'CARD_EFFECTIVE', `state is ${t.state}, expected CARD_EFFECTIVE`);
      return `card_id=${t.card_id}, state=${t.state}`;
    },
  },
  {
    name: 'getCardTemplate',
    run: (c) => c.getCardTemplate({ card_id: template, brand_id: BRAND_ID }),
    expect: (r) => {
      const t = r as { card_title: string };
      must(t.card_title === '演示会员卡', `card_title is ${t.card_title}`);
      return `card_title=${t.card_title}`;
    },
  },
  {
    // A user who opens the card in WeChat arrives as a card event notification; a member the merchant already has is imported.
    name: 'importUserCardByOpenid',
    run: (c) => c.importUserCardByOpenid({ brand_id: BRAND_ID, card_id: template, openid: OPENID, user_card_code: CODE, phone_number: PHONE, date_information: { type: 'PERMANENT' }, pickup_time: PICKUP }),
    expect: (r) => {
      const card = r as { user_card_state: string; phone_number?: string };
      must(card.user_card_state === 'EFFECTIVE', `user_card_state is ${card.user_card_state}, expected EFFECTIVE (imports are silently activated)`);
      must(card.phone_number === PHONE, 'phone_number did not decrypt back to what was sent');
      return `user_card_state=${card.user_card_state}, phone_number decrypted and matches`;
    },
  },
  {
    name: 'confirmUserCard',
    run: (c) =>
      c.confirmUserCard({
        user_card_code: CODE,
        card_id: template,
        brand_id: BRAND_ID,
        openid: OPENID,
        phone_number: PHONE,
        level: '钻石会员',
        user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: '1990-01-01' }] },
        user_card_confirm_state: 'CREATE_CARD_SUCCESS',
      }),
    expect: (r) => {
      const card = r as { user_card_state: string; phone_number?: string };
      must(card.user_card_state === 'EFFECTIVE', `user_card_state is ${card.user_card_state}, expected EFFECTIVE`);
      must(card.phone_number === PHONE, 'phone_number did not decrypt back to what was sent');
      return `user_card_state=${card.user_card_state}, phone_number decrypted and matches`;
    },
  },
  {
    name: 'getUserCard',
    run: (c) => c.getUserCard({ user_card_code: CODE, brand_id: BRAND_ID, card_id: template, openid: OPENID }),
    expect: (r) => {
      const card = r as { level?: string };
      must(card.level === '钻石会员', `level is ${card.level}, expected what confirm set`);
      return `level=${card.level}`;
    },
  },
  {
    name: 'updateUserCard',
    run: (c) => c.updateUserCard({ user_card_code: CODE, card_id: template, brand_id: BRAND_ID, openid: OPENID, level: '黑金会员' }),
    expect: (r) => {
      const card = r as { level?: string };
      must(card.level === '黑金会员', `level is ${card.level}`);
      return `level=${card.level}`;
    },
  },
  {
    name: 'invalidateUserCard',
    run: (c) => c.invalidateUserCard({ user_card_code: CODE, brand_id: BRAND_ID, card_id: template, openid: OPENID, invalid_reason: '演示作废' }),
    expect: (r) => {
      const card = r as { user_card_state: string; invalid_reason?: string };
      must(card.user_card_state === 'INVALID', `user_card_state is ${card.user_card_state}, expected INVALID`);
      return `user_card_state=${card.user_card_state}, invalid_reason=${card.invalid_reason ?? ''}`;
    },
  },
  {
    name: 'invalidateCardTemplate',
    run: (c) => c.invalidateCardTemplate({ card_id: template, brand_id: BRAND_ID }),
    expect: (r) => {
      const t = r as { state: string };
      must(t.state === 'CARD_INVALID', `state is ${t.state}, expected CARD_INVALID`);
      return `state=${t.state}: the template takes no new card`;
    },
  },
  {
    // The older 会员卡开放 family's template update, on a template of that family.
    name: 'updateCardTemplate',
    run: (c) => c.updateCardTemplate({ card_id: CARD_ID, title: '微信支付测试卡', code_mode: 'REAL_TIME', need_dynamic_code: false }),
    expect: (r) => {
      must(r === undefined, 'expected no body (204)');
      return '204 No Content, signature over the empty body verified';
    },
  },
];

function must(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}
