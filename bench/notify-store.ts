// Cost of the notification handler per notification with each id store: the
// handler's handle() (verify, decrypt, parse, claim the id, a no-op
// onNotification, mark it done) with memoryIdStore beside redisIdStore over
// ioredis and over node-redis, against one redis-server this script starts on
// 127.0.0.1 (no persistence) and stops. Interleaved rounds, so machine noise
// hits every store alike; each round gives each store fresh ids (a new memory
// store, a new Redis key prefix). CPU is this process's user+sys per
// notification; Redis's own CPU per notification (from /proc) is beside it.
// Sequential (concurrency 1: the latency of one notification) and 16 at once.
// Prints; asserts nothing.
//   npm run bench:notify-store [-- --count 5000 --rounds 9]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createClient as createRedisClient } from 'redis';
import { createClient, createNotificationHandler, memoryIdStore, redisIdStore, type NotificationIdStore } from '../generated/index.js';
import { startRedis } from '../test/redis/redis-server.js';
import { API_V3_KEY, build, NOW, pem, PUBLIC_KEY_ID, type Notification } from './notifications.js';
import { median, roundRatios, spread } from './stats.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '9' } } });
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);

interface Stats {
  cpuUs: number;
  wallUs: number;
  redisCpuUs: number;
}

/** The CPU time redis-server has used, in µs (Linux /proc; NaN elsewhere). */
function processCpuUs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return Number.NaN;
  }
}

async function main() {
  const redis = await startRedis();
  const io = new Redis({ host: '127.0.0.1', port: redis.port });
  const node = createRedisClient({ socket: { host: '127.0.0.1', port: redis.port } });
  node.on('error', (e: unknown) => console.error(e));
  await node.connect();
  try {
    const client = createClient({
      mchid: '1900000001', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey: pem('merchant.key.pem'),
      wechatpayPublicKeyId: PUBLIC_KEY_ID, wechatpayPublicKey: pem('wechatpay.pub.pem'), apiV3Key: API_V3_KEY, now: () => NOW * 1000,
    });
    const notes = Array.from({ length: COUNT }, (_, i) => build(i));
    let prefixes = 0;
    // A fresh store per round: every id in it is new.
    const stores: Record<string, () => NotificationIdStore> = {
      floor: () => memoryIdStore(),
      'redis via ioredis': () => redisIdStore(io, { prefix: `bench:${++prefixes}:` }),
      'redis via node-redis': () => redisIdStore(node, { prefix: `bench:${++prefixes}:` }),
    };
    const measure = async (store: NotificationIdStore, concurrency: number): Promise<Stats> => {
      const handler = createNotificationHandler(client, { idStore: store, onNotification: () => undefined });
      let next = 0;
      const worker = async () => {
        while (next < notes.length) {
          const n = notes[next++]!;
          const answer = await handler.handle({ headers: n.headers, body: n.body });
          if (answer.status !== 204) throw new Error(`the handler answered ${answer.status}: ${answer.body}`);
        }
      };
      const redis0 = processCpuUs(redis.pid);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const wallUs = ((performance.now() - t0) * 1000) / notes.length;
      const cpu = process.cpuUsage(cpu0);
      return { cpuUs: (cpu.user + cpu.system) / notes.length, wallUs, redisCpuUs: (processCpuUs(redis.pid) - redis0) / notes.length };
    };
    // Warm-up: every store's code and connection.
    for (const make of Object.values(stores)) await measure(make(), 16);

    console.log(`notification handler, verify + decrypt + parse + id store: ${COUNT} per store per round, ${ROUNDS} rounds, interleaved; "floor" is memoryIdStore\n`);
    for (const concurrency of [1, 16]) {
      const rounds: Record<string, Stats[]> = Object.fromEntries(Object.keys(stores).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, make] of Object.entries(stores)) rounds[name]!.push(await measure(make(), concurrency));
      }
      console.log(`concurrency ${concurrency}`);
      console.log('  id store               CPU µs/notification  CPU ratio (median, min–max)  wall µs/notification  wall ratio (median, min–max)  redis-server CPU µs/notification');
      for (const name of Object.keys(stores)) {
        const mid = (of: (s: Stats) => number) => median(rounds[name]!.map(of)).toFixed(1);
        const ratios = (of: (s: Stats) => number) => spread(roundRatios(rounds, name, of));
        console.log(
          `  ${name.padEnd(22)} ${mid((s) => s.cpuUs).padStart(19)}  ${ratios((s) => s.cpuUs).padEnd(27)}  ${mid((s) => s.wallUs).padStart(20)}  ${ratios((s) => s.wallUs).padEnd(28)}  ${mid((s) => s.redisCpuUs).padStart(10)}`,
        );
      }
      console.log('');
    }
    client.close();
  } finally {
    io.disconnect();
    node.destroy();
    await redis.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
