// Import cost of the built package: `node -e "import('wechatpay-membercard')"`
// against a bare `node -e 0`, interleaved, median of 10. Needs `npm run build`
// (npm run bench does it). The package imports itself by name through its exports.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 10;

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return performance.now() - t0;
}

const bare: number[] = [];
const ours: number[] = [];
const crypto: number[] = [];
wall(['-e', "import('wechatpay-membercard')"]);
for (let i = 0; i < RUNS; i++) {
  bare.push(wall(['-e', '0']));
  ours.push(wall(['-e', "import('wechatpay-membercard')"]));
  crypto.push(wall(['-e', "import('node:crypto')"]));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = { bare: median(bare), ours: median(ours), crypto: median(crypto) };
console.log(`process start, median of ${RUNS} interleaved runs`);
console.log(`  node -e 0                               ${m.bare.toFixed(1)} ms`);
console.log(`  node -e "import('node:crypto')"         ${m.crypto.toFixed(1)} ms  (+${(m.crypto - m.bare).toFixed(1)} ms)`);
console.log(`  node -e "import('wechatpay-membercard')" ${m.ours.toFixed(1)} ms  (+${(m.ours - m.bare).toFixed(1)} ms; target +15 ms)`);
