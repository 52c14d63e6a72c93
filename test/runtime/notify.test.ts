// parseNotification and the notification handler, on notifications built by
// the test with node:crypto (test/notifications.ts).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createClient, createNotificationHandler, fetchHandler, memoryIdStore, nodeListener, NotificationError, type Notification } from '../../generated/index.js';
import { clientConfig, keys, ROOT } from '../helpers.js';
import { API_V3_KEY, CARD_EVENT, cardNotification, CREATE, DELETE, NOW, OTHER_API_V3_KEY, signedText, type Built } from '../notifications.js';

const client = createClient(clientConfig({ apiV3Key: API_V3_KEY, now: () => NOW * 1000 }));

const cases: { name: string; given: Built; want: { check: string; status: number } | { event_type: string } }[] = [
  { name: 'a card opening', given: cardNotification({ eventType: CREATE }), want: { event_type: CREATE } },
  { name: 'a card deletion', given: cardNotification({ eventType: DELETE, id: 'EV-2' }), want: { event_type: DELETE } },
  { name: 'a bad signature', given: cardNotification({ signKey: keys.otherPrivate }), want: { check: 'bad-signature', status: 401 } },
  { name: 'a body changed after signing', given: tamper(cardNotification(), (b) => b.replace('用户开通会员卡通知', '用户删除会员卡通知')), want: { check: 'bad-signature', status: 401 } },
  { name: "WeChat's signature probe", given: probe(cardNotification()), want: { check: 'bad-signature', status: 401 } },
  { name: 'a stale timestamp', given: cardNotification({ timestamp: NOW - 301 }), want: { check: 'stale-timestamp', status: 401 } },
  { name: 'an unknown serial', given: cardNotification({ serial: 'PUB_KEY_ID_0000000000000000000000000001' }), want: { check: 'unknown-serial', status: 401 } },
  { name: 'a missing nonce', given: headers(cardNotification(), (h) => delete h['Wechatpay-Nonce']), want: { check: 'missing-header', status: 401 } },
  { name: 'a header in two spellings (it arrived twice)', given: headers(cardNotification(), (h) => (h['wechatpay-timestamp'] = h['Wechatpay-Timestamp']!)), want: { check: 'duplicate-header', status: 401 } },
  { name: 'a header given as a list of two', given: headers(cardNotification(), (h) => ((h as Record<string, unknown>)['Wechatpay-Serial'] = [h['Wechatpay-Serial'], h['Wechatpay-Serial']])), want: { check: 'duplicate-header', status: 401 } },
  { name: 'header names in any case', given: headers(cardNotification(), (h) => (h['WECHATPAY-SIGNATURE'] = h['Wechatpay-Signature']!) && delete h['Wechatpay-Signature']), want: { event_type: CREATE } },
  { name: 'a wrong APIv3 key', given: cardNotification({ apiV3Key: OTHER_API_V3_KEY }), want: { check: 'undecryptable', status: 400 } },
  { name: 'a flipped tag byte', given: cardNotification({ flipTag: true }), want: { check: 'undecryptable', status: 400 } },
  { name: 'a body that is not JSON', given: signedText('id=1&event_type=MEMBERCARDSP.USER_CARD.CREATE'), want: { check: 'invalid-json', status: 400 } },
  { name: 'a JSON body that is not an object', given: signedText('["MEMBERCARDSP.USER_CARD.CREATE"]'), want: { check: 'invalid-json', status: 400 } },
  { name: 'an unknown event type', given: cardNotification({ eventType: 'MEMBERCARDSP.USER_CARD.UPDATE' }), want: { check: 'unknown-event-type', status: 400 } },
  { name: 'an envelope without summary', given: cardNotification({ envelope: (e) => delete e['summary'] }), want: { check: 'envelope', status: 400 } },
  { name: 'an id longer than 36', given: cardNotification({ id: 'x'.repeat(37) }), want: { check: 'envelope', status: 400 } },
  { name: 'another algorithm', given: cardNotification({ envelope: (e) => ((e['resource'] as Record<string, unknown>)['algorithm'] = 'AEAD_AES_128_GCM') }), want: { check: 'envelope', status: 400 } },
  { name: 'a resource that is not JSON', given: cardNotification({ plaintext: 'user_card_code=478515832665' }), want: { check: 'resource', status: 400 } },
  { name: 'a resource field of the wrong type', given: cardNotification({ resource: { ...CARD_EVENT, card_id: 42 } }), want: { check: 'resource', status: 400 } },
];

