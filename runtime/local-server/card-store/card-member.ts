// The local server's business for the 2025 card-member operations (#19):
// templates that createCardTemplate makes are what get and list return and
// what update changes; an invalidated or deleted template takes no new cards;
// an imported card is what getUserCard returns and confirm and invalidate act
// on. The pages' response and error sections did not survive (see
// spec/card-templates.yaml), so every refusal below is our reading, in the
// wording of the nearest documented error, and says so.
import type { CardStore, Outcome, Template } from './store.js';

type Request = Record<string, unknown>;

const fail = (status: number, code: string, message: string): Outcome => ({ error: { status, code, message } });
// Our reading, in the words of the documented 会员卡模版ID不属于该品牌.
const NOT_OF_BRAND = fail(400, 'INVALID_REQUEST', '会员卡模版ID不属于该品牌');
// Our reading: the 2024 template page's 会员卡ID无效, and the card store's answer for a card it does not have.
const NO_TEMPLATE = fail(400, 'INVALID_REQUEST', '会员卡ID无效');
export const NO_CARD = fail(400, 'PARAM_ERROR', '用户会员卡不存在');
// No more business on a card that was invalidated (作废 cannot be undone).
export const CARD_INVALID = fail(400, 'INVALID_REQUEST', '会员卡已作废');

// The fields of a 2025 template as CardTemplate answers them, beside card_id, state and the times.
const TEMPLATE_FIELDS = ['brand_id', 'appid', 'card_type', 'card_title', 'card_color', 'card_picture_url', 'code_mode', 'code_type', 'code_jump_information', 'benefits', 'notify_url', 'need_pinned', 'need_display_level', 'init_level', 'service_phone', 'legal_agreement', 'valid_date_information', 'points_information', 'balance_information', 'purchase_information', 'user_information'];
// What updateUserCard may change on a card.
const CARD_FIELDS = ['card_color', 'card_picture_url', 'phone_number', 'level', 'valid_date_information', 'pickup_time', 'user_information', 'attach'];

/**
 * The template of this brand that can still be used, or the refusal.
 * `made`: only a template createCardTemplate made (the seeded test templates
 * have no 2025 record to answer with).
 */
export function liveTemplate(store: CardStore, r: Request, made = true): Template | Outcome {
  const template = store.templates.get(String(r['card_id']));
  if (!template || template.deleted || (made && template.state === undefined)) return NO_TEMPLATE;
  if (template.brand_id !== r['brand_id']) return NOT_OF_BRAND;
  return template;
}

/** The body get, list, update, delete and invalidate answer. */
export function templateBody(t: Template): Record<string, unknown> {
  const body: Record<string, unknown> = { card_id: t.card_id, brand_id: t.brand_id, card_type: t.card_type, code_mode: t.code_mode, ...t.fields };
  body['state'] = t.state ?? 'CARD_EFFECTIVE';
  body['create_time'] = t.create_time ?? body['create_time'];
  body['update_time'] = t.update_time ?? body['update_time'];
  return body;
}

/** One page of a list answer: the list operations' 必填 offset (from 0) and limit. */
export function page(all: Record<string, unknown>[], r: Request): Outcome {
  const offset = Number(r['offset']);
  const limit = Number(r['limit']);
  return { body: { total_count: all.length, offset, limit, data: all.slice(offset, offset + limit) } };
}

export function createTemplate(store: CardStore, r: Request): Outcome {
  // Our reading of 商家请求单号: the same number again is the same template, not a second one.
  const again = [...store.templates.values()].find((t) => t.out_request_no !== undefined && t.out_request_no === r['out_request_no'] && t.brand_id === r['brand_id']);
  if (again) return { body: templateBody(again) };
  const time = store.time();
  const t: Template = {
    card_id: store.newId('pbLatjv'),
    brand_id: String(r['brand_id']),
    card_type: r['card_type'] as Template['card_type'],
    code_mode: r['code_mode'] as Template['code_mode'],
    fields: Object.fromEntries(TEMPLATE_FIELDS.filter((k) => r[k] !== undefined && k !== 'brand_id' && k !== 'card_type' && k !== 'code_mode').map((k) => [k, r[k]])),
    out_request_no: String(r['out_request_no']),
    state: 'CARD_EFFECTIVE',
    create_time: time,
    update_time: time,
  };
  store.templates.set(t.card_id, t);
  return { body: templateBody(t) };
}

export function getTemplate(store: CardStore, r: Request): Outcome {
  const t = liveTemplate(store, r);
  return 'card_id' in t ? { body: templateBody(t) } : t;
}

export function listTemplates(store: CardStore, r: Request): Outcome {
  const all = [...store.templates.values()].filter((t) => t.state !== undefined && !t.deleted && t.brand_id === r['brand_id'] && (r['state'] === undefined || (t.state ?? 'CARD_EFFECTIVE') === r['state']));
  return page(all.map(templateBody), r);
}

