// The card store's memory: card templates, users' cards, activities and the
// member services' records, with the business rules of the 2024 pages
// (confirm, invalidate, template update) that the doc pages state (or, where
// they are silent, our reading, said in a comment). The leaf of the store:
// the endpoint modules import it, it imports none of them.
import { rfc3339 } from '../time.js';

export interface Template {
  card_id: string;
  brand_id: string;
  card_type: 'PURCHASE' | 'NORMAL' | 'BALANCE';
  code_mode: 'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME' | 'MERCHANT_ALLOCATE';
  /** Everything updateCardTemplate has set, as sent. */
  fields: Record<string, unknown>;
  /** 2025 card-member templates (card-member.ts): the 商家请求单号 that made it, its state, deletion and times. */
  out_request_no?: string;
  state?: 'CARD_EFFECTIVE' | 'CARD_INVALID';
  deleted?: boolean;
  create_time?: string;
  update_time?: string;
}

export interface BusinessError {
  status: number;
  code: string;
  message: string;
}

type Card = Record<string, unknown> & { user_card_state: string };

/** A 品牌会员发券活动 that createMembershipActivity made (membership-activities.ts). */
export interface Activity {
  /** The activity as WeChat answers it, without activity_state (membership-activities.ts works it out at each answer). */
  fields: Record<string, unknown>;
  terminated: boolean;
}

type Body = Record<string, unknown>;

/** What the member services (member-services.ts) remember, beside the templates and cards. */
export class MemberServices {
  /** Feeds by brand and 商家请求单号, in the order they were made. */
  readonly feeds = new Map<string, Body>();
  /** The latest synced balance of each card. No UserCard field carries it (the pages list none), so getUserCard does not show it: read it here. */
  readonly points = new Map<string, number>();
  /** Answers already given, by brand and 商家请求单号 (sync) or by 积分兑券ID (exchange). */
  readonly syncs = new Map<string, Body>();
  readonly exchanges = new Map<string, Body>();

  /** The balance the last sync set on a card, if any. */
  pointBalance(cardId: string, userCardCode: string): number | undefined {
    return this.points.get(`${cardId}\u0000${userCardCode}`);
  }
}

/** What an operation did: the card (none for a template update), another body (a template, a list), or the business error WeChat would answer. */
export type Outcome = { card?: Card } | { body: Record<string, unknown> } | { error: BusinessError };

