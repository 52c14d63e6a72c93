// The product's card store answers the product's own operations only: those
// its spec marks (`x-wechatpay-local-server: card-store`, generated as
// `store: 'card-store'`). A user's spec with copies of the card-member paths
// gets answers from its own schema, unless the server is started with
// `cardStore: true`; then an answer of the store that the user's schema does
// not allow is refused as the response's fault, and said on onProblem.
import { describe, expect, it } from 'vitest';
import { operations } from '../../generated/local-server.js';
import { startLocalServer, type LocalServerProblem, type ServedOperation } from '../../runtime/local-server/index.js';
import type { Rule } from '../../runtime/validate.js';
import { keys } from '../helpers.js';
import { raw } from './raw.js';

const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
const CARD = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const target = `/v3/brand/partner/card-member/user-cards/C1?brand_id=1004&card_id=${CARD}&openid=o1`;

// The user's copies: the product's operations as a user's spec would generate them, without the product's mark.
const copies: ServedOperation[] = operations.map(({ store: _store, ...op }) => op);
// The user's own schema for getUserCard: the card's identity and state, no times.
const userCard: Rule = {
  type: 'object',
  properties: { user_card_code: { type: 'string' }, card_id: { type: 'string' }, openid: { type: 'string' }, user_card_state: { type: 'string' } },
  required: ['user_card_code', 'card_id', 'openid', 'user_card_state'],
};
const narrowed = copies.map((op) => (op.meta.operationId === 'getUserCard' ? { ...op, response: userCard } : op));

describe('who the card store answers', () => {
  it.each([
    { given: 'the product spec', ops: operations, cardStore: undefined, want: 'card store' },
    { given: 'copies of its paths in a user spec', ops: copies, cardStore: undefined, want: 'synthesized' },
    { given: 'copies, opted in', ops: copies, cardStore: true, want: 'card store' },
    { given: 'the product spec, opted out', ops: operations, cardStore: false, want: 'synthesized' },
  ] as const)('$given (cardStore: $cardStore): $want', async ({ ops, cardStore, want }) => {
    const server = await startLocalServer(ops, { keys: serverKeys, ...(cardStore === undefined ? {} : { cardStore }), onProblem: () => undefined });
    try {
      const sources = new Set(server.operations.map((o) => (o.answeredBy === 'example' ? 'synthesized' : o.answeredBy)));
      expect([...sources]).toEqual([want]);
    } finally {
      await server.close();
    }
  });

  it("a user spec's copy of getUserCard answers from its schema, not the store's card", async () => {
    const server = await startLocalServer(narrowed, { keys: serverKeys });
    try {
      server.cards.putCard({ user_card_code: 'C1', card_id: CARD, openid: 'o1', brand_id: '1004', user_card_state: 'EFFECTIVE', create_time: '2025-01-01T08:00:00+08:00' });
      const answer = await raw(server, { method: 'GET', target });
      // The synthesized body, with the request's fields of the same name echoed; no create_time.
      expect(answer).toEqual({ status: 200, body: { user_card_code: 'C1', card_id: CARD, openid: 'o1', user_card_state: 'user_card_state' } });
      expect(server.requests().at(-1)).toMatchObject({ answeredBy: 'synthesized', verdict: 'OK' });
    } finally {
      await server.close();
    }
  });

  it("opted in, the store's answer that breaks the user's schema is a 500 of the response, said on onProblem", async () => {
    const problems: LocalServerProblem[] = [];
    const server = await startLocalServer(narrowed, { keys: serverKeys, cardStore: true, onProblem: (p) => problems.push(p) });
    try {
      server.cards.putCard({ user_card_code: 'C1', card_id: CARD, openid: 'o1', brand_id: '1004', user_card_state: 'EFFECTIVE', create_time: '2025-01-01T08:00:00+08:00' });
      const answer = await raw(server, { method: 'GET', target });
      const reason = 'the response breaks the 200 schema of getUserCard: brand_id is not a field of the response schema';
      expect(answer).toEqual({ status: 500, body: { code: 'SYSTEM_ERROR', message: '系统异常,请稍后重试', detail: { fault: 'response', reason } } });
      const record = server.requests().at(-1)!;
      expect(record).toMatchObject({ answeredBy: 'card store', verdict: 'SYSTEM_ERROR', faultOf: 'response', reason });
      expect(problems).toEqual([{ kind: 'response', operationId: 'getUserCard', requestId: record.requestId, message: `getUserCard: answered 500 SYSTEM_ERROR to request ${record.requestId}: ${reason}` }]);
    } finally {
      await server.close();
    }
  });

  it('a request that breaks a check is the request’s fault', async () => {
    const server = await startLocalServer(copies, { keys: serverKeys });
    try {
      const answer = await raw(server, { method: 'GET', target: '/v3/brand/partner/card-member/user-cards/C1?brand_id=1004' });
      expect(answer.status).toBe(400);
      expect(server.requests().at(-1)).toMatchObject({ verdict: 'PARAM_ERROR', faultOf: 'request' });
    } finally {
      await server.close();
    }
  });
});