describe('parseNotification', () => {
  it.each(cases)('$name', async ({ given, want }) => {
    const result = await client.parseNotification(given.headers, Buffer.from(given.body)).catch((e: unknown) => e);
    if ('event_type' in want) {
      expect(result).not.toBeInstanceOf(Error);
      expect((result as Notification).event_type).toBe(want.event_type);
    } else {
      expect(result).toBeInstanceOf(NotificationError);
      expect(result).toMatchObject({ kind: 'notification', check: want.check, status: want.status, requestId: '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1' });
    }
  });

  it('returns the envelope with the resource decrypted, unknown fields kept', async () => {
    const n = cardNotification({ envelope: (e) => (e['trace'] = { hop: 1 }) });
    const got = await client.parseNotification(n.headers, n.body);
    expect(got).toEqual({
      id: 'EV-2018022511223320873',
      create_time: '2025-10-09T16:53:21+08:00',
      resource_type: 'encrypt-resource',
      event_type: CREATE,
      summary: '用户开通会员卡通知',
      trace: { hop: 1 },
      resource: CARD_EVENT,
    });
    if (got.event_type === CREATE) expect(got.resource.user_card_code).toBe('478515832665');
  });

  it('names the failed fields of an envelope, never their values', async () => {
    const n = cardNotification({ id: 'x'.repeat(37), envelope: (e) => delete e['create_time'] });
    const err = (await client.parseNotification(n.headers, n.body).catch((e: unknown) => e)) as NotificationError;
    expect(err.issues.map((i) => `${i.path} ${i.rule}`)).toEqual(['create_time required', 'id maxLength']);
    expect(err.notificationId).toBe('x'.repeat(37));
  });

  it('holds neither the APIv3 key nor any plaintext in an error', async () => {
    const n = cardNotification({ resource: { ...CARD_EVENT, card_id: 42 } });
    const err = await client.parseNotification(n.headers, n.body).catch((e: unknown) => e);
    for (const text of [JSON.stringify(err), inspect(err, { depth: 5, showHidden: true }), String((err as Error).stack)]) {
      expect(text).not.toContain(API_V3_KEY);
      expect(text).not.toContain(CARD_EVENT.openid);
      expect(text).not.toContain(CARD_EVENT.user_card_code);
    }
  });

  it('refuses a body that was parsed already', async () => {
    const n = cardNotification();
    const err = await client.parseNotification(n.headers, JSON.parse(n.body) as Buffer).catch((e: unknown) => e);
    expect(err).toMatchObject({ check: 'body-already-read' });
  });

  it('without an APIv3 key in the configuration, says so once the signature checks out', async () => {
    const noKey = createClient(clientConfig({ now: () => NOW * 1000 }));
    const n = cardNotification();
    await expect(noKey.parseNotification(n.headers, n.body)).rejects.toMatchObject({ kind: 'config', field: 'apiV3Key' });
  });

  it('refuses an APIv3 key that is not 32 bytes when the client is created', () => {
    expect(() => createClient(clientConfig({ apiV3Key: 'testMchAPIv3Key0' }))).toThrow(/apiV3Key: must be 32 bytes/);
  });

  // A real notification from WeChat Pay's Go SDK: signed by a platform
  // certificate, with an event type of another product (and an AES-128 resource).
  describe('the wechatpay-go vector', () => {
    const vector = JSON.parse(readFileSync(`${ROOT}/test/fixtures/vectors/wechatpay-go-notify.json`, 'utf8')) as {
      now_unix: number; platform_certificate_pem: string; platform_certificate_serial: string; headers: Record<string, string>; body: string;
    };
    const at = (seconds: number) =>
      createClient(clientConfig({ wechatpayPublicKeyId: undefined, wechatpayPublicKey: undefined, platformCertificates: [vector.platform_certificate_pem], apiV3Key: API_V3_KEY, now: () => seconds * 1000 }));

    it('verifies, then is refused for its event type', async () => {
      await expect(at(vector.now_unix).parseNotification(vector.headers, vector.body)).rejects.toMatchObject({ check: 'unknown-event-type', notificationId: '3119dfba-e649-5eec-ab1e-3412bc4d2e17' });
    });
    it('is stale five minutes and a second later', async () => {
      await expect(at(vector.now_unix + 301).parseNotification(vector.headers, vector.body)).rejects.toMatchObject({ check: 'stale-timestamp' });
    });
    it('does not verify with one byte of the body changed', async () => {
      await expect(at(vector.now_unix).parseNotification(vector.headers, vector.body.replace('签约成功', '签约失败'))).rejects.toMatchObject({ check: 'bad-signature' });
    });
  });
});