export function updateTemplate(store: CardStore, r: Request): Outcome {
  const t = liveTemplate(store, r);
  if (!('card_id' in t)) return t;
  for (const k of TEMPLATE_FIELDS) if (r[k] !== undefined && k !== 'brand_id') t.fields[k] = r[k];
  t.update_time = store.time();
  return { body: templateBody(t) };
}

export function deleteTemplate(store: CardStore, r: Request): Outcome {
  const t = liveTemplate(store, r);
  if (!('card_id' in t)) return t;
  t.deleted = true;
  t.update_time = store.time();
  return { body: templateBody(t) };
}

/** The page: 作废后,商家将无法通过任何渠道再投放该会员卡. Invalidating again answers the template unchanged (our reading). */
export function invalidateTemplate(store: CardStore, r: Request): Outcome {
  const t = liveTemplate(store, r);
  if (!('card_id' in t)) return t;
  if (t.state !== 'CARD_INVALID') {
    t.state = 'CARD_INVALID';
    t.update_time = store.time();
  }
  return { body: templateBody(t) };
}

/** Both imports. The pages: “导入”仅为后台操作,微信会员卡系统会在后台将用户的会员卡静默激活 — so the card is EFFECTIVE at once. */
export function importCard(store: CardStore, r: Request): Outcome {
  const t = liveTemplate(store, r, false);
  if (!('card_id' in t)) return t;
  if (t.state === 'CARD_INVALID') return store.templateClosed();
  const code = String(r['user_card_code']);
  if (store.card(t.card_id, code)) return fail(400, 'INVALID_REQUEST', '会员卡code已被使用');
  // Import by phone names no openid: WeChat finds the user by the number. Here
  // the number stands for the user, so the same number is the same openid.
  const openid = r['openid'] ?? store.openidForPhone(String(r['phone_number']));
  const time = store.time();
  const card: Request & { user_card_state: string } = {
    user_card_code: code,
    card_id: t.card_id,
    openid,
    brand_id: t.brand_id,
    card_type: t.card_type,
    valid_date_information: r['date_information'],
    pickup_time: r['pickup_time'],
    user_card_state: 'EFFECTIVE',
    create_time: time,
    modify_time: time,
  };
  for (const f of ['card_color', 'card_picture_url', 'phone_number', 'level', 'user_information']) if (r[f] !== undefined) card[f] = r[f];
  store.putCard(card);
  return { card };
}

export function getUserCard(store: CardStore, r: Request): Outcome {
  const t = store.templates.get(String(r['card_id']));
  if (!t || t.brand_id !== r['brand_id']) return NOT_OF_BRAND;
  const card = store.card(t.card_id, String(r['user_card_code']));
  return card && card['openid'] === r['openid'] ? { card } : NO_CARD;
}

export function listUserCards(store: CardStore, r: Request): Outcome {
  const all = store.allCards().filter((c) => c['brand_id'] === r['brand_id'] && c['openid'] === r['openid'] && (r['user_card_state'] === undefined || c.user_card_state === r['user_card_state']));
  return page(all, r);
}

export function updateUserCard(store: CardStore, r: Request): Outcome {
  const found = getUserCard(store, r);
  if (!('card' in found) || !found.card) return found;
  const card = found.card;
  if (card.user_card_state === 'INVALID') return CARD_INVALID;
  for (const f of CARD_FIELDS) if (r[f] !== undefined) card[f] = r[f];
  card['modify_time'] = store.time();
  return { card };
}

/** By WeChat endpoint (method and path template), as index.ts's CARD_ENDPOINTS. */
export const CARD_MEMBER_ENDPOINTS: Readonly<Record<string, (store: CardStore, request: Request) => Outcome>> = {
  'POST /v3/brand/partner/card-member/cards': createTemplate,
  'GET /v3/brand/partner/card-member/cards': listTemplates,
  'GET /v3/brand/partner/card-member/cards/{card_id}': getTemplate,
  'PATCH /v3/brand/partner/card-member/cards/{card_id}': updateTemplate,
  'DELETE /v3/brand/partner/card-member/cards/{card_id}': deleteTemplate,
  'POST /v3/brand/partner/card-member/cards/{card_id}/invalidate': invalidateTemplate,
  'GET /v3/brand/partner/card-member/user-cards': listUserCards,
  'GET /v3/brand/partner/card-member/user-cards/{user_card_code}': getUserCard,
  'PATCH /v3/brand/partner/card-member/user-cards/{user_card_code}': updateUserCard,
  'POST /v3/brand/partner/card-member/user-cards/import-by-openid': importCard,
  'POST /v3/brand/partner/card-member/user-cards/import-by-phone': importCard,
};
