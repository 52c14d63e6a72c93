// The local server's notification sender, against the client's own handler
// on loopback: signed, encrypted, retried until answered 200/204.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, createNotificationHandler, nodeListener, type Notification } from '../../generated/index.js';
import { deliver, type NotificationSigner } from '../../runtime/local-server/notify.js';
import { clientConfig, keys, PUBLIC_KEY_ID } from '../helpers.js';
import { API_V3_KEY, CARD_EVENT, CREATE } from '../notifications.js';

const signer: NotificationSigner = { wechatpayPrivateKey: keys.wechatpayPrivate, serial: PUBLIC_KEY_ID, apiV3Key: Buffer.from(API_V3_KEY), now: Date.now };
const client = createClient(clientConfig({ apiV3Key: API_V3_KEY }));
const servers: http.Server[] = [];

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('deliver', () => {
  it('posts a notification the client verifies and decrypts', async () => {
    const seen: Notification[] = [];
    const url = await listen(nodeListener(createNotificationHandler(client, { onNotification: (n) => void seen.push(n) })));
    const delivery = await deliver(signer, url, { event_type: CREATE, resource: CARD_EVENT });
    expect(delivery).toMatchObject({ delivered: true, attempts: [{ status: 204, failure: undefined }] });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: delivery.id, event_type: CREATE, resource: CARD_EVENT, resource_type: 'encrypt-resource', summary: '用户开通会员卡通知' });
  });

  it('tries again after a failure answer, with the same id, until it is received', async () => {
    let failures = 2;
    const seen: Notification[] = [];
    const url = await listen(
      nodeListener(
        createNotificationHandler(client, {
          onNotification: (n) => {
            seen.push(n);
            if (failures-- > 0) throw new Error('not yet');
          },
        }),
      ),
    );
    const delivery = await deliver(signer, url, { event_type: CREATE, resource: CARD_EVENT }, { retryDelaysMs: [5, 5, 5, 5] });
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(new Set(seen.map((n) => n.id))).toEqual(new Set([delivery.id]));
  });

  it('gives up after the last delay; a refused connection and a silent server count as failures', async () => {
    const closed = await listen(() => undefined);
    const s = servers.pop()!;
    await new Promise((r) => s.close(r));
    const refused = await deliver(signer, closed, { event_type: CREATE, resource: CARD_EVENT }, { retryDelaysMs: [5] });
    expect(refused).toMatchObject({ delivered: false, attempts: [{ failure: 'ECONNREFUSED' }, { failure: 'ECONNREFUSED' }] });
    const silent = await listen(() => undefined);
    const timedOut = await deliver(signer, silent, { event_type: CREATE, resource: CARD_EVENT }, { retryDelaysMs: [], timeoutMs: 200 });
    expect(timedOut).toMatchObject({ delivered: false, attempts: [{ status: undefined, failure: 'timeout' }] });
  });
});
