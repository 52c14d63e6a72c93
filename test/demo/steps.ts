// The steps of `npm start`: each operation of the card's life through the
// generated client against the local server, with what its verified result
// must show. Add a step here to show another operation; main.ts runs them.
import type { MembercardClient, Notification } from '../../generated/index.js';
import type { Delivery, LocalWechatPay } from '../../generated/local-server.js';
import { startMerchant, type ConfirmedCard } from './merchant.js';

const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const BRAND_ID = '1004';
const CODE = '478515832665';
const OPENID = 'obLatjnx9gnqzS4myYGmLZ7LgLBA';
const PHONE = '13800138000';
// The member who opens the card in WeChat (the card-open notification).
const OPENER_CODE = '478515832666';
const OPENER_OPENID = 'obLatjnx9gnqzS4myYGmLZ7LgLBB';

export interface Step {
  name: string;
  run(client: MembercardClient, server: LocalWechatPay): Promise<unknown>;
  /** What the verified result must show; returns a one-line summary or throws. */
  expect(result: unknown): string;
  /** Extra lines to print about the result (never plaintext of an encrypted field). */
  show?(result: unknown): string[];
}

/** What the card-open step saw: the delivery, what the handler let through, what its confirm answered. */
interface CardOpening {
  delivery: Delivery;
  seen: Notification[];
  confirmed: ConfirmedCard[];
  errors: unknown[];
}

// The template createCardTemplate makes; the later steps use it.
let template = '';
const PICKUP = '2025-06-22T10:00:00+08:00';

/** The life of a card: a template is made and looked up, a join token made, a member opens a card (announced to the merchant's handler, which confirms it), a member is brought in and confirmed, looked up, updated, given points, a coupon for points, a feed and a pay-view token, invalidated; then the template itself is. */
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
    // Before a user joins: the token with which the merchant's mini program or H5 opens WeChat's join component.
    name: 'createPreAuthToken',
    run: (c) => c.createPreAuthToken({ brand_id: BRAND_ID, card_id: template, openid: OPENER_OPENID }),
    expect: (r) => {
      const t = r as { token: string; expire_time: string };
      must(t.token.length > 0 && t.token.length <= 32, `token has ${t.token.length} characters, expected 1 to 32`);
      return `a token, expire_time=${t.expire_time} (one hour)`;
    },
  },
  {
    // A member opens the card in WeChat: the local server announces it to the merchant's notify_url (signed, the
    // resource encrypted with the APIv3 key); the handler verifies and decrypts it, and the merchant's code confirms the card.
    name: 'cardOpenNotification',
    run: async (c, server): Promise<CardOpening> => {
      const merchant = await startMerchant(c);
      try {
        const resource = { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', user_card_code: OPENER_CODE, card_id: template, brand_id: BRAND_ID, openid: OPENER_OPENID, card_type: 'NORMAL' };
        const delivery = await server.notify(merchant.url, { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource }, { retryDelaysMs: [] });
        return { delivery, seen: [...merchant.seen], confirmed: [...merchant.confirmed], errors: [...merchant.errors] };
      } finally {
        await merchant.close();
      }
    },
    show: (r) => {
      const o = r as CardOpening;
      const answers = o.delivery.attempts.map((a) => a.status ?? a.failure).join(', ');
      return [
        `notify    POST ${o.delivery.url}  answered ${answers}`,
        ...o.seen.map((n) => `event     ${n.event_type}  id ${n.id}  signature verified, resource decrypted`),
      ];
    },
    expect: (r) => {
      const o = r as CardOpening;
      must(o.errors.length === 0, `the handler refused or failed: ${o.errors.map((e) => (e as Error).message).join('; ')}`);
      must(o.delivery.delivered, `not delivered: ${o.delivery.attempts.map((a) => a.failure).join(', ')}`);
      must(o.seen.length === 1 && o.seen[0]!.id === o.delivery.id, 'the handler did not get the notification that was sent, once');
      const event = o.seen[0]!;
      must(event.event_type === 'MEMBERCARDSP.USER_CARD.CREATE', `event_type is ${event.event_type}`);
      must(event.resource.card_id === template && event.resource.user_card_code === OPENER_CODE, 'the decrypted resource is not the announced card');
      must(o.confirmed.length === 1, `the handler confirmed ${o.confirmed.length} cards, expected 1`);
      const card = o.confirmed[0]!;
      must(card.user_card_state === 'EFFECTIVE', `user_card_state is ${card.user_card_state}, expected EFFECTIVE`);
      return `the handler's confirmUserCard: user_card_state=${card.user_card_state}`;
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
    name: 'syncUserPoints',
    run: (c) => c.syncUserPoints({ out_request_no: `${BRAND_ID}_points_0001`, brand_id: BRAND_ID, card_id: template, openid: OPENID, user_card_code: CODE, point_balance: 1200 }),
    expect: (r) => {
      const p = r as { point_balance: number };
      must(p.point_balance === 1200, `point_balance is ${p.point_balance}, expected 1200`);
      return `point_balance=${p.point_balance}`;
    },
  },
  {
    // WeChat announced a points-for-coupon exchange (record_id); the merchant allows it.
    name: 'confirmPointsExchangeCoupon',
    run: (c) => c.confirmPointsExchangeCoupon({ record_id: 'demo-exchange-0001', exchange_coupon_template_id: '0Flpo7FqTQ', brand_id: BRAND_ID, card_id: template, openid: OPENID, user_card_code: CODE, result: 'POINT_EXCHANGE_COUPON_ALLOW' }),
    expect: (r) => {
      const e = r as { state: string; coupon_code?: string };
      must(e.state === 'POINT_EXCHANGE_COUPON_SUCCESS', `state is ${e.state}, expected POINT_EXCHANGE_COUPON_SUCCESS`);
      return `state=${e.state}, coupon_code=${e.coupon_code ?? ''}`;
    },
  },
  {
    name: 'createUserFeed',
    run: (c) => c.createUserFeed({ brand_id: BRAND_ID, card_id: template, user_card_code: CODE, openid: OPENID, out_request_no: `${BRAND_ID}_feed_0001`, cell: '1_1200_1' }),
    expect: (r) => {
      const f = r as { out_request_no: string };
      must(f.out_request_no === `${BRAND_ID}_feed_0001`, `out_request_no is ${f.out_request_no}`);
      return `out_request_no=${f.out_request_no}`;
    },
  },
  {
    // The member shows the payment code in the merchant's mini program.
    name: 'createPayViewToken',
    run: (c) => c.createPayViewToken({ brand_id: BRAND_ID, card_id: template, openid: OPENID }),
    expect: (r) => {
      const t = r as { token: string; expire_time: string };
      must(t.token.length > 0, 'no token');
      return `a token, expire_time=${t.expire_time} (ten minutes)`;
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
