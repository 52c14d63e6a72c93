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

export const steps: Step[] = [
  {
    name: 'confirmUserCard',
    run: (c) =>
      c.confirmUserCard({
        user_card_code: CODE,
        card_id: CARD_ID,
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
    name: 'invalidateUserCard',
    run: (c) => c.invalidateUserCard({ user_card_code: CODE, brand_id: BRAND_ID, card_id: CARD_ID, openid: OPENID, invalid_reason: '演示作废' }),
    expect: (r) => {
      const card = r as { user_card_state: string; invalid_reason?: string };
      must(card.user_card_state === 'INVALID', `user_card_state is ${card.user_card_state}, expected INVALID`);
      return `user_card_state=${card.user_card_state}, invalid_reason=${card.invalid_reason ?? ''}`;
    },
  },
  {
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
