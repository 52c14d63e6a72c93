// The local WeChat Pay for bench/soak.ts, in its own process: started with the
// TEST-ONLY fixture keys, it prints its client configuration (without keys) as
// one JSON line, takes `{ inject: Fault }` messages over IPC (and answers
// `{ memory: 'after-gc' | 'now' }` with its RSS, heap and CPU time), and stops
// when the parent disconnects.
import { readFileSync } from 'node:fs';
import { startLocalWechatPay, type Fault } from '../generated/local-server.js';

const pem = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}`, import.meta.url), 'utf8');

const server = await startLocalWechatPay({
  keys: { merchantPublicKey: pem('merchant.pub.pem'), wechatpayPrivateKey: pem('wechatpay.key.pem') },
  mchid: '1900000001',
  merchantSerialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
  wechatpayPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
});
process.on('message', (m: { inject?: Fault; memory?: 'after-gc' | 'now' }) => {
  if (m.inject) server.inject(m.inject);
  // bench/hostile-soak.ts: the server's own memory (after a collection when asked and node was
  // started with --expose-gc) and the CPU time it has used, µs.
  if (m.memory) {
    if (m.memory === 'after-gc') globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    // With a callback, a send after the parent has gone is dropped instead of thrown.
    if (process.connected) process.send!({ memory: { rss, heapUsed, cpuMicros: user + system } }, () => undefined);
  }
});
process.on('disconnect', () => void server.close());
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
