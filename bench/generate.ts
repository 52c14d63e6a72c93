// Wall time of `generate` and `check` (compiled CLI, fresh processes) against
// the floor of loading openapi-typescript, ts-morph and prettier and running
// openapi-typescript once; also a synthetic spec of about 300 operations made
// from the product spec (its files bundled into one), to show how the cost
// grows. Interleaved, median of RUNS.
//   npm run bench:generate   (builds first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadSpec } from '../generator/load.js';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;
const SPEC = path.join(ROOT, 'spec/membercard.yaml');
const CLI = path.join(ROOT, 'generator/dist/cli.js');
const FLOOR = path.join(ROOT, 'bench/generate-floor.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-gen-'));
// The specs and outputs live here only for this run.
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// Copies of each operation, each on its own path and operationId, to about 300.
// The product spec spans files: the copies are made from its bundled document.
const big = loadSpec(SPEC).root as { paths: Record<string, Record<string, { operationId: string }>> };
const OPS = Object.values(big.paths).reduce((n, item) => n + Object.keys(item).length, 0);
const COPIES = Math.round(300 / OPS);
const paths: typeof big.paths = {};
for (let i = 0; i < COPIES; i++) {
  for (const [p, item] of Object.entries(big.paths)) {
    const copy = structuredClone(item);
    for (const op of Object.values(copy)) op.operationId = `${op.operationId}${i}`;
    paths[`${p}/copy${i}`] = copy;
  }
}
big.paths = paths;
const BIG = path.join(tmp, 'big.yaml');
writeFileSync(BIG, stringify(big, { aliasDuplicateObjects: false }));

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

// The product spec's title is not plain ASCII, so its client's type is named on the command line.
const NAME = ['--client-name', 'MembercardClient'];
const cases: Record<string, string[]> = {
  'floor (load deps + openapi-typescript once)': [FLOOR, SPEC],
  [`generate (${OPS} operations)`]: [CLI, 'generate', SPEC, '--out', path.join(tmp, 'small'), ...NAME],
  [`check (${OPS} operations)`]: [CLI, 'check', SPEC, '--out', path.join(tmp, 'small'), ...NAME],
  [`floor, ${OPS * COPIES}-operation spec`]: [FLOOR, BIG],
  [`generate (${OPS * COPIES} operations)`]: [CLI, 'generate', BIG, '--out', path.join(tmp, 'big'), ...NAME],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) wall(args);
for (let r = 0; r < RUNS; r++) for (const [name, args] of Object.entries(cases)) times[name]!.push(wall(args));

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const floor = m['floor (load deps + openapi-typescript once)']!;
console.log(`generator wall time, median of ${RUNS} interleaved runs (fresh processes)`);
for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / floor).toFixed(2)}× floor`);
console.log(`  ${OPS * COPIES}-operation generate / ${OPS}-operation generate: ${(m[`generate (${OPS * COPIES} operations)`]! / m[`generate (${OPS} operations)`]!).toFixed(2)}×`);
