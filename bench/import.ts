// Import cost of the built package, as a user pays it: the time the import
// itself takes in a fresh node process (CPU of all its threads, and wall),
// measured inside that process around `await import(…)` or `require(…)`, so
// that process start and exit, which every program pays, stay out of it.
// Needs `npm run build` (npm run bench does it). The package imports itself by
// name through its exports, as an installed copy would be imported.
//
// Three references, each measured the same way in the same interleaved runs:
// - node:crypto alone, the built-in the package stands on;
// - an empty ES module package that only imports node:crypto: the first ES
//   module file a process loads makes node set up its loader for files
//   (fs/promises, streams, readline, …). A program whose own entry is an ES
//   module has paid that before it imports anything; from `node -e` or a
//   CommonJS program, the first import() pays it, whichever package it loads;
// - require(), for the CommonJS build.
// Prints; asserts nothing.
//   npm run bench:import [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);

// Inside the package (so that it can import itself by name), in the folder the benches already use and git ignores.
const DIR = path.join(ROOT, '.bench-tmp', 'import');
const EMPTY = 'empty-esm-package';
const cleanUp = () => rmSync(DIR, { recursive: true, force: true });
process.on('exit', cleanUp);

// The child prints what the import cost it: CPU (user + system, every thread) and wall, in ms.
const TIMED = (load: string) =>
  `const c0 = process.cpuUsage(); const t0 = performance.now();\n` +
  `${load}.then(() => { const wall = performance.now() - t0; const c = process.cpuUsage(c0); console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall })); });\n`;

interface Case {
  group: string;
  label: string;
  args: string[];
}

function setUp(): Case[] {
  cleanUp();
  mkdirSync(path.join(DIR, 'node_modules', EMPTY), { recursive: true });
  writeFileSync(path.join(DIR, 'node_modules', EMPTY, 'package.json'), JSON.stringify({ name: EMPTY, type: 'module', exports: './index.js' }));
  writeFileSync(path.join(DIR, 'node_modules', EMPTY, 'index.js'), "import 'node:crypto';\nexport const empty = true;\n");
  const imports = [["import('node:crypto')", 'node:crypto'], ['import() of an empty ES module package', EMPTY], ["import('wechatpay-membercard')", 'wechatpay-membercard']] as const;
  const cases: Case[] = [];
  for (const [label, target] of imports) cases.push({ group: 'node -e', label, args: ['-e', TIMED(`import(${JSON.stringify(target)})`)] });
  for (const [label, target] of imports) {
    const file = `${target.replace(/\W/g, '-')}.mjs`;
    writeFileSync(path.join(DIR, file), TIMED(`import(${JSON.stringify(target)})`));
    cases.push({ group: 'an ES module program (node app.mjs)', label, args: [file] });
  }
  for (const [label, target] of [["require('node:crypto')", 'node:crypto'], ["require('wechatpay-membercard')", 'wechatpay-membercard']] as const) {
    const file = `${target.replace(/\W/g, '-')}.cjs`;
    writeFileSync(path.join(DIR, file), TIMED(`Promise.resolve(require(${JSON.stringify(target)}))`));
    cases.push({ group: 'a CommonJS program (node app.cjs)', label, args: [file] });
  }
  return cases;
}

function run(c: Case): { cpu: number; wall: number } {
  const r = spawnSync(process.execPath, c.args, { cwd: DIR, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${c.args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { cpu: number; wall: number };
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
  const crypto = cpuOf(c.group, c.label.startsWith('require') ? "require('node:crypto')" : "import('node:crypto')");
  const ours = c.label.includes("'wechatpay-membercard'");
  const note = ours ? `  (CPU +${(median(r.cpu) - crypto).toFixed(1)} ms over node:crypto${c.label.startsWith('import') ? `, +${(median(r.cpu) - cpuOf(c.group, 'import() of an empty ES module package')).toFixed(1)} over the empty package` : ''})` : '';
  console.log(`    ${c.label.padEnd(50)} ${median(r.cpu).toFixed(1).padStart(6)}  ${median(r.wall).toFixed(1).padStart(8)}${note}`);
}
console.log('\ntarget: the package ≤ node:crypto + 5 ms');
