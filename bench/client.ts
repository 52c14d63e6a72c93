// Per-call cost of one complete confirm call: our generated client, the
// hand-written floor, and wechatpay-axios-plugin, against a signing server in
// another process, in each WeChat Pay key mode (the public key; a platform
// certificate picked by serial). Interleaved (A B C A B C …) so machine noise hits all alike;
// ratios are taken within each round. Two measures per client and round:
// wall time per call, and CPU per call (this process's user+sys over the run,
// divided by calls; the server's CPU is in its own process and not counted).
// CPU is the steadier of the two on a shared machine. Prints; asserts nothing.
// `npm run bench:client` bundles this file with esbuild and runs it with plain
// node, so our client, the floor and the plugin all run as shipped JavaScript:
// under tsx every nested function pays a keepNames `__name` call per creation,
// a cost no user of the bundle pays.
//   npm run bench:client [-- --calls 2000 --rounds 9]
import { parseArgs } from 'node:util';
import { benchClients, startServer, type Call, type KeyMode } from './confirm-clients.js';
import { median, roundRatios, spread } from './stats.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '9' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = [1, 16];
const MODES: KeyMode[] = ['public-key', 'certificate'];

async function main() {
  console.log(`confirm call on loopback: ${CALLS} calls per client per round, ${ROUNDS} rounds, interleaved`);
  for (const mode of MODES) await run(mode);
}

// One key mode: its own server, the three clients, both concurrencies.
async function run(mode: KeyMode) {
  const { port, server } = await startServer(mode);
  try {
    const bench = benchClients(mode, port);
    const clients = bench.clients;
    for (const call of Object.values(clients)) for (let i = 0; i < 200; i++) await call();

    for (const concurrency of CONCURRENCY) {
      const names = Object.keys(clients);
      const rounds: Record<string, Stats[]> = Object.fromEntries(names.map((n) => [n, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, call] of Object.entries(clients)) rounds[name]!.push(await measure(call, CALLS, concurrency));
      }
      const ratios = (name: string, of: (s: Stats) => number) => roundRatios(rounds, name, of);
      console.log(`\n${mode} mode, concurrency ${concurrency}`);
      console.log('  client                   CPU µs/call  CPU ratio (median, min–max)   wall µs/call  wall ratio (median, min–max)   p50 µs   p99 µs');
      for (const name of names) {
        const cpu = ratios(name, (s) => s.cpuUs);
        const wall = ratios(name, (s) => s.perCallUs);
        const mid = (of: (s: Stats) => number) => median(rounds[name]!.map(of));
        console.log(
          `  ${name.padEnd(24)} ${mid((s) => s.cpuUs).toFixed(0).padStart(11)}  ${spread(cpu).padEnd(28)} ${mid((s) => s.perCallUs).toFixed(0).padStart(13)}  ${spread(wall).padEnd(29)} ${mid((s) => s.p50).toFixed(0).padStart(6)} ${mid((s) => s.p99).toFixed(0).padStart(8)}`,
        );
      }
    }
    bench.close();
  } finally {
    server.kill('SIGTERM');
  }
}

interface Stats {
  /** This process's user+sys CPU over the run, per call. */
  cpuUs: number;
  perCallUs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(call: Call, calls: number, concurrency: number): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        const s = performance.now();
        await call();
        latencies.push((performance.now() - s) * 1000);
      }
    }),
  );
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return { cpuUs: (cpu.user + cpu.system) / calls, perCallUs: (totalMs * 1000) / calls, perSecond: calls / (totalMs / 1000), p50: latencies[Math.floor(calls * 0.5)]!, p99: latencies[Math.floor(calls * 0.99)]! };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
