// Hostile soak: correct calls through the product's client against the local
// WeChat Pay in another process, in rounds without and with every refused
// request of test/local-server/hostile-requests.ts (a 16,000-letter
// Authorization, a 200 MB body, an endless body, 2,000 encrypted values, bad
// UTF-8, repeated keys, …) sent from several connections at once by a third
// process. Prints the correct calls' latency with the hostile traffic over
// without it (rounds interleaved, the ratio taken within each pair), the
// server's RSS, each hostile case's answer time, and every answer that was
// not what its case wants. Bounded in calls and in time; asserts nothing;
// exits 1 when a correct call fails, a hostile request gets the wrong answer,
// or the server dies.
//   npm run bench:hostile
//   HOSTILE_ROUNDS=3 HOSTILE_CALLS=1500 HOSTILE_RATE=200 HOSTILE_CONNECTIONS=8 npm run bench:hostile
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { median, spread } from './stats.js';
import type { CaseStats } from './hostile-attacker.js';
import { soakClient } from './soak-client.js';

const env = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!(Number.isSafeInteger(n) && n > 0)) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
};
const ROUNDS = env('HOSTILE_ROUNDS', 3);
/** Correct calls per round, CONCURRENCY at a time. */
const CALLS = env('HOSTILE_CALLS', 1500);
const CONCURRENCY = env('HOSTILE_CONCURRENCY', 4);
/** Hostile requests per second in all, at most; fewer when the server answers slower. */
const RATE = env('HOSTILE_RATE', 200);
const CONNECTIONS = env('HOSTILE_CONNECTIONS', 8);
/** The whole run stops after this many seconds, whatever is left. */
const DEADLINE_S = env('HOSTILE_DEADLINE_S', 240);
const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const MB = 1024 * 1024;

const deadline = Date.now() + DEADLINE_S * 1000;

function child(file: string, args: string[], execArgv: string[]): ChildProcess {
  return fork(new URL(file, import.meta.url).pathname, args, { execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
}
/** The next IPC message of `p` that has `key`. */
function message<T>(p: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      p.off('message', on).off('exit', exit);
      resolve(m[key] as T);
    };
    const exit = (code: number | null) => reject(new Error(`a child process exited (${code}) while we waited for ${key}`));
    p.on('message', on).once('exit', exit);
  });
}

const server = child('./soak-server.ts', [], ['--expose-gc', '--import', 'tsx']);
let serverExit: number | null | undefined;
server.once('exit', (code) => (serverExit = code));
const { url } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve))) as { url: string };
const attacker = child('./hostile-attacker.ts', [url], ['--import', 'tsx']);
await message(attacker, 'started');

const client = soakClient(url, 10_000);

const failures: string[] = [];
let unit = 0;

/** CALLS confirm calls, CONCURRENCY at a time; each call's wall time in ms. */
async function correctCalls(): Promise<number[]> {
  const times: number[] = [];
  let left = CALLS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0 && Date.now() < deadline) {
        const code = `HS${String(unit++).padStart(10, '0')}`;
        const t0 = performance.now();
        try {
          const card = await client.confirmUserCard({ user_card_code: code, card_id: CARD_ID, brand_id: '1004', openid: `o${code}`, phone_number: '13800138000', user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
          times.push(performance.now() - t0);
          if (card.user_card_code !== code || card.user_card_state !== 'EFFECTIVE') failures.push(`${code}: answered ${JSON.stringify(card).slice(0, 200)}`);
        } catch (e) {
          failures.push(`${code}: ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`);
        }
      }
    }),
  );
  return times;
}

interface Memory {
  rss: number;
  heapUsed: number;
  cpuMicros: number;
}
const serverMemory = async (when: 'after-gc' | 'now' = 'after-gc'): Promise<Memory> => {
  const answer = message<Memory>(server, 'memory');
  server.send({ memory: when });
  return answer;
};
let peakRss = 0;
const sampler = setInterval(() => void serverMemory('now').then((m) => (peakRss = Math.max(peakRss, m.rss)), () => undefined), 500);

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0;

await correctCalls(); // warm-up: connections, JIT, the card store's first cards
const start = await serverMemory();
interface Round {
  quiet: number[];
  hostile: number[];
  hostileSeconds: number;
  stats: CaseStats[];
  /** The server's CPU time over each phase, µs (the attacker's preparation between them uses none of it), and its memory after each (after gc). */
  quietCpu: number;
  hostileCpu: number;
  afterQuiet: Memory;
  afterHostile: Memory;
  /** The attacking process's CPU time over the hostile phase, µs. */
  attackerCpu: number;
}
const rounds: Round[] = [];
for (let r = 0; r < ROUNDS && Date.now() < deadline; r++) {
  const before = rounds.at(-1)?.afterHostile ?? start;
  const quiet = await correctCalls();
  const afterQuiet = await serverMemory();
  // Built and signed ahead, while nothing is measured: enough for the round at the full rate.
  const seconds = (quiet.length / CONCURRENCY) * median(quiet) / 1000;
  const prepared = message(attacker, 'prepared');
  attacker.send({ prepare: RATE * seconds * 1.5 });
  await prepared;
  attacker.send({ go: { rate: RATE, connections: CONNECTIONS } });
  const t0 = performance.now();
  const hostile = await correctCalls();
  const hostileSeconds = (performance.now() - t0) / 1000;
  const attackerCpu = message<number>(attacker, 'cpuMicros');
  attacker.send({ stop: true });
  const stats = await message<CaseStats[]>(attacker, 'stats');
  const afterHostile = await serverMemory();
  rounds.push({ quiet, hostile, hostileSeconds, stats, attackerCpu: await attackerCpu, quietCpu: afterQuiet.cpuMicros - before.cpuMicros, hostileCpu: afterHostile.cpuMicros - afterQuiet.cpuMicros, afterQuiet, afterHostile });
}
clearInterval(sampler);
const end = await serverMemory();
client.close();
attacker.disconnect();
server.disconnect();

