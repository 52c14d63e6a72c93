// The hostile side of bench/hostile-soak.ts, in its own process so that its
// work (building and signing the requests) is not measured as the client's:
// every refused request of test/local-server/hostile-requests.ts, round
// robin, from several connections at once, each request on a fresh socket,
// paced to a total rate. Over IPC: `{ prepare: n }` builds (and signs) n
// requests in all ahead, answered `{ prepared }`; `{ go: { rate,
// connections } }` starts; `{ stop: true }` stops and answers `{ stats,
// cpuMicros }` (the CPU time it used since `go`).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mismatch, refusedCases, request, sendBuilt, type HostileCase, type Target } from '../test/local-server/hostile-requests.js';

export interface CaseStats {
  name: string;
  sent: number;
  /** Answer times, ms: request written to answer read. */
  medianMs: number;
  maxMs: number;
  /** Answers that were not what the case wants, and requests never answered. */
  wrong: string[];
}

const pem = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}`, import.meta.url), 'utf8');
const target: Target = {
  url: process.argv[2]!,
  mchid: '1900000001',
  serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
  merchantPrivateKey: createPrivateKey(pem('merchant.key.pem')),
  wechatpayPublicKey: createPublicKey(pem('wechatpay.pub.pem')),
  wechatpayPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
};
const cases: HostileCase[] = refusedCases(target);
/** Built requests per case, taken in order; built on the spot when none is left. */
const ready = cases.map(() => [] as { head: string; body: Buffer }[]);
/** At most this many bytes of built requests per case (the 2,000-value body is 700 KB). */
const READY_BYTES = 16 * 1024 * 1024;
let sent = cases.map(() => 0);
let times = cases.map(() => [] as number[]);
let wrong = cases.map(() => [] as string[]);
let running = false;
let cpuAtGo = 0;
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
let next = 0;
let workers: Promise<void>[] = [];

async function worker(intervalMs: number): Promise<void> {
  let at = performance.now();
  while (running) {
    const i = next++ % cases.length;
    const c = cases[i]!;
    const built = ready[i]!.shift() ?? request(target, c.given);
    const t0 = performance.now();
    sent[i]!++;
    try {
      const answer = await sendBuilt(target, built, c.given.stream);
      times[i]!.push(performance.now() - t0);
      const why = mismatch(answer, c.want);
      if (why) wrong[i]!.push(why);
    } catch (e) {
      wrong[i]!.push(e instanceof Error ? e.message : String(e));
    }
    at += intervalMs;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else at = performance.now();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

process.on('message', (m: { prepare?: number; go?: { rate: number; connections: number }; stop?: boolean }) => {
  if (m.prepare !== undefined) {
    const perCase = Math.ceil(m.prepare / cases.length) + 2;
    cases.forEach((c, i) => {
      ready[i]!.length = 0;
      for (let n = 0, bytes = 0; n < perCase && bytes < READY_BYTES; n++) {
        const built = request(target, c.given);
        bytes += built.head.length + built.body.length;
        ready[i]!.push(built);
      }
    });
    process.send!({ prepared: ready.reduce((a, r) => a + r.length, 0) });
  }
  if (m.go) {
    sent = cases.map(() => 0);
    times = cases.map(() => []);
    wrong = cases.map(() => []);
    running = true;
    cpuAtGo = cpuMicros();
    const interval = (1000 * m.go.connections) / m.go.rate;
    workers = Array.from({ length: m.go.connections }, () => worker(interval));
  }
  if (m.stop) {
    running = false;
    void Promise.all(workers).then(() => {
      const stats: CaseStats[] = cases.map((c, i) => ({ name: c.name, sent: sent[i]!, medianMs: median(times[i]!), maxMs: Math.max(0, ...times[i]!), wrong: wrong[i]! }));
      process.send!({ stats, cpuMicros: cpuMicros() - cpuAtGo });
    });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ started: true });
