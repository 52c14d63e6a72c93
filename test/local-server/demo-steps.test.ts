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
      step.expect(await step.run(client));
      done.push(step.name);
    }
    expect(done).toEqual(['createCardTemplate', 'getCardTemplate', 'importUserCardByOpenid', 'confirmUserCard', 'getUserCard', 'updateUserCard', 'invalidateUserCard', 'invalidateCardTemplate', 'updateCardTemplate']);
  } finally {
    client.close();
    await server.close();
  }
});
