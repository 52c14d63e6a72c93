// Import cost of the built package, as a user pays it: the time the import
// itself takes in a fresh node process (CPU of all its threads, and wall),
// measured inside that process around `await import(…)` or `require(…)`, so
// that process start and exit, which every program pays, stay out of it.
// Needs `npm run build` (npm run bench does it). The package is copied into a
// node_modules folder (its package.json and dist/, what npm installs) and
// imported by name, as an installed copy is.
//
// The references, each measured the same way in the same interleaved runs:
// - node:crypto alone, the built-in the package stands on (the target is
//   node:crypto + 5 ms);
// - an empty package of each module kind that only imports node:crypto: what
//   node charges any package for being one (finding it, reading its
//   package.json, loading a file). For an ES module that includes setting up
//   node's loader for files (fs/promises, streams, …) the first time: a
//   program whose own entry is an ES module has paid part of that before it
//   imports anything, `node -e` and CommonJS programs pay it all at the first
//   import(). What the package costs over the empty one is its own code.
// Prints; asserts nothing.
//   npm run bench:import [-- --runs 31]
//
// With --instructions (needs valgrind and setarch): each program file once
// under callgrind, with V8's hash and random seeds fixed and address-space
// randomisation off, so the count repeats to about 0.01%: whole processes,
// so only the differences mean anything. For judging a change to the import
// by less than the run-to-run noise of the CPU times (about a millisecond).
//   npx tsx bench/import.ts --instructions
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '31' }, instructions: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);

// In the folder the benches already use and git ignores; its own package.json
// makes it a project of its own, so the name resolves to the installed copy, not
// to this repository by self-reference.
const DIR = path.join(ROOT, '.bench-tmp', 'import');
const PACKAGE = 'wechatpay-membercard';
const EMPTY_ESM = 'empty-esm-package';
const EMPTY_CJS = 'empty-commonjs-package';
const cleanUp = () => rmSync(DIR, { recursive: true, force: true });
process.on('exit', cleanUp);

// The child prints what the import cost it: CPU (user + system, every thread) and wall, in ms.
const TIMED = (load: string) =>
  `const c0 = process.cpuUsage(); const t0 = performance.now();\n` +
  `${load}.then(() => { const wall = performance.now() - t0; const c = process.cpuUsage(c0); console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall })); });\n`;

interface Case {
  group: string;
  label: string;
  /** What it is measured against: node:crypto, the empty package of its kind, or nothing (a reference itself). */
  crypto?: string;
  empty?: string;
  args: string[];
}

function emptyPackage(name: string, type: 'module' | 'commonjs', source: string): void {
  mkdirSync(path.join(DIR, 'node_modules', name), { recursive: true });
  writeFileSync(path.join(DIR, 'node_modules', name, 'package.json'), JSON.stringify({ name, type, exports: './index.js' }));
  writeFileSync(path.join(DIR, 'node_modules', name, 'index.js'), source);
}

