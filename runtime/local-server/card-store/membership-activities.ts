// The local server's business for 品牌会员发券活动 (#19 item 6): an activity
// that createMembershipActivity made is what get and list answer and what
// update changes; terminate ends it for good. No page's answer or error
// table survived (spec/membership-activities.yaml), so the answers follow the
// community description and every refusal below is our reading, in the
// wording of the card store's own refusals, and says so.
import { liveTemplate, page } from './card-member.js';
import type { Activity, CardStore, Outcome } from './store.js';

type Request = Record<string, unknown>;

const fail = (status: number, code: string, message: string): Outcome => ({ error: { status, code, message } });
// Our reading, as the card store answers a template it does not have (会员卡ID无效)
// and one of another brand (会员卡模版ID不属于该品牌).
const NO_ACTIVITY = fail(400, 'INVALID_REQUEST', '活动ID无效');
const NOT_OF_BRAND = fail(400, 'INVALID_REQUEST', '活动不属于该品牌');
// Our reading: MEMBERSHIP_ACTIVITY_TERMINATED is the state 终止活动 leaves, and
// nothing on the pages or in the community description brings an activity
// back, so a terminated activity takes no change and no second termination
// (an INVALID_REQUEST, as for a card that is already 作废 in updateUserCard).
const TERMINATED = fail(400, 'INVALID_REQUEST', '活动已终止');

// What the create body carries into the activity.
const CREATE_FIELDS = ['out_request_no', 'brand_id', 'card_id', 'activity_channel', 'title', 'sub_title', 'begin_time', 'end_time', 'apply_total', 'product_coupon_stock_list'];
// What the update body may change (all five are required there).
const UPDATE_FIELDS = ['title', 'sub_title', 'begin_time', 'end_time'];

/**
 * The state, from the list page's 可选取值: 终止 once terminated; else
 * 当前活动时间超过结束时间 is EXPIRED, 活动正式开始 is EFFECTIVE, and before
 * that it is CREATED. Read on the store's clock at each answer.
 */
function stateOf(store: CardStore, a: Activity): string {
  if (a.terminated) return 'MEMBERSHIP_ACTIVITY_TERMINATED';
  const now = Date.parse(store.time());
  if (now >= Date.parse(String(a.fields['end_time']))) return 'MEMBERSHIP_ACTIVITY_EXPIRED';
  if (now >= Date.parse(String(a.fields['begin_time']))) return 'MEMBERSHIP_ACTIVITY_EFFECTIVE';
  return 'MEMBERSHIP_ACTIVITY_CREATED';
}

function body(store: CardStore, a: Activity): Record<string, unknown> {
  return { ...structuredClone(a.fields), activity_state: stateOf(store, a) };
}

/** The activity of this brand, or the refusal. */
function find(store: CardStore, r: Request): Activity | Outcome {
  const a = store.activities.get(String(r['activity_id']));
  if (!a) return NO_ACTIVITY;
  if (a.fields['brand_id'] !== r['brand_id']) return NOT_OF_BRAND;
  return a;
}

const isActivity = (x: Activity | Outcome): x is Activity => 'fields' in x;

export function createActivity(store: CardStore, r: Request): Outcome {
  // Our reading of 商家请求单号, as for templates: the same number again is the same activity.
  const again = [...store.activities.values()].find((a) => a.fields['out_request_no'] === r['out_request_no'] && a.fields['brand_id'] === r['brand_id']);
  if (again) return { body: body(store, again) };
  // The card_id names a template of the brand that can still be used: the
  // card store's refusals for an unknown, deleted or foreign one, and an
  // invalidated template (作废后…无法通过任何渠道再投放) takes no activity.
  const template = liveTemplate(store, r, false);
  if (!('card_id' in template)) return template;
  if (template.state === 'CARD_INVALID') return store.templateClosed();
  const time = store.time();
  const fields: Record<string, unknown> = Object.fromEntries(CREATE_FIELDS.filter((k) => r[k] !== undefined).map((k) => [k, structuredClone(r[k])]));
  // Nothing is given out here, so the whole stock is still available.
  fields['apply_available'] = r['apply_total'];
  fields['activity_id'] = String(1_000_000 + store.activities.size + 1);
  fields['create_time'] = time;
  fields['modify_time'] = time;
  const a: Activity = { fields, terminated: false };
  store.activities.set(String(fields['activity_id']), a);
  return { body: body(store, a) };
}

export function getActivity(store: CardStore, r: Request): Outcome {
  const a = find(store, r);
  return isActivity(a) ? { body: body(store, a) } : a;
}

export function listActivities(store: CardStore, r: Request): Outcome {
  const all = [...store.activities.values()]
    .map((a) => body(store, a))
    .filter((b) => b['brand_id'] === r['brand_id'] && (r['card_id'] === undefined || b['card_id'] === r['card_id']) && (r['activity_state'] === undefined || b['activity_state'] === r['activity_state']));
  return page(all, r);
}

export function updateActivity(store: CardStore, r: Request): Outcome {
  const a = find(store, r);
  if (!isActivity(a)) return a;
  if (a.terminated) return TERMINATED;
  for (const k of UPDATE_FIELDS) if (r[k] !== undefined) a.fields[k] = r[k];
  a.fields['modify_time'] = store.time();
  return { body: body(store, a) };
}

export function terminateActivity(store: CardStore, r: Request): Outcome {
  const a = find(store, r);
  if (!isActivity(a)) return a;
  if (a.terminated) return TERMINATED;
  a.terminated = true;
  a.fields['modify_time'] = store.time();
  return { body: body(store, a) };
}

/** By WeChat endpoint (method and path template), as index.ts's CARD_ENDPOINTS. */
export const MEMBERSHIP_ACTIVITY_ENDPOINTS: Readonly<Record<string, (store: CardStore, request: Request) => Outcome>> = {
  'POST /v3/brand/partner/card-member/membership-activities': createActivity,
  'GET /v3/brand/partner/card-member/membership-activities': listActivities,
  'GET /v3/brand/partner/card-member/membership-activities/{activity_id}': getActivity,
  'PATCH /v3/brand/partner/card-member/membership-activities/{activity_id}': updateActivity,
  'POST /v3/brand/partner/card-member/membership-activities/{activity_id}/terminate': terminateActivity,
};