describe('createNotificationHandler', () => {
  const setup = (onNotification: (n: Notification) => void | Promise<void> = () => undefined, extra: { maxBodyBytes?: number } = {}) => {
    const seen: Notification[] = [];
    const errors: unknown[] = [];
    const handler = createNotificationHandler(client, {
      onNotification: async (n) => {
        seen.push(n);
        await onNotification(n);
      },
      onError: (e) => errors.push(e),
      ...extra,
    });
    return { handler, seen, errors };
  };

  it.each(cases)('$name', async ({ given, want }) => {
    const { handler, seen, errors } = setup();
    const answer = await handler.handle({ headers: given.headers, body: given.body });
    if ('event_type' in want) {
      expect(answer).toEqual({ status: 204, headers: {}, body: '' });
      expect(seen.map((n) => n.event_type)).toEqual([want.event_type]);
    } else {
      expect(answer.status).toBe(want.status);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'FAIL', message: expect.any(String) });
      expect(seen).toEqual([]);
      expect(errors).toMatchObject([{ check: want.check }]);
    }
  });

  it('tells the application once per notification id: a repeat is answered success without it', async () => {
    const { handler, seen } = setup();
    const n = cardNotification();
    expect((await handler.handle(n)).status).toBe(204);
    const again = cardNotification(); // same id, new nonce and signature, as WeChat's retries come
    expect((await handler.handle(again)).status).toBe(204);
    expect(seen).toHaveLength(1);
  });

  it('lets a repeat through after the application failed, and answers 500 meanwhile', async () => {
    let fail = true;
    const { handler, seen } = setup(() => {
      if (fail) throw new Error(`database down for ${CARD_EVENT.openid}`);
    });
    const first = await handler.handle(cardNotification());
    expect(first.status).toBe(500);
    expect(first.body).not.toContain(CARD_EVENT.openid);
    fail = false;
    expect((await handler.handle(cardNotification())).status).toBe(204);
    expect(seen).toHaveLength(2);
  });

  it('answers 503 to a repeat that arrives while the first is being handled', async () => {
    let release!: () => void;
    const { handler, seen } = setup(() => new Promise<void>((r) => (release = r)));
    const first = handler.handle(cardNotification());
    await new Promise((r) => setTimeout(r, 10));
    expect((await handler.handle(cardNotification())).status).toBe(503);
    release();
    expect((await first).status).toBe(204);
    expect(seen).toHaveLength(1);
  });

  it('with idStore: null, every delivery reaches the application', async () => {
    const seen: unknown[] = [];
    const handler = createNotificationHandler(client, { onNotification: (n) => void seen.push(n), idStore: null });
    await handler.handle(cardNotification());
    await handler.handle(cardNotification());
    expect(seen).toHaveLength(2);
  });

  it('refuses a body over the cap before parsing it', async () => {
    const { handler, errors } = setup(undefined, { maxBodyBytes: 100 });
    expect((await handler.handle(cardNotification())).status).toBe(413);
    expect(errors).toMatchObject([{ check: 'body-too-large' }]);
  });
});

