// The local server's business for the services around a member's card
// (#19 item 6): a user feed, a points balance and a coupon exchange act on a
// card the store knows (imported or confirmed), for its own user; the two
// component tokens are made here, for a template that still takes members.
// The pages' answers and errors did not survive (spec/member-services.yaml),
// so each refusal is our reading, in the words the card store already uses
// for the same situation (an unknown card, a template of another brand), and
// says so.
import { randomBytes } from 'node:crypto';
import { CARD_INVALID, getUserCard, liveTemplate, NO_CARD } from './card-member.js';
import type { CardStore, Outcome } from './store.js';

type Request = Record<string, unknown>;
type Body = Record<string, unknown>;

const fail = (status: number, code: string, message: string): Outcome => ({ error: { status, code, message } });

/** The card named by brand_id, card_id, user_card_code and openid, not invalidated (as updateUserCard asks); or the refusal getUserCard gives. */
function liveCard(store: CardStore, r: Request): Outcome {
  const found = getUserCard(store, r);
  if ('card' in found && found.card?.user_card_state === 'INVALID') return CARD_INVALID;
  return found;
}

/**
 * Our reading of a request number (商家请求单号, 积分兑券ID): the same number
 * again answers as the first time and changes nothing. A refusal is not
 * remembered, so a request refused for a reason since put right goes through.
 */
function once(answers: Map<string, Body>, key: string, make: () => Outcome): Outcome {
  const again = answers.get(key);
  if (again) return { body: again };
  const made = make();
  if ('body' in made) answers.set(key, made.body);
  return made;
}

const byRequestNo = (r: Request) => `${String(r['brand_id'])}\u0000${String(r['out_request_no'])}`;

/** The same 商家请求单号 again is the same feed, not a second one. */
export function createUserFeed(store: CardStore, r: Request): Outcome {
  return once(store.services.feeds, byRequestNo(r), () => {
    const found = liveCard(store, r);
    if (!('card' in found)) return found;
    // The answer as the community states it: the request echoed, the content under its name for it.
    return { body: { brand_id: r['brand_id'], card_id: r['card_id'], user_card_code: r['user_card_code'], openid: r['openid'], out_request_no: r['out_request_no'], cell_message: r['cell'] } };
  });
}

/** The balance replaces the card's last one. */
export function syncUserPoints(store: CardStore, r: Request): Outcome {
  return once(store.services.syncs, byRequestNo(r), () => {
    const found = liveCard(store, r);
    if (!('card' in found)) return found;
    store.services.points.set(`${String(r['card_id'])}\u0000${String(r['user_card_code'])}`, Number(r['point_balance']));
    return { body: { out_request_no: r['out_request_no'], brand_id: r['brand_id'], card_id: r['card_id'], openid: r['openid'], user_card_code: r['user_card_code'], point_balance: r['point_balance'] } };
  });
}

/**
 * ALLOW: the exchange succeeds and a coupon code is issued; REJECT: it
 * fails with the merchant's reason (the page: 当积分兑券结果为拒绝时必填,
 * refused without it). One exchange record has one result: the same
 * record_id again answers as the first time (our reading).
 */
export function confirmPointsExchangeCoupon(store: CardStore, r: Request): Outcome {
  return once(store.services.exchanges, String(r['record_id']), () => {
    const reject = r['result'] === 'POINT_EXCHANGE_COUPON_REJECT';
    if (reject && r['reject_reason'] === undefined) return fail(400, 'PARAM_ERROR', '积分兑券结果为拒绝时,拒绝兑券原因必填');
    const found = liveCard(store, r);
    if (!('card' in found)) return found;
    return {
      body: {
        record_id: r['record_id'],
        exchange_coupon_template_id: r['exchange_coupon_template_id'],
        brand_id: r['brand_id'],
        card_id: r['card_id'],
        openid: r['openid'],
        user_card_code: r['user_card_code'],
        ...(reject ? { state: 'POINT_EXCHANGE_COUPON_FAIL', fail_reason: r['reject_reason'] } : { state: 'POINT_EXCHANGE_COUPON_SUCCESS', coupon_code: store.newId('coupon') }),
      },
    };
  });
}

/**
 * A token the server made (32 hex characters: the page's string(32)),
 * valid for `minutes`. The template must still take members: the
 * invalidate page says 作废后,商家将无法通过任何渠道再投放该会员卡.
 */
function token(store: CardStore, r: Request, minutes: number): Outcome {
  const t = liveTemplate(store, r, false);
  if (!('card_id' in t)) return t;
  if (t.state === 'CARD_INVALID') return store.templateClosed();
  return { body: { token: randomBytes(16).toString('hex'), expire_time: store.time(minutes * 60_000) } };
}

/** The page: token过期时间(生成后一小时有效). */
export function createPreAuthToken(store: CardStore, r: Request): Outcome {
  return token(store, r, 60);
}

/**
 * The page: 该凭证有效期为 10 分钟. The component shows a member's payment
 * code, so the user must hold a card of the template that is not
 * invalidated (our reading); otherwise the store's answer for an unknown card.
 */
export function createPayViewToken(store: CardStore, r: Request): Outcome {
  const made = token(store, r, 10);
  if ('error' in made) return made;
  const held = store.allCards().some((c) => c['card_id'] === r['card_id'] && c['openid'] === r['openid'] && c.user_card_state !== 'INVALID');
  return held ? made : NO_CARD;
}

/** By WeChat endpoint (method and path template), as index.ts's CARD_ENDPOINTS. */
export const MEMBER_SERVICE_ENDPOINTS: Readonly<Record<string, (store: CardStore, request: Request) => Outcome>> = {
  'POST /v3/brand/partner/card-member/user-feeds': createUserFeed,
  'POST /v3/brand/partner/card-member/user-points/sync': syncUserPoints,
  'POST /v3/brand/partner/card-member/user-points/exchange-coupon/confirm': confirmPointsExchangeCoupon,
  'POST /v3/brand/partner/card-member/pre-auth-tokens': createPreAuthToken,
  'POST /v3/brand/partner/card-member/pay-view-tokens': createPayViewToken,
};
