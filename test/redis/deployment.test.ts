// A deployment of two merchant server processes behind one notify_url, each
// a real node:http server with its own Redis client, sharing redisIdStore
// over a real redis-server; WeChat's repeats arrive at either, at once.
// Counted from the processes' own lines: onNotification runs once per id.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type NotificationSigner } from '../../runtime/local-server/notify.js';
import { keys, PUBLIC_KEY_ID } from '../helpers.js';
import { API_V3_KEY, CARD_EVENT, cardNotification, CREATE } from '../notifications.js';
import { connect, type ClientName, type Connected } from './clients.js';
import { startHandler, type HandlerProcess } from './handler-processes.js';
import { startRedis, type RedisServer } from './redis-server.js';

// Long enough that a busy machine's pauses do not outlast a renewal (every LEASE_MS/3).
const LEASE_MS = 3000;
const signer: NotificationSigner = { wechatpayPrivateKey: keys.wechatpayPrivate, serial: PUBLIC_KEY_ID, apiV3Key: Buffer.from(API_V3_KEY), now: Date.now };
// WeChat's schedule (60 s apart) shortened; long enough in all for a lease to run out and Redis to come back.
const RETRIES = { retryDelaysMs: Array<number>(60).fill(250) };
const notice = (id: string, user_card_code = 'plain') => ({ id, event_type: CREATE, resource: { ...CARD_EVENT, user_card_code } });

async function post(url: string, n: { headers: Record<string, string>; body: string }): Promise<number> {
  return (await fetch(url, { method: 'POST', headers: n.headers, body: n.body })).status;
}

/** How many times each process ran onNotification for `id`, once both have written all they had. */
async function handledCount(processes: HandlerProcess[], id: string): Promise<number> {
  await Promise.all(processes.map((p) => p.sync()));
  return processes.flatMap((p) => p.lines).filter((l) => l.event === 'handling' && l.id === id).length;
}

describe.each(['ioredis', 'redis'] satisfies ClientName[])('two handler processes over one Redis, with %s', (clientName) => {
  let redis: RedisServer;
  let look: Connected;
  let a: HandlerProcess;
  let b: HandlerProcess;
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${clientName}-${prefix}-${i}`);

  beforeAll(async () => {
    redis = await startRedis();
    look = await connect(clientName, redis.port);
    [a, b] = await Promise.all([startHandler(clientName, redis.port, LEASE_MS), startHandler(clientName, redis.port, LEASE_MS)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await look?.close();
    await redis?.close();
  });

  // Each test reads the lines of its own run.
  afterEach(() => {
    for (const p of [a, b]) p.lines.length = 0;
  });
  const errors = () => [...a.lines, ...b.lines].filter((l) => l.event === 'error');

  it('the same notification at both processes at the same moment, many times over: handled once per id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const statuses = await Promise.all(
      ids('race', 40).map(async (id) => {
        const n = cardNotification({ id, timestamp: now });
        // Three copies to each process at once, as repeats landing on both sides of a load balancer.
        return Promise.all([a, b, a, b, a, b].map((p) => post(p.url, n)));
      }),
    );
    for (const answers of statuses) {
      expect(answers.filter((s) => s === 204).length).toBeGreaterThanOrEqual(1);
      expect(answers.filter((s) => s !== 204 && s !== 503)).toEqual([]);
    }
    for (const id of ids('race', 40)) expect(await handledCount([a, b], id)).toBe(1);
    // A later repeat, at either: 204 from memory of it, not handled again.
    for (const id of ids('race', 40).slice(0, 5)) {
      expect(await post(b.url, cardNotification({ id, timestamp: now }))).toBe(204);
      expect(await handledCount([a, b], id)).toBe(1);
    }
    expect(errors()).toEqual([]);
  }, 60_000);

  it('a slow handler keeps its claim past the lease: a repeat meanwhile is told 503, and the id is handled once', async () => {
    const [id] = ids('slow', 1) as [string];
    const first = deliver(signer, a.url, notice(id, 'hold'), { retryDelaysMs: [], timeoutMs: 20_000 });
    await a.waitFor((l) => l.event === 'handling' && l.id === id);
    // Two leases long: without renewal the claim would have run out.
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    const meanwhile = await deliver(signer, b.url, notice(id), { retryDelaysMs: [] });
    expect(meanwhile.attempts).toEqual([{ status: 503, failure: 'HTTP 503' }]);
    a.release(id);
    expect((await first).attempts).toEqual([{ status: 204, failure: undefined }]);
    expect((await deliver(signer, b.url, notice(id), { retryDelaysMs: [] })).delivered).toBe(true);
    expect(await handledCount([a, b], id)).toBe(1);
    expect(await look.command('GET', `wechatpay:notification:${id}`)).toBe('done');
    expect(errors()).toEqual([]);
  }, 30_000);

  it('Redis stopped mid-run: the handler answers 500 and tells onError; after Redis is back the repeat is handled once', async () => {
    const [id] = ids('down', 1) as [string];
    await redis.stop();
    const delivery = deliver(signer, a.url, notice(id), RETRIES);
    const error = await a.waitFor((l) => l.event === 'error');
    expect(error.message).toMatch(/Redis|connect|closed|ECONNREFUSED/i);
    await redis.restart();
    const done = await delivery;
    expect(done.delivered).toBe(true);
    expect(done.attempts[0]).toEqual({ status: 500, failure: 'HTTP 500' });
    expect(done.attempts.slice(0, -1).every((t) => t.status === 500 || t.status === 503)).toBe(true);
    expect((await deliver(signer, b.url, notice(id), { retryDelaysMs: [] })).delivered).toBe(true);
    expect(await handledCount([a, b], id)).toBe(1);
  }, 60_000);

  it('a process killed between claim and done: its claim runs out with the lease, and the repeat is handled once, elsewhere', async () => {
    const [id] = ids('killed', 1) as [string];
    const victim = await startHandler(clientName, redis.port, LEASE_MS);
    void deliver(signer, victim.url, notice(id, 'hold'), { retryDelaysMs: [] });
    await victim.waitFor((l) => l.event === 'handling' && l.id === id);
    await victim.kill();
    expect(String(await look.command('GET', `wechatpay:notification:${id}`))).toMatch(/^busy:/);
    const repeat = await deliver(signer, b.url, notice(id), RETRIES);
    expect(repeat.delivered).toBe(true);
    expect(repeat.attempts.slice(0, -1).every((t) => t.status === 503)).toBe(true);
    expect(await handledCount([a, b], id)).toBe(1);
    expect(b.lines.filter((l) => l.event === 'handled' && l.id === id)).toHaveLength(1);
    expect(errors()).toEqual([]);
  }, 60_000);
});
