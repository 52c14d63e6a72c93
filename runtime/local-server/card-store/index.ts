// The product's card store: the membership-card business the local server
// plays for the product's own operations (templates, users' cards, coupon
// activities, feeds, points and component tokens), kept in memory. Nothing
// here serves an arbitrary spec: the spec-driven core (the folder above)
// reaches this folder only through ../product.ts.
//
// Imports run one way, with no circle: store.ts (the memory and the 2024
// pages' rules) ← card-member.ts ← member-services.ts and
// membership-activities.ts ← this file, which gathers their endpoints.
import { CARD_MEMBER_ENDPOINTS } from './card-member.js';
import { MEMBER_SERVICE_ENDPOINTS } from './member-services.js';
import { MEMBERSHIP_ACTIVITY_ENDPOINTS } from './membership-activities.js';
import type { CardStore, Outcome } from './store.js';

export { CardStore, DEFAULT_TEMPLATES, MemberServices, type Activity, type BusinessError, type Outcome, type Template } from './store.js';

/**
 * The store's handlers, by the WeChat endpoint each implements (method and
 * path template, the way WeChat itself routes).
 */
export const CARD_ENDPOINTS: Readonly<Record<string, (store: CardStore, request: Record<string, unknown>) => Outcome>> = {
  'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/confirm': (store, r) => store.confirm(r),
  'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate': (store, r) => store.invalidate(r),
  'PATCH /v3/marketing/membercard-open/cards/{card_id}': (store, r) => store.updateTemplate(r),
  ...CARD_MEMBER_ENDPOINTS,
  ...MEMBERSHIP_ACTIVITY_ENDPOINTS,
  ...MEMBER_SERVICE_ENDPOINTS,
};