export const DEFAULT_TEMPLATES: readonly Template[] = [
  { card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', brand_id: '1004', card_type: 'NORMAL', code_mode: 'MERCHANT_DEPOSIT', fields: {} },
  { card_id: 'pbLatjvWOibDc5-SYSTEMALLOC0', brand_id: '1004', card_type: 'BALANCE', code_mode: 'SYSTEM_ALLOCATE', fields: {} },
];

const fail = (status: number, code: string, message: string) => ({ error: { status, code, message } });
const NOT_OF_BRAND = fail(400, 'INVALID_REQUEST', '会员卡模版ID不属于该品牌');
// Our reading of 作废后,商家将无法通过任何渠道再投放该会员卡 (作废会员卡模板): no new card on it.
const TEMPLATE_CLOSED = fail(400, 'INVALID_REQUEST', '会员卡模板已作废');

export class CardStore {
  /** By card_id; the endpoint modules (card-member.ts) read and add templates here. */
  readonly templates = new Map<string, Template>();
  private readonly cards = new Map<string, Card>();
  /** By activity_id: the 品牌会员发券活动 that createMembershipActivity made (membership-activities.ts). */
  readonly activities = new Map<string, Activity>();
  private ids = 0;
  private readonly phones = new Map<string, string>();
  /** Feeds, points and coupon exchanges (member-services.ts). */
  readonly services = new MemberServices();

  constructor(templates: readonly Template[], private readonly now: () => Date) {
    for (const t of templates) this.templates.set(t.card_id, structuredClone(t));
  }

  template(cardId: string): Template | undefined {
    return this.templates.get(cardId);
  }

  card(cardId: string, code: string): Card | undefined {
    return this.cards.get(key(cardId, code));
  }

  /** Every user card, in the order they were made. */
  allCards(): Card[] {
    return [...this.cards.values()];
  }

  putCard(card: Card): void {
    this.cards.set(key(String(card['card_id']), String(card['user_card_code'])), card);
  }

  /** The store's clock as WeChat writes times; `laterMs` ahead of now for an expiry. */
  time(laterMs = 0): string {
    return rfc3339(new Date(this.now().getTime() + laterMs));
  }

  /** A new identifier: the prefix and a counter, padded to look like WeChat's 28-character card_id. */
  newId(prefix: string): string {
    return `${prefix}${String(++this.ids).padStart(28 - prefix.length, '0')}`;
  }

  /** The openid of the user a phone number stands for (import by phone names no openid). */
  openidForPhone(phone: string): string {
    let id = this.phones.get(phone);
    if (!id) this.phones.set(phone, (id = this.newId('oPhone')));
    return id;
  }

  templateClosed(): Outcome {
    return TEMPLATE_CLOSED;
  }

  /** confirmUserCard. `r` has plaintext values (the server decrypted them). */
  confirm(r: Record<string, unknown>): Outcome {
    const template = this.templates.get(String(r['card_id']));
    if (!template || template.deleted || template.brand_id !== r['brand_id']) return NOT_OF_BRAND;
    const k = key(template.card_id, String(r['user_card_code']));
    const existing = this.cards.get(k);
    if (!existing && template.state === 'CARD_INVALID') return TEMPLATE_CLOSED;
    if (existing && existing['openid'] !== r['openid']) return fail(400, 'INVALID_REQUEST', '会员卡code已被其他用户使用');
    if (existing?.user_card_state === 'INVALID') return fail(400, 'INVALID_REQUEST', '会员卡已作废');
    const time = rfc3339(this.now());
    const card: Card = {
      ...existing,
      user_card_code: r['user_card_code'],
      card_id: template.card_id,
      openid: r['openid'],
      brand_id: template.brand_id,
      card_type: template.card_type,
      valid_date_information: r['valid_date_information'] ?? existing?.['valid_date_information'] ?? { type: 'PERMANENT' },
      pickup_time: existing?.['pickup_time'] ?? time,
      // Our reading: a failed opening leaves the card claimed but not active.
      user_card_state: r['user_card_confirm_state'] === 'CREATE_CARD_SUCCESS' ? 'EFFECTIVE' : 'UNACTIVATED',
      create_time: existing?.['create_time'] ?? time,
      modify_time: time,
    };
    for (const f of ['card_color', 'card_picture_url', 'phone_number', 'level', 'user_information', 'attach']) {
      if (r[f] !== undefined) card[f] = r[f];
    }
    this.cards.set(k, card);
    return { card };
  }

  /** invalidateUserCard. The page: 作废 cannot be undone. Invalidating again returns the card unchanged (our reading). */
  invalidate(r: Record<string, unknown>): Outcome {
    const template = this.templates.get(String(r['card_id']));
    if (!template || template.brand_id !== r['brand_id']) return NOT_OF_BRAND;
    const card = this.cards.get(key(template.card_id, String(r['user_card_code'])));
    if (!card || card['openid'] !== r['openid']) return fail(400, 'PARAM_ERROR', '用户会员卡不存在');
    if (card.user_card_state === 'INVALID') return { card };
    const time = rfc3339(this.now());
    card.user_card_state = 'INVALID';
    card['invalid_time'] = time;
    card['modify_time'] = time;
    if (r['invalid_reason'] !== undefined) card['invalid_reason'] = r['invalid_reason'];
    return { card };
  }

  /** updateCardTemplate, with the page's code_mode rules. */
  updateTemplate(r: Record<string, unknown>): Outcome {
    const template = this.templates.get(String(r['card_id']));
    if (!template) return fail(400, 'INVALID_REQUEST', '会员卡ID无效');
    const mode = r['code_mode'];
    if (mode !== undefined && mode !== template.code_mode) {
      if (template.code_mode === 'SYSTEM_ALLOCATE') return fail(400, 'INVALID_REQUEST', '会员卡code分配类型不支持修改');
      if (mode === 'SYSTEM_ALLOCATE') return fail(400, 'INVALID_REQUEST', '会员卡code分配类型不支持修改为“系统分配”');
      template.code_mode = mode as Template['code_mode'];
    }
    for (const [k, v] of Object.entries(r)) if (k !== 'card_id' && k !== 'code_mode') template.fields[k] = v;
    return {};
  }
}

function key(cardId: string, code: string): string {
  return `${cardId}\u0000${code}`;
}
