// redisIdStore against a real redis-server, with each Redis client the README
// names as tested: atomic claims, the keys it writes (prefix, encoded ids,
// expiry), the lease and its renewal, and what a Redis failure does to the
// handler. The deployment (processes, kills, the sender) is deployment.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createNotificationHandler, redisIdStore } from '../../generated/index.js';
import { clientConfig } from '../helpers.js';
import { API_V3_KEY, cardNotification } from '../notifications.js';
import { CLIENTS, connect, type Connected } from './clients.js';
import { startRedis, type RedisServer } from './redis-server.js';

const DAY_MS = 24 * 3600 * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(CLIENTS)('redisIdStore with %s', (clientName) => {
  let redis: RedisServer;
  const open: Connected[] = [];
  const connection = async () => {
    const c = await connect(clientName, redis.port);
    open.push(c);
    return c;
  };
  // Every test its own prefix, so tests share one server without meeting.
  let tests = 0;
  const prefix = () => `t${++tests}-${clientName}:`;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await redis?.close();
  });

  it('of 60 simultaneous claims of one id over 6 connections, exactly one is new', async () => {
    const p = prefix();
    const stores = await Promise.all(Array.from({ length: 6 }, async () => redisIdStore((await connection()).client, { prefix: p })));
    for (const id of ['a', 'b', 'c']) {
      const states = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 6]!.claim(id)));
      expect(states.filter((s) => s === 'new')).toHaveLength(1);
      expect(states.filter((s) => s === 'busy')).toHaveLength(59);
    }
    await stores[0]!.done('a');
    expect(await Promise.all(stores.map((s) => s.claim('a')))).toEqual(Array(6).fill('done'));
  });

  it('keys: the prefix, then the id percent-encoded, so no crafted id reaches another id’s key', async () => {
    const c = await connection();
    const p = prefix();
    const store = redisIdStore(c.client, { prefix: p });
    const table: { id: string; key: string }[] = [
      { id: 'EV-2018022511223320873', key: 'EV-2018022511223320873' },
      { id: 'A', key: 'A' },
      { id: '%41', key: '%2541' },
      { id: 'a:b', key: 'a%3Ab' },
      { id: 'a', key: 'a' },
      { id: '{slot}x', key: '%7Bslot%7Dx' },
      { id: 'busy:x', key: 'busy%3Ax' },
      { id: 'a b/ü\n', key: 'a%20b%2F%C3%BC%0A' },
    ];
    for (const { id } of table) {
      expect(await store.claim(id)).toBe('new');
      await store.done(id);
    }
    expect(((await c.command('KEYS', `${p}*`)) as string[]).sort()).toEqual(table.map((t) => p + t.key).sort());
    // Each id is its own: done under 'a:b' says nothing of 'a:c', nor 'A' of 'a'.
    expect(await store.claim('a:c')).toBe('new');
    expect(await store.claim('%42')).toBe('new');
    const other = redisIdStore(c.client, { prefix: `${p}other:` });
    expect(await other.claim('A')).toBe('new');
    // The default prefix.
    expect(await redisIdStore(c.client).claim(`${clientName}-default`)).toBe('new');
    expect(await c.command('EXISTS', `wechatpay:notification:${clientName}-default`)).toBe(1);
  });

  it('a claim lasts leaseMs; a handled id is kept doneTtlMs (default 24 h); a release frees it at once', async () => {
    const c = await connection();
    const p = prefix();
    const pttl = async (id: string) => Number(await c.command('PTTL', p + id));
    const store = redisIdStore(c.client, { prefix: p, leaseMs: 60_000 });
    await store.claim('x');
    expect(await pttl('x')).toBeGreaterThan(50_000);
    expect(await pttl('x')).toBeLessThanOrEqual(60_000);
    await store.done('x');
    expect(await c.command('GET', `${p}x`)).toBe('done');
    expect(await pttl('x')).toBeGreaterThan(DAY_MS - 60_000);
    expect(await pttl('x')).toBeLessThanOrEqual(DAY_MS);
    const short = redisIdStore(c.client, { prefix: p, doneTtlMs: 5000 });
    await short.claim('y');
    await short.done('y');
    expect(await pttl('y')).toBeLessThanOrEqual(5000);
    await store.claim('z');
    await store.release('z');
    expect(await c.command('EXISTS', `${p}z`)).toBe(0);
    expect(await store.claim('z')).toBe('new');
  });

  it('renews the lease while the claim is held; a release never frees another process’s claim', async () => {
    const [c1, c2] = [await connection(), await connection()];
    const p = prefix();
    const lost: unknown[] = [];
    const first = redisIdStore(c1.client, { prefix: p, leaseMs: 2000, onError: (e) => lost.push(e) });
    const second = redisIdStore(c2.client, { prefix: p, leaseMs: 2000 });
    expect(await first.claim('held')).toBe('new');
    // More than two leases: the claim holds only because it is renewed.
    await sleep(4500);
    expect(await second.claim('held')).toBe('busy');
    await first.release('held');
    expect(await second.claim('held')).toBe('new');

    // The first's claim vanishes (as when Redis lost it): the second claims, and the first's release leaves that claim alone.
    expect(await first.claim('taken')).toBe('new');
    await c2.command('DEL', `${p}taken`);
    expect(await second.claim('taken')).toBe('new');
    await first.release('taken');
    expect(await first.claim('taken')).toBe('busy');
    expect(lost).toEqual([]);
  });

  it('says so on onError when a renewal finds the lease gone', async () => {
    const c = await connection();
    const p = prefix();
    const lost: unknown[] = [];
    const store = redisIdStore(c.client, { prefix: p, leaseMs: 300, onError: (e) => lost.push(e) });
    await store.claim('gone');
    await c.command('DEL', `${p}gone`);
    while (lost.length === 0) await sleep(50);
    expect(String(lost[0])).toContain('the lease on notification gone ran out before it was handled');
  });

  it('a value it did not write under its prefix fails the claim instead of being read as a state', async () => {
    const c = await connection();
    const p = prefix();
    await c.command('SET', `${p}odd`, 'something else');
    await expect(redisIdStore(c.client, { prefix: p }).claim('odd')).rejects.toThrow(/a value it did not write/);
  });

  it('Redis down: the handler answers 500 and tells onError; once it is back, the repeat is handled once', async () => {
    const c = await connection();
    const seen: string[] = [];
    const errors: unknown[] = [];
    const client = createClient(clientConfig({ apiV3Key: API_V3_KEY, now: () => 1_760_000_000_000 }));
    const handler = createNotificationHandler(client, {
      idStore: redisIdStore(c.client, { prefix: prefix(), leaseMs: 500, commandTimeoutMs: 300 }),
      onNotification: (n) => void seen.push(n.id),
      onError: (e) => errors.push(e),
    });
    await redis.stop();
    const down = await handler.handle(cardNotification());
    expect(down.status).toBe(500);
    expect(JSON.parse(down.body)).toEqual({ code: 'FAIL', message: 'the notification id store failed' });
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([]);
    await redis.restart();
    // WeChat's repeats: a claim the down Redis queued may land on its return and hold the id until its lease runs out (503).
    const answers: number[] = [];
    while (answers.at(-1) !== 204) {
      answers.push((await handler.handle(cardNotification())).status);
      if (answers.at(-1) !== 204) await sleep(100);
    }
    expect(answers.every((s, i) => s === 204 || (i < answers.length - 1 && (s === 500 || s === 503)))).toBe(true);
    expect((await handler.handle(cardNotification())).status).toBe(204);
    expect(seen).toHaveLength(1);
  });
});

it('refuses options it cannot use, and a client it cannot send with', () => {
  const table: [Parameters<typeof redisIdStore>[1], RegExp][] = [
    [{ leaseMs: 0 }, /leaseMs must be a positive integer/],
    [{ leaseMs: 1.5 }, /leaseMs must be a positive integer/],
    [{ doneTtlMs: -1 }, /doneTtlMs must be a positive integer/],
    [{ commandTimeoutMs: Number.NaN }, /commandTimeoutMs must be a positive integer/],
    [{ prefix: 7 as unknown as string }, /prefix must be a string/],
  ];
  const client = { call: async () => null };
  for (const [options, message] of table) expect(() => redisIdStore(client, options)).toThrow(message);
  expect(() => redisIdStore({} as never)).toThrow(/needs an ioredis client \(it has call\) or a node-redis client \(it has sendCommand\)/);
});
