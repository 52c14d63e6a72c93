// The membership-card flow end to end over loopback: the local WeChat Pay
// announces a card opening to the merchant's notify_url; the handler verifies
// and decrypts it, and the merchant's code confirms the card; the local
// server checks that confirm like any call. In both key modes.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Notification } from '../generated/index.js';
import { startLocalWechatPay, type LocalWechatPay } from '../generated/local-server.js';
import { startMerchant } from './demo/merchant.js';

const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function merchant(server: LocalWechatPay): Promise<{ url: string; seen: Notification[]; errors: unknown[] }> {
  const client = createClient(server.clientConfig);
  const m = await startMerchant(client);
  cleanup.push(async () => {
    client.close();
    await m.close();
  });
  return m;
}

describe.each(['public-key', 'certificate'] as const)('card opening: local server → handler → confirm → local server, %s mode', (mode) => {
  it('the announced card ends up confirmed, once, even when WeChat repeats the notification', async () => {
    const server = await startLocalWechatPay({ keyMode: { mode } });
    cleanup.push(() => server.close());
    const { url, seen } = await merchant(server);
    const notice = { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource: { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', user_card_code: '478515832665', card_id: CARD_ID, brand_id: '1004', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA', card_type: 'NORMAL' } };
    const delivery = await server.notify(url, notice, { retryDelaysMs: [] });
    expect(delivery).toMatchObject({ delivered: true, attempts: [{ status: 204 }] });
    expect(server.cards.card(CARD_ID, '478515832665')).toMatchObject({ user_card_state: 'EFFECTIVE', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA' });
    expect(server.requests().map((r) => `${r.operationId} ${r.verdict}`).filter((r) => !r.startsWith('undefined'))).toContain('confirmUserCard OK');

    const repeat = await server.notify(url, { ...notice, id: delivery.id }, { retryDelaysMs: [] });
    expect(repeat.delivered).toBe(true);
    expect(seen).toHaveLength(1);
    expect(server.requests().filter((r) => r.operationId === 'confirmUserCard')).toHaveLength(1);
  });

  it('a notification from another server is refused as signed by a key the client does not know, and the card stays unconfirmed', async () => {
    const [server, impostor] = await Promise.all([startLocalWechatPay({ keyMode: { mode } }), startLocalWechatPay({ keyMode: { mode } })]);
    cleanup.push(() => server.close(), () => impostor.close());
    const { url, seen, errors } = await merchant(server);
    const delivery = await impostor.notify(url, { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource: { user_card_code: '1', card_id: CARD_ID, brand_id: '1004', openid: 'o' } }, { retryDelaysMs: [] });
    expect(delivery).toMatchObject({ delivered: false, attempts: [{ status: 401 }] });
    // Each server's key has an id of its own (a public key id follows from the key), so the
    // client is told which check failed: the serial, not the signature.
    expect(errors).toEqual([expect.objectContaining({ name: 'NotificationError', check: 'unknown-serial' })]);
    expect(seen).toEqual([]);
    expect(server.cards.card(CARD_ID, '1')).toBeUndefined();
  });
});