describe('memoryIdStore', () => {
  it('forgets the oldest id beyond maxIds, and ids older than ttlMs', async () => {
    let t = 0;
    const store = memoryIdStore({ maxIds: 2, ttlMs: 1000, now: () => t });
    for (const id of ['a', 'b', 'c']) {
      expect(store.claim(id)).toBe('new');
      store.done(id);
    }
    expect([store.claim('b'), store.claim('c'), store.claim('a')]).toEqual(['done', 'done', 'new']);
    t = 5000;
    expect(store.claim('c')).toBe('new');
  });
});

describe('adapters', () => {
  const handler = createNotificationHandler(client, { onNotification: () => undefined, maxBodyBytes: 4096 });

  async function serve(listener: http.RequestListener, send: (url: string) => Promise<Response>): Promise<Response> {
    const server = http.createServer(listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      return await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
  const post = (n: Built, body: string = n.body) => (url: string) => fetch(url, { method: 'POST', headers: n.headers, body });

  it('node:http: 204 for a good notification, 401 with a FAIL body for a forged one', async () => {
    const listener = nodeListener(handler);
    expect((await serve(listener, post(cardNotification({ id: 'node-1' })))).status).toBe(204);
    const forged = await serve(listener, post(cardNotification({ id: 'node-2', signKey: keys.otherPrivate })));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'FAIL' });
  });

  it('node:http: 413 for a body over the cap, read no further', async () => {
    const n = cardNotification({ resource: { ...CARD_EVENT, card_picture_url: 'x'.repeat(8000) } });
    expect((await serve(nodeListener(handler), post(n))).status).toBe(413);
  });

  it('node:http: says so when a body parser got there first, and uses express.raw()’s Buffer', async () => {
    const listener = nodeListener(handler);
    const parsedFirst: http.RequestListener = (req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        (req as { body?: unknown }).body = req.url === '/raw' ? Buffer.from(text) : JSON.parse(text);
        listener(req, res);
      });
    };
    const json = await serve(parsedFirst, post(cardNotification({ id: 'node-3' })));
    expect(json.status).toBe(500);
    expect(((await json.json()) as { message: string }).message).toMatch(/already parsed.*before any body parser/);
    const raw = await serve(parsedFirst, (url) => post(cardNotification({ id: 'node-4' }))(url.replace('/notify', '/raw')));
    expect(raw.status).toBe(204);
  });

  it('WHATWG Request/Response: 204, 413, and a body already read', async () => {
    const handle = fetchHandler(handler);
    const request = (n: Built) => new Request('http://localhost/notify', { method: 'POST', headers: n.headers, body: n.body });
    expect((await handle(request(cardNotification({ id: 'fetch-1' })))).status).toBe(204);
    expect((await handle(request(cardNotification({ resource: { ...CARD_EVENT, card_picture_url: 'x'.repeat(8000) } })))).status).toBe(413);
    const used = request(cardNotification({ id: 'fetch-2' }));
    await used.json();
    const answer = await handle(used);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ code: 'FAIL', message: expect.stringMatching(/already read/) });
  });
});

function headers(n: Built, change: (headers: Record<string, string>) => unknown): Built {
  const copy = { ...n.headers };
  change(copy);
  return { headers: copy, body: n.body };
}

function tamper(n: Built, change: (body: string) => string): Built {
  return { headers: n.headers, body: change(n.body) };
}

// WeChat checks that merchants verify by sending a signature that never verifies.
function probe(n: Built): Built {
  return { headers: { ...n.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${n.headers['Wechatpay-Signature']!.slice(19)}` }, body: n.body };
}
