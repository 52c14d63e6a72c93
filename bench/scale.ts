// The cost of a client's size (issue #28): every ratio printed against its
// target, on the product's spec (24 operations) and on the whole community
// description of WeChat Pay imported by `import` (about 1000 operations), with
// each baseline measured in the same run, interleaved:
//   - generate: wall time and peak RSS of the compiled CLI against the floor
//     (openapi-typescript alone on the same spec, with the generator's big
//     dependencies loaded): target 2×; and a spec twice the size (every path
//     copied) against the spec itself: target about 2× (linear);
//   - type-checking the generated client (strict, noUncheckedIndexedAccess,
//     exactOptionalPropertyTypes, skipLibCheck false), time and peak RSS,
//     against type-checking openapi-typescript's types alone for the same spec:
//     target 1.5×;
//   - importing the generated client (bundled with esbuild, as a user's bundle
//     or our dist holds it) from an ES module program, CPU of the import in a
//     fresh process, against importing node:crypto: target + 5 ms; and the
//     first call of one operation (to its validation: no network), which the
//     issue allows a few ms;
//   - lines (60 characters or longer) that stand in two generated files:
//     target 0.
// Prints; asserts nothing; exits 0 whatever it measures (the figures are for
// reading). Needs `npm run build` (npm run bench does it) and, for the large
// spec, ../shared/community-openapi beside the repository (skipped without).
//   npm run bench:scale [-- --rounds 3 --import-runs 15 --small (the product's spec only)]
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { parse, stringify } from 'yaml';
import { generateFromSpec } from '../generator/generate.js';
import { loadSpec } from '../generator/load.js';
import { checkOpenApi3 } from '../generator/openapi-version.js';
import { repeatedLines } from './repeats.js';
import { median } from './stats.js';
import { strictTscOptions } from './strict-tsc.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { small: { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' }, 'import-runs': { type: 'string', default: '15' } } });
const ROUNDS = Number(values.rounds);
const IMPORT_RUNS = Number(values['import-runs']);
const CLI = path.join(ROOT, 'generator/dist/cli.js');
const FLOOR = path.join(ROOT, 'bench/generate-floor.mjs');
const MAX_RSS = path.join(ROOT, 'bench/max-rss.cjs');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const COMMUNITY = path.join(ROOT, '../shared/community-openapi/docs/swagger.yaml');
if (!existsSync(CLI)) {
  console.error(`no compiled generator at ${CLI}: run npm run build first`);
  process.exit(2);
}