function setUp(): Case[] {
  cleanUp();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ name: 'import-bench', private: true }));
  const installed = path.join(DIR, 'node_modules', PACKAGE);
  mkdirSync(installed, { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'));
  cpSync(path.join(ROOT, 'dist'), path.join(installed, 'dist'), { recursive: true });
  emptyPackage(EMPTY_ESM, 'module', "import 'node:crypto';\nexport const empty = true;\n");
  emptyPackage(EMPTY_CJS, 'commonjs', "require('node:crypto');\nexports.empty = true;\n");

  const cases: Case[] = [];
  const add = (group: string, kind: 'import' | 'require', target: string, label: string, file?: string) => {
    const load = kind === 'import' ? `import(${JSON.stringify(target)})` : `Promise.resolve(require(${JSON.stringify(target)}))`;
    const ours = target === PACKAGE;
    // From `node -e` the code is the argument; otherwise a program file of its own.
    if (file) writeFileSync(path.join(DIR, file), TIMED(load));
    const c: Case = { group, label, args: file ? [file] : ['-e', TIMED(load)] };
    if (ours) Object.assign(c, { crypto: `${kind}('node:crypto')`, empty: kind === 'import' ? 'an empty ES module package' : 'an empty CommonJS package' });
    cases.push(c);
  };
  for (const [group, ext] of [['node -e', ''], ['an ES module program (node app.mjs)', '.mjs']] as const) {
    add(group, 'import', 'node:crypto', "import('node:crypto')", ext && `crypto${ext}`);
    add(group, 'import', EMPTY_ESM, 'an empty ES module package', ext && `empty${ext}`);
    add(group, 'import', PACKAGE, `import('${PACKAGE}')`, ext && `package${ext}`);
  }
  add('a CommonJS program (node app.cjs)', 'require', 'node:crypto', "require('node:crypto')", 'crypto.cjs');
  add('a CommonJS program (node app.cjs)', 'require', EMPTY_CJS, 'an empty CommonJS package', 'empty.cjs');
  add('a CommonJS program (node app.cjs)', 'require', PACKAGE, `require('${PACKAGE}')`, 'package.cjs');
  return cases;
}

function run(c: Case): { cpu: number; wall: number } {
  const r = spawnSync(process.execPath, c.args, { cwd: DIR, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${c.args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { cpu: number; wall: number };
}

// Instructions a whole process runs (callgrind's "Collected"), deterministic as said above.
function instructions(c: Case): number {
  const r = spawnSync('setarch', ['-R', 'valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--hash-seed=1', '--random-seed=1', ...c.args], { cwd: DIR, encoding: 'utf8' });
  const collected = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !collected) throw new Error(`callgrind of node ${c.args.join(' ')} failed (are valgrind and setarch installed?): ${r.error?.message ?? r.stderr}`);
  return Number(collected[1]);
}

function reportInstructions(cases: Case[]): void {
  const programs = cases.filter((c) => c.args[0] !== '-e');
  const counts = new Map(programs.map((c) => [c, instructions(c)]));
  const of = (group: string, label: string) => counts.get(programs.find((c) => c.group === group && c.label === label)!)!;
  console.log('import cost in instructions: each program once under callgrind (whole process; the differences are the imports)\n');
  let group = '';
  for (const c of programs) {
    if (c.group !== group) console.log(`  from ${(group = c.group)}`);
    const n = counts.get(c)!;
    const note = c.crypto ? `  (+${((n - of(c.group, c.crypto)) / 1e6).toFixed(2)} M over node:crypto, +${((n - of(c.group, c.empty!)) / 1e6).toFixed(2)} M over ${c.empty})` : '';
    console.log(`    ${c.label.padEnd(50)} ${(n / 1e6).toFixed(2).padStart(8)} M${note}`);
  }
}

if (values.instructions) {
  reportInstructions(setUp());
  process.exit(0);
}

const cases = setUp();
const results = new Map<Case, { cpu: number[]; wall: number[] }>(cases.map((c) => [c, { cpu: [], wall: [] }]));
for (const c of cases) run(c); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) {
    const { cpu, wall } = run(c);
    results.get(c)!.cpu.push(cpu);
    results.get(c)!.wall.push(wall);
  }
}

const cpuOf = (group: string, label: string) => median(results.get(cases.find((c) => c.group === group && c.label === label)!)!.cpu);
console.log(`import cost: the import itself inside a fresh node process, CPU of all threads and wall, median of ${RUNS} interleaved runs\n`);
let group = '';
for (const c of cases) {
  if (c.group !== group) console.log(`  from ${(group = c.group)}${' '.repeat(Math.max(0, 48 - c.group.length))}  CPU ms   wall ms`);
  const r = results.get(c)!;
  const cpu = median(r.cpu);
  const note = c.crypto ? `  (CPU +${(cpu - cpuOf(c.group, c.crypto)).toFixed(1)} ms over node:crypto, +${(cpu - cpuOf(c.group, c.empty!)).toFixed(1)} over ${c.empty})` : '';
  console.log(`    ${c.label.padEnd(50)} ${cpu.toFixed(1).padStart(6)}  ${median(r.wall).toFixed(1).padStart(8)}${note}`);
}
console.log('\ntarget: the package ≤ node:crypto + 5 ms; over the empty package is the package\'s own code');