const ms = (x: number) => `${x.toFixed(2)} ms`;
const mb = (x: number) => `${(x / MB).toFixed(1)} MB`;
console.log(`hostile soak: ${rounds.length} rounds of ${CALLS} correct confirm calls at concurrency ${CONCURRENCY}, each without and then with every refused request of hostile-requests.ts from ${CONNECTIONS} connections (at most ${RATE}/s), against the local WeChat Pay in another process`);
const sentIn = (r: Round) => r.stats.reduce((a, s) => a + s.sent, 0);
// The server's CPU per correct call in the quiet phase; what the hostile phase used beyond its correct calls, per hostile request.
const perCall = (r: Round) => r.quietCpu / r.quiet.length;
const perHostile = (r: Round) => (r.hostileCpu - perCall(r) * r.hostile.length) / sentIn(r);
rounds.forEach((r, i) => {
  const sent = sentIn(r);
  console.log(`  round ${i + 1}: without: median ${ms(median(r.quiet))}, p99 ${ms(p99(r.quiet))}; with: median ${ms(median(r.hostile))}, p99 ${ms(p99(r.hostile))}; ${sent} hostile requests (${(sent / r.hostileSeconds).toFixed(0)}/s); server CPU ${perCall(r).toFixed(0)} µs per correct call, ${perHostile(r).toFixed(0)} µs per hostile request, the attacker's ${(r.attackerCpu / 1000 / r.hostileSeconds).toFixed(0)} ms per second; server after the quiet phase ${mb(r.afterQuiet.rss)} RSS, heap ${mb(r.afterQuiet.heapUsed)}, after the hostile one ${mb(r.afterHostile.rss)}, heap ${mb(r.afterHostile.heapUsed)}`);
});
console.log(`  correct-call latency with / without, over rounds: median ${spread(rounds.map((r) => median(r.hostile) / median(r.quiet)))}, p99 ${spread(rounds.map((r) => p99(r.hostile) / p99(r.quiet)))}`);
const grew = (from: (r: Round, i: number) => Memory, to: (r: Round) => Memory) => rounds.reduce((a, r, i) => a + to(r).heapUsed - from(r, i).heapUsed, 0);
const quietGrowth = grew((_, i) => (i === 0 ? start : rounds[i - 1]!.afterHostile), (r) => r.afterQuiet);
const hostileGrowth = grew((r) => r.afterQuiet, (r) => r.afterHostile);
console.log(`  server heap after gc grew ${mb(quietGrowth)} over the phases without hostile requests and ${mb(hostileGrowth)} over the phases with them (the card store keeps every card confirmed: ${unit} by the end)`);
console.log(`  server memory: start ${mb(start.rss)} RSS, heap ${mb(start.heapUsed)} (after gc, after the warm-up); peak RSS ${mb(peakRss)}; end ${mb(end.rss)} RSS, heap ${mb(end.heapUsed)} (after gc)`);
console.log('  hostile requests by case: sent, median and max answer time (request written to answer read):');
const byCase = new Map<string, { sent: number; medians: number[]; max: number; wrong: string[] }>();
for (const r of rounds) {
  for (const s of r.stats) {
    const c = byCase.get(s.name) ?? { sent: 0, medians: [], max: 0, wrong: [] };
    c.sent += s.sent;
    c.medians.push(s.medianMs);
    c.max = Math.max(c.max, s.maxMs);
    c.wrong.push(...s.wrong);
    byCase.set(s.name, c);
  }
}
for (const [name, c] of byCase) console.log(`    ${name}: ${c.sent}, median ${ms(median(c.medians))}, max ${ms(c.max)}${c.wrong.length ? `; WRONG ${c.wrong.length}: ${c.wrong.slice(0, 3).join(' | ')}` : ''}`);
const wrongCount = [...byCase.values()].reduce((a, c) => a + c.wrong.length, 0);
console.log(`  hostile answers not as their case wants: ${wrongCount}; correct calls failed or wrong: ${failures.length}; server ${serverExit === undefined ? 'alive to the end' : `exited (${serverExit})`}`);
for (const f of failures.slice(0, 10)) console.log(`    ${f}`);
if (Date.now() >= deadline) console.log(`  stopped at the ${DEADLINE_S} s deadline`);
process.exitCode = wrongCount > 0 || failures.length > 0 || serverExit !== undefined ? 1 : 0;
