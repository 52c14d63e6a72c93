// `npm start` walks the life of a card (test/demo/steps.ts); the same steps here, so CI notices when one stops working.
import { expect, it } from 'vitest';
import { createClient } from '../../generated/index.js';
import { startLocalWechatPay } from '../../generated/local-server.js';
import { steps } from '../demo/steps.js';

it("every step of npm start's card life succeeds against the local server", async () => {
  const server = await startLocalWechatPay();
  const client = createClient({ ...server.clientConfig, decryptResponses: true });
  try {
    const done: string[] = [];
    for (const step of steps) {
      step.expect(await step.run(client, server));
      done.push(step.name);
    }
    // The card the member opened was confirmed by the handler's code, as the local server saw it.
    expect(server.cards.allCards().find((c) => c['user_card_code'] === '478515832666')).toMatchObject({ user_card_state: 'EFFECTIVE', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBB' });
    expect(server.requests().filter((r) => r.operationId === 'confirmUserCard').map((r) => r.verdict)).toEqual(['OK', 'OK']);
    expect(done).toEqual([
      'createCardTemplate', 'getCardTemplate', 'createPreAuthToken', 'cardOpenNotification', 'importUserCardByOpenid', 'confirmUserCard', 'getUserCard', 'updateUserCard',
      'syncUserPoints', 'confirmPointsExchangeCoupon', 'createUserFeed', 'createPayViewToken', 'invalidateUserCard', 'invalidateCardTemplate', 'updateCardTemplate',
    ]);
    // The points step set the member's balance in the store (no UserCard field shows it).
    expect(server.cards.services.pointBalance(server.cards.allCards().find((c) => c['user_card_code'] === '478515832665')!['card_id'] as string, '478515832665')).toBe(1200);
  } finally {
    client.close();
    await server.close();
  }
});
