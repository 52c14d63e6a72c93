// One merchant server process of a deployment, for test/redis/deployment.test.ts:
// a node:http notify_url served by the runtime's handler with redisIdStore over
// its own Redis client. It reports on stdout, one JSON line each:
//   { event: 'listening', url }              ready
//   { event: 'handling', id } / 'handled'    onNotification began / returned
//   { event: 'error', message }              the handler's or the store's onError
//   { event: 'synced', id }                  answer to GET /sync?token=id: every line before it was written
// A notification whose user_card_code is 'hold' stays in onNotification until
// the parent writes `release <id>` on stdin (or kills the process).
// Run with `node --import tsx`, so the pid the test holds is this process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, createNotificationHandler, nodeListener, redisIdStore } from '../../generated/index.js';
import { connect, type ClientName } from './clients.js';

const env = (name: string) => process.env[name] ?? '';
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const pem = (file: string) => readFileSync(path.join(env('KEY_DIR'), file), 'utf8');

const client = createClient({
  mchid: env('MCHID'),
  serialNo: env('SERIAL_NO'),
  privateKey: pem('merchant.key.pem'),
  wechatpayPublicKeyId: env('PUBLIC_KEY_ID'),
  wechatpayPublicKey: pem('wechatpay.pub.pem'),
  apiV3Key: env('API_V3_KEY'),
});
const redis = await connect(env('REDIS_CLIENT') as ClientName, Number(env('REDIS_PORT')));
const report = (e: unknown) => say({ event: 'error', message: e instanceof Error ? e.message : String(e) });
const store = redisIdStore(redis.client, { leaseMs: Number(env('LEASE_MS')), onError: report });

const held = new Map<string, () => void>();
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, id] = line.split(' ');
  if (command === 'release') held.get(id!)?.();
});

const handler = createNotificationHandler(client, {
  idStore: store,
  async onNotification(n) {
    say({ event: 'handling', id: n.id });
    if (n.resource.user_card_code === 'hold') await new Promise<void>((resolve) => held.set(n.id, resolve));
    say({ event: 'handled', id: n.id });
  },
  onError: report,
});
const listener = nodeListener(handler);
const server = http.createServer((req, res) => {
  if (!req.url?.startsWith('/sync?')) return listener(req, res);
  // stdout is written in order: once the parent reads this line, it has every line before it.
  say({ event: 'synced', id: new URLSearchParams(req.url.slice('/sync?'.length)).get('token') });
  res.end();
});
server.listen(0, '127.0.0.1', () => say({ event: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify` }));

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void redis.close().then(() => process.exit(0));
});
