// The merchant's side of a card opening, shared by `npm start` and
// test/notify-flow.test.ts: a notify_url served by the runtime's handler over
// node:http on 127.0.0.1. The handler verifies and decrypts each notification
// with the client's own configuration (its APIv3 key and WeChat Pay key), and
// the merchant's code confirms every card a member opened.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotificationHandler, nodeListener, type MembercardClient, type Notification } from '../../generated/index.js';

export type ConfirmedCard = Awaited<ReturnType<MembercardClient['confirmUserCard']>>;

export interface Merchant {
  /** The notify_url to announce events to. */
  url: string;
  /** Each notification the handler let through (verified, decrypted), in order. */
  seen: Notification[];
  /** What confirmUserCard answered, one per card-open event. */
  confirmed: ConfirmedCard[];
  /** What the handler refused or what failed in the merchant's code (no secret in them). */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startMerchant(client: MembercardClient): Promise<Merchant> {
  const seen: Notification[] = [];
  const confirmed: ConfirmedCard[] = [];
  const errors: unknown[] = [];
  const handler = createNotificationHandler(client, {
    async onNotification(n) {
      seen.push(n);
      if (n.event_type !== 'MEMBERCARDSP.USER_CARD.CREATE') return;
      const { user_card_code, card_id, brand_id, openid } = n.resource;
      confirmed.push(await client.confirmUserCard({ user_card_code: user_card_code!, card_id: card_id!, brand_id: brand_id!, openid: openid!, user_card_confirm_state: 'CREATE_CARD_SUCCESS' }));
    },
    onError: (e) => errors.push(e),
  });
  const receiver = http.createServer(nodeListener(handler));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wechatpay/notify`,
    seen,
    confirmed,
    errors,
    close: async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}
