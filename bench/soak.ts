// Soak: many calls through one client against the local WeChat Pay in another
// process, with a mix of faults, at a fixed concurrency. Prints calls/s, heap
// and RSS after the warm-up and at the end, open handles, the errors by kind,
// and every call whose result does not match its request. Asserts nothing;
// exits 1 when a call's result does not match its request.
//   npm run bench:soak                       (100,000 calls, concurrency 64)
//   SOAK_CALLS=3000 SOAK_CONCURRENCY=64 npm run bench:soak
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { WechatPayError } from '../generated/index.js';
import type { Fault } from '../runtime/local-server/index.js';
import { soakClient } from './soak-client.js';

const CALLS = Number(process.env['SOAK_CALLS'] ?? 100_000);
const CONCURRENCY = Number(process.env['SOAK_CONCURRENCY'] ?? 64);
/** One call in FAULT_EVERY has a fault injected just before it. */
const FAULT_EVERY = 25;
const TIMEOUT_MS = 2000;
const FAULTS: Fault[] = [
  { type: 'bad-signature' },
  { type: 'stale-timestamp' },
  { type: 'wrong-serial' },
  { type: 'missing-signature' },
  { type: 'truncated-json' },
  { type: 'system-error' },
  { type: 'rate-limit' },
  { type: 'html-502' },
  { type: 'delay', ms: TIMEOUT_MS + 500 },
  { type: 'drop-connection' },
];
// What the faults above can turn a call into: anything else is a mismatch.
const EXPECTED_ERRORS = new Set([
  'verification:bad-signature',
  'verification:stale-timestamp',
  'verification:serial-mismatch',
  'verification:unknown-serial',
  'verification:missing-header',
  'verification:invalid-json',
  'api:SYSTEM_ERROR',
  'api:RATELIMIT_EXCEEDED',
  'api:HTTP 502',
  'timeout:ETIMEDOUT',
  'network:ECONNRESET',
]);

const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const MB = 1024 * 1024;

if (!(Number.isSafeInteger(CALLS) && CALLS > 0 && Number.isSafeInteger(CONCURRENCY) && CONCURRENCY > 0)) {
  console.error('SOAK_CALLS and SOAK_CONCURRENCY must be positive integers');
  process.exit(2);
}

const server = fork(new URL('./soak-server.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const first = await new Promise<string>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', resolve);
  server.once('exit', (code) => reject(new Error(`the soak server exited (${code})`)));
});
const { url } = JSON.parse(first) as { url: string };

const client = soakClient(url, TIMEOUT_MS);

const injected = new Map<string, number>();
const errors = new Map<string, number>();
const mismatches: string[] = [];
let next = 0;
let done = 0;

function errorKey(e: WechatPayError): string {
  const x = e as WechatPayError & { code?: string; reason?: string; status?: number };
  return `${e.kind}:${x.reason ?? x.code ?? `HTTP ${x.status}`}`;
}

/** One unit of work: confirm a fresh card, invalidate it when the confirm went through; every third unit also edits the template. */
async function unit(i: number): Promise<void> {
  const code = `SOAK${String(i).padStart(10, '0')}`;
  const openid = `o${i}`;
  const confirmed = await check(i, 'confirmUserCard', () =>
    client.confirmUserCard({ user_card_code: code, card_id: CARD_ID, brand_id: '1004', openid, phone_number: '13800138000', user_card_confirm_state: 'CREATE_CARD_SUCCESS' }),
    (r) => r?.user_card_code === code && r.card_id === CARD_ID && r.openid === openid && r.user_card_state === 'EFFECTIVE',
  );
  if (confirmed) {
    await check(i, 'invalidateUserCard', () => client.invalidateUserCard({ user_card_code: code, card_id: CARD_ID, brand_id: '1004', openid }),
      (r) => r?.user_card_code === code && r.openid === openid && r.user_card_state === 'INVALID',
    );
  }
  if (i % 3 === 0) await check(i, 'updateCardTemplate', () => client.updateCardTemplate({ card_id: CARD_ID, title: `t${i % 100}` }), (r) => r === undefined);
}

/** Runs one call; true when it resolved to what its request asked for. */
async function check<R>(i: number, op: string, call: () => Promise<R>, matches: (r: R) => boolean): Promise<boolean> {
  if (done % FAULT_EVERY === FAULT_EVERY - 1) {
    const fault = FAULTS[Math.floor(done / FAULT_EVERY) % FAULTS.length]!;
    injected.set(fault.type, (injected.get(fault.type) ?? 0) + 1);
    server.send({ inject: fault });
  }
  done++;
  try {
    const result = await call();
    if (matches(result)) return true;
    mismatches.push(`#${i} ${op}: resolved to ${JSON.stringify(result)?.slice(0, 200)}`);
  } catch (e) {
    if (!(e instanceof WechatPayError)) {
      mismatches.push(`#${i} ${op}: an untyped ${String(e)}`);
      return false;
    }
    const key = errorKey(e);
    errors.set(key, (errors.get(key) ?? 0) + 1);
    if (!EXPECTED_ERRORS.has(key)) mismatches.push(`#${i} ${op}: ${e.name} ${key}: ${e.message}`);
  }
  return false;
}

/** Runs units until `done` reaches `until` calls, `CONCURRENCY` at a time. */
async function run(until: number): Promise<void> {
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (done < until) await unit(next++);
    }),
  );
}

function memory(): { heap: number; rss: number } {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / MB, rss: m.rss / MB };
}

function handles(): string {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

const warmup = Math.min(2000, Math.ceil(CALLS / 10));
await run(warmup);
const startCalls = done;
const start = memory();
const startHandles = handles();
const t0 = process.hrtime.bigint();
await run(CALLS);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const end = memory();
const endHandles = handles();
client.close();
server.disconnect();

const fmt = (m: { heap: number; rss: number }) => `heap ${m.heap.toFixed(1)} MB, RSS ${m.rss.toFixed(1)} MB`;
console.log(`soak: ${done} calls (${startCalls} of them warm-up) at concurrency ${CONCURRENCY} against the local WeChat Pay in another process`);
console.log(`  ${((done - startCalls) / seconds).toFixed(0)} calls/s after the warm-up (${seconds.toFixed(1)} s)`);
console.log(`  start: ${fmt(start)}${globalThis.gc ? ' (after gc)' : ''}; open handles: ${startHandles}`);
console.log(`  end:   ${fmt(end)}; open handles: ${endHandles}`);
console.log(`  growth: heap ${(end.heap - start.heap).toFixed(1)} MB, RSS ${(end.rss - start.rss).toFixed(1)} MB`);
console.log(`  faults injected: ${[...injected].map(([k, n]) => `${k} ${n}`).join(', ')} (${[...injected.values()].reduce((a, b) => a + b, 0)})`);
console.log(`  errors: ${[...errors].sort().map(([k, n]) => `${k} ${n}`).join(', ')} (${[...errors.values()].reduce((a, b) => a + b, 0)})`);
console.log(`  calls whose result does not match their request: ${mismatches.length}`);
for (const m of mismatches.slice(0, 20)) console.log(`    ${m}`);
process.exitCode = mismatches.length > 0 ? 1 : 0;
