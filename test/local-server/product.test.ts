// The local server for this repository's own spec, through its generated
// binding (generated/local-server.ts): every operation answered within its
// schema, and handlers typed by the spec's operations.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConfirmUserCardRequest, OperationId, UserCard } from '../../generated/index.js';
import { operations, startLocalWechatPay, type LocalWechatPay } from '../../generated/local-server.js';
import { keys } from '../helpers.js';
import { callEveryOperation } from './every-operation.js';

const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };

const SEEDS = ['confirmUserCard', 'invalidateUserCard', 'updateCardTemplate'];
// The 2025 card-member operations: the card store keeps their state, tested on its own (card-member.test.ts);
// here their synthesized answers, one after another, would meet its refusals (a deleted template, a used code).
const FAMILY = operations.map((op) => op.meta.operationId).filter((id) => !SEEDS.includes(id));
const defaults = (ids: string[]): Record<string, never> => Object.fromEntries<never>(ids.map((id) => [id, ((_: unknown, c: { defaultResponse(): unknown }) => c.defaultResponse()) as never]));

async function expectEveryAnswerValid(server: LocalWechatPay): Promise<void> {
  try {
    const results = await callEveryOperation(operations, server.clientConfig);
    expect(results.map((r) => [r.operationId, r.status, r.issues])).toEqual(operations.map((op) => [op.meta.operationId, op.meta.successStatus, []]));
  } finally {
    await server.close();
  }
}

describe('the product spec', () => {
  it('serves every operation; the card store answers all of them', async () => {
    const server = await startLocalWechatPay({ keys: serverKeys });
    try {
      expect(server.operations.map((o) => o.operationId)).toEqual(operations.map((op) => op.meta.operationId));
      expect(server.operations.filter((o) => o.answeredBy === 'card store').map((o) => o.operationId)).toEqual(operations.map((op) => op.meta.operationId));
      expect(server.operations.every((o) => o.answeredBy !== 'handler')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('every response of every operation validates against its response schema', async () => {
    // The requests are synthesized from the request rules (card_id "card_id", brand_id "brand_id", code_mode SYSTEM_ALLOCATE):
    // a template that matches them lets the card store say yes.
    const server = await startLocalWechatPay({ keys: serverKeys, templates: [{ card_id: 'card_id', brand_id: 'brand_id', card_type: 'NORMAL', code_mode: 'SYSTEM_ALLOCATE', fields: {} }], handlers: defaults(FAMILY) });
    await expectEveryAnswerValid(server);
  });

  it('without the card store (a handler in its place), the synthesized answers validate too', async () => {
    const server = await startLocalWechatPay({
      keys: serverKeys,
      handlers: { ...defaults(FAMILY), confirmUserCard: (_, c) => c.defaultResponse() as UserCard, invalidateUserCard: (_, c) => c.defaultResponse() as UserCard, updateCardTemplate: () => undefined },
    });
    await expectEveryAnswerValid(server);
  });
});

// Type-level: `npm test` runs tsc over this file first; an expect-error that is not needed fails the run.
// These functions are never called: only their types matter.
describe('handlers are typed by the spec', () => {
  it('keys are operationIds, requests and responses are the operation types', () => {
    expectTypeOf<'confirmUserCard' | 'invalidateUserCard' | 'updateCardTemplate'>().toMatchTypeOf<OperationId>();
    const typed = (): Promise<LocalWechatPay> =>
      startLocalWechatPay({
        handlers: {
          confirmUserCard: (request, context) => {
            expectTypeOf(request).toEqualTypeOf<ConfirmUserCardRequest>();
            return context.cards.card(request.card_id, request.user_card_code) as UserCard;
          },
          updateCardTemplate: () => undefined,
        },
      });
    // @ts-expect-error getUserCardz is not an operation of the spec
    const unknown = () => startLocalWechatPay({ handlers: { getUserCardz: () => ({}) } });
    // @ts-expect-error a UserCard lacks most of its required fields here
    const wrongBody = () => startLocalWechatPay({ handlers: { confirmUserCard: () => ({ card_id: 'c' }) } });
    // @ts-expect-error request fields are the operation's own
    const wrongField = () => startLocalWechatPay({ handlers: { invalidateUserCard: (r) => (r.phone_number, undefined as unknown as UserCard) } });
    expectTypeOf([typed, unknown, wrongBody, wrongField]).toBeArray();
  });
});