mkdirSync(path.join(ROOT, '.bench-tmp'), { recursive: true });
const tmp = mkdtempSync(path.join(ROOT, '.bench-tmp', 'scale-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

interface Measure {
  wall: number;
  /** Peak resident set of the child, in MB (reported by the child itself through bench/max-rss.cjs). */
  rss: number;
}

/** Runs `node ARGS` in a fresh process; its wall time and peak RSS. */
function measured(args: string[], cwd = ROOT): Measure {
  const rssFile = path.join(tmp, 'max-rss');
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', MAX_RSS, ...args], { cwd, encoding: 'utf8', env: { ...process.env, MAX_RSS_FILE: rssFile }, maxBuffer: 256 << 20 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
  return { wall, rss: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

const CLIENT_NAME = ['--client-name', 'ScaleClient'];
const TSC_OPTIONS = strictTscOptions(ROOT);

interface Subject {
  name: string;
  spec: string;
  /** The operation whose first call is timed. */
  operation: string;
  operations?: number;
}

// The generated clients import the runtime as a user's does, from the package
// by name (the generator's default): tsc reads its built declarations, esbuild
// its built bundle. The package is this repository, linked as installed.
mkdirSync(path.join(tmp, 'node_modules'));
symlinkSync(ROOT, path.join(tmp, 'node_modules', 'wechatpay-membercard'), 'dir');

async function specs(): Promise<Subject[]> {
  const out: Subject[] = [{ name: 'product spec', spec: path.join(ROOT, 'spec/membercard.yaml'), operation: 'confirmUserCard' }];
  if (values.small) return out;
  if (!existsSync(COMMUNITY)) {
    console.log(`(no community description at ${COMMUNITY}: the large spec is skipped)\n`);
    return out;
  }
  const imported = path.join(tmp, 'community.yaml');
  const r = spawnSync(process.execPath, [CLI, 'import', COMMUNITY, '--out', imported], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  // What generate refuses is left out of the measured spec, so every size is of a spec generate accepts whole.
  const { skipped } = await generateFromSpec(loadSpec(imported, undefined, { before: checkOpenApi3 }), 'community.yaml', undefined, { skipInvalid: true });
  const refused = new Set(skipped.filter((x) => x.kind === 'operation').map((x) => x.name));
  const doc = parse(readFileSync(imported, 'utf8')) as { paths: Record<string, Record<string, { operationId?: string }>> };
  const kept = keepOperations(doc, (id) => !refused.has(id));
  writeFileSync(imported, stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
  // Twice the size: every path again under a suffix, every operationId with one.
  const twice = structuredClone(doc);
  for (const [p, item] of Object.entries(doc.paths)) {
    const copy = structuredClone(item);
    for (const op of Object.values(copy)) if (op && typeof op === 'object' && op.operationId) op.operationId = `${op.operationId}Copy`;
    twice.paths[`${p}/copy`] = copy;
  }
  const double = path.join(tmp, 'community-2x.yaml');
  writeFileSync(double, stringify(twice, { aliasDuplicateObjects: false, lineWidth: 0 }));
  out.push({ name: 'community description', spec: imported, operation: 'postPayTransactionsJsapi', operations: kept });
  out.push({ name: 'community, twice', spec: double, operation: 'postPayTransactionsJsapi', operations: kept * 2 });
  return out;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
function keepOperations(doc: { paths: Record<string, Record<string, { operationId?: string }>> }, keep: (id: string) => boolean): number {
  let kept = 0;
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      if (op.operationId && keep(op.operationId)) kept++;
      else delete item[method];
    }
    if (!Object.keys(item).some((k) => METHODS.has(k))) delete doc.paths[p];
  }
  return kept;
}

// --- generate ---------------------------------------------------------------

function outDir(s: Subject): string {
  return path.join(tmp, s.name.replace(/\W+/g, '-'));
}

function generateArgs(s: Subject): string[] {
  return [CLI, 'generate', s.spec, '--out', outDir(s), ...CLIENT_NAME];
}

// --- tsc --------------------------------------------------------------------

function tscArgs(s: Subject, what: 'client' | 'types'): string[] {
  const dir = path.join(tmp, `tsc-${what}-${s.name.replace(/\W+/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  let include: string[];
  if (what === 'client') include = [path.join(outDir(s), '*.ts')];
  else {
    // openapi-typescript's own output for the spec, as its users type-check it.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', OTS_TYPES, s.spec, path.join(dir, 'types.ts')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`openapi-typescript failed: ${r.stderr}`);
    include = [path.join(dir, 'types.ts')];
  }
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: TSC_OPTIONS, include }));
  return [TSC, '-p', dir];
}
const OTS_TYPES = `import { writeFileSync } from 'node:fs'; import { pathToFileURL } from 'node:url'; import openapiTS, { astToString } from 'openapi-typescript';
writeFileSync(process.argv[2], astToString(await openapiTS(pathToFileURL(process.argv[1]), { silent: true })));`;

// --- import -----------------------------------------------------------------

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEYS = { MERCHANT_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, WECHATPAY_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string };

/** Bundles the generated client (index.ts and what it imports, runtime included) into ESM chunks, as esbuild with splitting does for a user's app. */
function bundle(s: Subject): string {
  const dir = path.join(tmp, `bundle-${s.name.replace(/\W+/g, '-')}`);
  buildSync({ entryPoints: { client: path.join(outDir(s), 'index.ts') }, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20', outdir: dir, logLevel: 'warning' });
  // The programs below are ES module files beside the bundle, as an app's entry is.
  writeFileSync(path.join(dir, 'crypto.mjs'), timedImport(`import('node:crypto')`));
  writeFileSync(path.join(dir, 'client.mjs'), timedImport(`import('./client.js')`, s.operation));
  return dir;
}

// The child prints the import's CPU (user + system, all threads) and wall in ms,
// then, for the client, the first call of one operation with an empty request:
// it loads whatever that operation needs and fails its validation (no network).
function timedImport(load: string, operation?: string): string {
  const call = operation
    ? `const client = m.createClient({ mchid: '1900000001', serialNo: 'SCALE', privateKey: process.env.MERCHANT_KEY, wechatpayPublicKeyId: 'PUB_KEY_ID_SCALE', wechatpayPublicKey: process.env.WECHATPAY_KEY });
const c1 = process.cpuUsage(); const t1 = performance.now();
await client[${JSON.stringify(operation)}]({}).then(() => { throw new Error('an empty request passed'); }, (e) => { if (e?.name !== 'ValidationError') throw e; });
out.firstCall = performance.now() - t1; const cc = process.cpuUsage(c1); out.firstCallCpu = (cc.user + cc.system) / 1000;
const t2 = performance.now(); await client[${JSON.stringify(operation)}]({}).catch(() => {}); out.secondCall = performance.now() - t2;`
    : '';
  return `const c0 = process.cpuUsage(); const t0 = performance.now();
const m = await ${load};
const c = process.cpuUsage(c0); const out = { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
${call}
console.log(JSON.stringify(out));
`;
}

interface ImportMeasure {
  cpu: number;
  wall: number;
  firstCall?: number;
  firstCallCpu?: number;
  secondCall?: number;
}
function runImport(dir: string, file: string): ImportMeasure {
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...KEYS } });
  if (r.status !== 0) throw new Error(`node ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ImportMeasure;
}

// --- run ----------------------------------------------------------------------

const subjects = await specs();
for (const s of subjects) measured(generateArgs(s)); // warm the file cache, and the outputs the later steps read

const gen = new Map(subjects.map((s) => [s, { ours: [] as Measure[], floor: [] as Measure[] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const s of subjects) {
    gen.get(s)!.floor.push(measured([FLOOR, s.spec]));
    gen.get(s)!.ours.push(measured(generateArgs(s)));
  }
}

const typeCheck = new Map(subjects.map((s) => [s, { client: [] as Measure[], types: [] as Measure[], args: { client: tscArgs(s, 'client'), types: tscArgs(s, 'types') } }]));
const tscSubjects = subjects.filter((s) => s.name !== 'community, twice');
for (let r = 0; r < ROUNDS; r++) {
  for (const s of tscSubjects) {
    const t = typeCheck.get(s)!;
    t.types.push(measured(t.args.types));
    t.client.push(measured(t.args.client));
  }
}

const imports = new Map(tscSubjects.map((s) => [s, { dir: bundle(s), crypto: [] as ImportMeasure[], client: [] as ImportMeasure[] }]));
for (const m of imports.values()) runImport(m.dir, 'client.mjs');
for (let r = 0; r < IMPORT_RUNS; r++) {
  for (const m of imports.values()) {
    m.crypto.push(runImport(m.dir, 'crypto.mjs'));
    m.client.push(runImport(m.dir, 'client.mjs'));
  }
}

// --- print ------------------------------------------------------------------

const med = (xs: Measure[], k: keyof Measure) => median(xs.map((x) => x[k]));
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log('generate: ours vs openapi-typescript alone (bench/generate-floor.mjs); tsc: the generated client vs openapi-typescript\'s types alone; import: a fresh ES module program, CPU of the import\n');
const rows: string[][] = [];
const row = (...cells: string[]) => rows.push(cells);
console.log(`size costs, ${ROUNDS} interleaved rounds (imports: ${IMPORT_RUNS}); medians\n`);
for (const s of subjects) {
  const label = `${s.name}${s.operations ? ` (${s.operations} operations)` : ' (24 operations)'}`;
  const g = gen.get(s)!;
  const ratioT = med(g.ours, 'wall') / med(g.floor, 'wall');
  const ratioM = med(g.ours, 'rss') / med(g.floor, 'rss');
  const twice = s.name === 'community, twice';
  row(label, 'generate, wall', `${(med(g.ours, 'wall') / 1000).toFixed(2)} s vs ${(med(g.floor, 'wall') / 1000).toFixed(2)} s`, `${ratioT.toFixed(2)}×`, twice ? '' : '≤ 2×', twice ? '' : verdict(ratioT <= 2));
  row('', 'generate, peak RSS', `${med(g.ours, 'rss').toFixed(0)} MB vs ${med(g.floor, 'rss').toFixed(0)} MB`, `${ratioM.toFixed(2)}×`, twice ? '' : '≤ 2×', twice ? '' : verdict(ratioM <= 2));
  if (s.name === 'community, twice') {
    const once = gen.get(subjects.find((x) => x.name === 'community description')!)!;
    const grow = med(g.ours, 'wall') / med(once.ours, 'wall');
    const growFloor = med(g.floor, 'wall') / med(once.floor, 'wall');
    row('', 'generate, twice the spec', `${grow.toFixed(2)}× the time of once (openapi-typescript: ${growFloor.toFixed(2)}×)`, `${grow.toFixed(2)}×`, '≈ 2× (≤ 2.2×)', verdict(grow <= 2.2));
    continue;
  }
  const t = typeCheck.get(s)!;
  const tT = med(t.client, 'wall') / med(t.types, 'wall');
  const tM = med(t.client, 'rss') / med(t.types, 'rss');
  row('', 'tsc --strict, time', `${(med(t.client, 'wall') / 1000).toFixed(2)} s vs ${(med(t.types, 'wall') / 1000).toFixed(2)} s`, `${tT.toFixed(2)}×`, '≤ 1.5×', verdict(tT <= 1.5));
  row('', 'tsc --strict, peak RSS', `${med(t.client, 'rss').toFixed(0)} MB vs ${med(t.types, 'rss').toFixed(0)} MB`, `${tM.toFixed(2)}×`, '≤ 1.5×', verdict(tM <= 1.5));
  const i = imports.get(s)!;
  const over = median(i.client.map((x) => x.cpu)) - median(i.crypto.map((x) => x.cpu));
  row('', 'import, CPU over node:crypto', `${median(i.client.map((x) => x.cpu)).toFixed(1)} ms vs ${median(i.crypto.map((x) => x.cpu)).toFixed(1)} ms`, `+${over.toFixed(1)} ms`, '≤ +5 ms', verdict(over <= 5));
  const first = median(i.client.map((x) => x.firstCall!));
  row('', 'first call (to validation)', `${first.toFixed(2)} ms wall, ${median(i.client.map((x) => x.firstCallCpu!)).toFixed(2)} ms CPU; second ${median(i.client.map((x) => x.secondCall!)).toFixed(3)} ms`, `${first.toFixed(1)} ms`, '≤ 5 ms', verdict(first <= 5));
  const files = readdirSync(outDir(s))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ name: f, text: readFileSync(path.join(outDir(s), f), 'utf8') }));
  const repeats = repeatedLines(files);
  const long = files.reduce((n, f) => n + f.text.split('\n').filter((l) => l.trim().length >= 60).length, 0);
  row('', 'long lines in two files', `${repeats.length} of ${long}`, `${repeats.length}`, '0', verdict(repeats.length === 0));
  for (const r of repeats.slice(0, 3)) row('', '', `  ${r.files.join(' + ')}: ${r.line.slice(0, 60)}${r.line.length > 60 ? '…' : ''}`, '', '', '');
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log('  ' + r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
console.log('\nper-call CPU (1.05× the floor) and notifications (1.10×): bench:client and bench:notify, in npm run bench');
