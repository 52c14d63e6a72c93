// The seam between the spec-driven core and the product's card store
// (card-store/): the only core module that imports that folder. The core
// asks here whether the store answers an operation, and gets the store's
// types for the public API (LocalWechatPay.cards, HandlerContext.cards).
import type { OperationMeta } from '../call.js';
import { CARD_ENDPOINTS, type BusinessError, type CardStore } from './card-store/index.js';

export { CardStore, DEFAULT_TEMPLATES, type BusinessError, type Outcome, type Template } from './card-store/index.js';

/** The store's answer to one request: the success body (a card, a template, a list…), or WeChat's error. */
export type StoreAnswer = (request: Record<string, unknown>) => { body: unknown } | { error: BusinessError };

/** How the store answers this operation, or undefined when its business does not cover the endpoint. */
export function cardStoreAnswer(meta: OperationMeta, cards: CardStore): StoreAnswer | undefined {
  const endpoint = CARD_ENDPOINTS[`${meta.method} ${meta.path}`];
  if (!endpoint) return undefined;
  return (request) => {
    const outcome = endpoint(cards, request);
    if ('error' in outcome) return outcome;
    return { body: 'body' in outcome ? outcome.body : outcome.card };
  };
}
