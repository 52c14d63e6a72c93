// A NotificationIdStore that every process of a deployment shares, over Redis.
// The Redis client is the application's own (ioredis, or node-redis 4+),
// passed in and typed by the one method used, so the package depends on
// neither. One key per notification id, holding:
//   (nothing)      never seen, or its lease ran out: the next delivery claims it
//   busy:<token>   claimed by one process, which renews the lease while it works
//   done           handled; kept for doneTtlMs, then forgotten
// A claim is one Lua script (read, and set when absent), which Redis runs
// atomically: of simultaneous deliveries of one id, exactly one gets `new`.
// Every key expires, so nothing grows without bound.
import { randomUUID } from 'node:crypto';
import type { IdState, NotificationIdStore } from './id-store.js';

/** ioredis 5+ (its `Redis` class): the store sends its commands with `call`. */
export interface IoredisClient {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** node-redis (the `redis` package) 4+, a client of its `createClient`: the store sends its commands with `sendCommand`. */
export interface NodeRedisClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisIdStoreOptions {
  /** Put before every key. Default `wechatpay:notification:`. */
  prefix?: string;
  /**
   * How long a claim lasts unless renewed, in ms. Default 15 s. While
   * onNotification runs, the process renews it every leaseMs/3, so a slow
   * handler keeps its claim; a process that dies frees the id within leaseMs,
   * well before WeChat's next try (60 s later), which is then handled.
   */
  leaseMs?: number;
  /** How long a handled id is remembered, in ms. Default 24 h, as memoryIdStore. */
  doneTtlMs?: number;
  /** How long one Redis command may take, in ms; then it fails (claim: the handler answers 500). Default 2000, within WeChat's 5 s. */
  commandTimeoutMs?: number;
  /** Told when renewing a lease fails, or finds the lease lost. Renewal runs in the background; claim, done and release fail to the handler, which tells its own onError. */
  onError?(error: unknown): void;
}

const BUSY = 'busy:';
const DONE = 'done';

// KEYS[1] the id's key; ARGV[1] busy:<token>, ARGV[2] the lease in ms.
// Answers the value found, or nil when it claimed the id.
const CLAIM = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

// Acts only on a claim that is still this one's: a lease that ran out may be another process's claim by now.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The notification id store for several server processes: pass your Redis
 * client (`new Redis(url)` of ioredis, or `createClient({ url })` of redis,
 * connected). Keys are the prefix and the id, percent-encoded.
 */
export function redisIdStore(client: IoredisClient | NodeRedisClient, options: RedisIdStoreOptions = {}): NotificationIdStore {
  const send = sender(client);
  const prefix = options.prefix ?? 'wechatpay:notification:';
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  const leaseMs = positive('leaseMs', options.leaseMs ?? 15_000);
  const doneTtlMs = positive('doneTtlMs', options.doneTtlMs ?? 24 * 3600 * 1000);
  const timeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 2000);
  // The claims this process holds: one entry per notification being handled here.
  const held = new Map<string, { value: string; renewal: NodeJS.Timeout }>();

  // encodeURIComponent leaves no ':', '{' or '}' in an id: no id can look like another's key or pick a cluster slot.
  const key = (id: string) => prefix + encodeURIComponent(id);
  const run = (args: string[]) => withTimeout(send(args), timeoutMs, args[0]!);
  const script = (body: string, id: string, ...args: string[]) => run(['EVAL', body, '1', key(id), ...args]);
  const report = (e: unknown) => {
    try {
      options.onError?.(e);
    } catch {
      // A failing logger must not stop the renewals.
    }
  };
  const forget = (id: string) => {
    const claim = held.get(id);
    if (claim) clearInterval(claim.renewal);
    held.delete(id);
    return claim;
  };

  return {
    async claim(id) {
      const value = BUSY + randomUUID();
      const found = await script(CLAIM, id, value, String(leaseMs));
      if (found === null || found === undefined) {
        forget(id);
        const renewal = setInterval(() => {
          script(RENEW, id, value, String(leaseMs)).then(
            (renewed) => {
              if (Number(renewed) === 1 || held.get(id)?.value !== value) return;
              forget(id);
              report(new Error(`the lease on notification ${id} ran out before it was handled: another process may handle it too`));
            },
            report,
          );
        }, Math.max(1, Math.floor(leaseMs / 3)));
        renewal.unref();
        held.set(id, { value, renewal });
        return 'new';
      }
      return state(found);
    },
    async done(id) {
      forget(id);
      await run(['SET', key(id), DONE, 'PX', String(doneTtlMs)]);
    },
    async release(id) {
      const claim = forget(id);
      if (claim) await script(RELEASE, id, claim.value);
    },
  };
}

function state(found: unknown): IdState {
  const text = Buffer.isBuffer(found) ? found.toString() : found;
  if (text === DONE) return 'done';
  if (typeof text === 'string' && text.startsWith(BUSY)) return 'busy';
  // Something else wrote under the prefix: refuse rather than guess (the handler answers 500).
  throw new Error('the notification id store found a value it did not write: is another application using the same key prefix?');
}

function sender(client: IoredisClient | NodeRedisClient): (args: string[]) => Promise<unknown> {
  // ioredis has a sendCommand too, of another kind: look for call first.
  if (typeof (client as Partial<IoredisClient>)?.call === 'function') {
    const c = client as IoredisClient;
    return ([command, ...args]) => c.call(command!, ...args);
  }
  if (typeof (client as Partial<NodeRedisClient>)?.sendCommand === 'function') {
    const c = client as NodeRedisClient;
    return (args) => c.sendCommand(args);
  }
  throw new TypeError('redisIdStore needs an ioredis client (it has call) or a node-redis client (it has sendCommand)');
}

function positive(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new TypeError(`${name} must be a positive integer of milliseconds`);
  return value;
}

function withTimeout<T>(promise: Promise<T>, ms: number, command: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${command} within ${ms} ms`)), ms);
  });
  // The command may still complete later: a claim set then simply runs out with its lease.
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
