// The whole community description of WeChat Pay (../shared/community-openapi,
// TheNorthMemory/wechatpay-openapi, MIT) as a user would take it: import it,
// generate a client (leaving out the operations the generator refuses, each
// listed with its reason), compile the client under strict tsc, start the
// local WeChat Pay on it, and call every generated operation once with a
// minimal valid request made from its schema, counting the answers the
// client verified (signature, timestamp, serial, schema).
//   npm run bench:community [-- DOCS_FOLDER]
// Everything it writes lives in one folder under .bench-tmp/, removed on exit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFromSpec } from '../generator/generate.js';
import { importDescription } from '../generator/import/import.js';
import { loadSpec } from '../generator/load.js';
import { writeOutput } from '../generator/output.js';
import { checkOpenApi3 } from '../generator/openapi-version.js';
import { synthesize } from '../runtime/local-server/synthesize.js';
import { strictTscOptions } from './strict-tsc.js';
import { operationMeta } from '../runtime/operation.js';
import type { ServedOperation } from '../runtime/local-server/operations.js';
import type { Rule } from '../runtime/validate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = path.resolve(process.argv[2] ?? path.join(ROOT, '../shared/community-openapi/docs'));
const SOURCE = path.join(DOCS, 'swagger.yaml');
if (!existsSync(SOURCE)) {
  console.error(`no community description at ${SOURCE} (give its docs folder as the argument)`);
  process.exit(2);
}
mkdirSync(path.join(ROOT, '.bench-tmp'), { recursive: true });
const tmp = mkdtempSync(path.join(ROOT, '.bench-tmp', 'community-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const times: [string, number][] = [];
async function timed<T>(label: string, f: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    times.push([label, performance.now() - start]);
  }
}
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

// 1. import
const specFile = path.join(tmp, 'wechatpay.yaml');
const imported = await timed('import', () => importDescription({ source: SOURCE }));
writeFileSync(specFile, imported.text);
const { report } = imported;
const apiV3 = report.operations.filter((o) => o.path.includes('/v3/'));
const reasons = (o: (typeof apiV3)[number]) => o.findings.filter((f) => f.kind === 'not-carried').map((f) => `${f.message} (${f.where})`);
const nonJson = apiV3.filter((o) => reasons(o).some((r) => /multipart upload|file download/.test(r)));
const json = apiV3.filter((o) => !nonJson.includes(o));
const jsonImported = json.filter((o) => o.operationId !== undefined);

// 2. generate, leaving out each operation the generator refuses.
const out = path.join(tmp, 'client');
const refused: { op: string; why: string }[] = [];
const files = await timed('generate', () => generateSkipping(specFile, refused));
writeOutput(out, files);
const generatedIds = new Set(jsonImported.map((o) => o.operationId!));
for (const r of refused) generatedIds.delete(r.op.split(' ')[0]!);

// 3. strict tsc over the client (and the runtime it imports).
writeFileSync(
  path.join(tmp, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: strictTscOptions(ROOT),
    include: ['client/*.ts', 'client/data/*.ts'],
  }),
);
const tsc = await timed('tsc --strict', () => spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tmp], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const tscErrors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;

// 4. the local WeChat Pay, and one call of every generated operation.
type Meta = { operationId: string; request: Rule & { type: 'object' } };
const calls = { made: 0, verified: 0, noRequest: 0 };
const failures = new Map<string, string[]>();
const unanswerable: string[] = [];
const generatedCount = generatedIds.size;
let serverError: string | undefined;
await timed('local server + calls', async () => {
  const client = (await import(pathToFileURL(path.join(out, 'index.ts')).href)) as { createClient(c: unknown): Record<string, (r: unknown) => Promise<unknown>> } & Record<string, unknown>;
  const local = (await import(pathToFileURL(path.join(out, 'local-server.ts')).href)) as {
    operations: readonly ServedOperation[];
    startLocalServer(ops: readonly ServedOperation[]): Promise<{ clientConfig: unknown; close(): Promise<void> }>;
  };
  // An operation whose answer the server cannot make from its schema would stop it from starting: it is served without, and counted.
  const served = local.operations.filter((o) => {
    if (o.response === null || o.example !== undefined) return true;
    try {
      synthesize(o.response);
      return true;
    } catch (e) {
      generatedIds.delete(o.meta.operationId);
      unanswerable.push(`${o.meta.operationId}: ${(e as Error).message}`);
      return false;
    }
  });
  let server: Awaited<ReturnType<typeof local.startLocalServer>>;
  try {
    server = await local.startLocalServer(served);
  } catch (e) {
    serverError = (e as Error).message;
    return;
  }
  try {
    const api = client.createClient(server.clientConfig);
    for (const id of [...generatedIds].sort()) {
      const meta = (await operationMeta(client[id] as Parameters<typeof operationMeta>[0])) as Meta;
      let request: unknown;
      try {
        request = synthesize(minimal(meta.request) as Rule);
      } catch (e) {
        calls.noRequest++;
        fail(`no request could be made: ${(e as Error).message.replace(/^[^:]*: /, '')}`, id);
        continue;
      }
      calls.made++;
      try {
        await api[id]!(request);
        calls.verified++;
      } catch (e) {
        const err = e as Error & { code?: string };
        fail(`${err.name}${err.code ? ` ${err.code}` : ''}: ${err.message.split('\n')[0]!.slice(0, 160)}`, id);
      }
    }
  } finally {
    await server.close();
  }
});

// The report.
console.log(`community description: ${SOURCE}`);
console.log(`import: ${report.counts.operations} operations read, ${report.counts.imported} imported, ${report.counts.notCarried} not carried; ${report.counts.schemas} shared schemas`);
console.log(`APIv3 operations with JSON bodies and answers: ${json.length} (of ${apiV3.length} under /v3/; ${nonJson.length} are multipart uploads or file downloads)`);
console.log(`  imported:  ${jsonImported.length} / ${json.length} (${pct(jsonImported.length, json.length)})`);
console.log(`  generated: ${generatedCount} / ${json.length} (${pct(generatedCount, json.length)}; target 95%)`);
const missing = [
  ...json.filter((o) => o.operationId === undefined).map((o) => `${o.method} ${o.path}: not imported: ${reasons(o).join('; ')}`),
  ...refused.filter((r) => json.some((o) => o.operationId === r.op.split(' ')[0])).map((r) => `${r.op}: refused by generate: ${r.why}`),
];
if (missing.length) console.log(`  the other ${missing.length}:\n${missing.map((m) => `    ${m}`).join('\n')}`);
console.log(`tsc (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false): ${tsc.status === 0 ? 'passes' : `${tscErrors} errors`}`);
if (tsc.status !== 0) console.log(tsc.stdout.split('\n').slice(0, 15).map((l) => `    ${l.replace(tmp + path.sep, '')}`).join('\n'));
if (serverError) console.log(`local server: did not start: ${serverError}`);
else {
  if (unanswerable.length) console.log(`local server: ${unanswerable.length} operations served without, since no answer could be made from their schema:\n${unanswerable.map((u) => `    ${u}`).join('\n')}`);
  console.log(`calls: ${generatedCount} operations generated, ${calls.made} called, ${calls.verified} verified answers (${pct(calls.verified, generatedCount)} of those generated), ${calls.noRequest} without a request`);
  for (const [why, ids] of [...failures].sort((a, b) => b[1].length - a[1].length)) console.log(`    ${ids.length} × ${why}  (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
}
console.log(`times: ${times.map(([l, ms]) => `${l} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);

function fail(why: string, id: string): void {
  const list = failures.get(why) ?? [];
  list.push(id);
  failures.set(why, list);
}

/** The request rule with only what is required: the smallest request the client accepts. */
function minimal(rule: Rule): Rule {
  if (rule.type === 'object') {
    const required = rule.required ?? [];
    return { ...rule, properties: Object.fromEntries(Object.entries(rule.properties).filter(([k]) => required.includes(k)).map(([k, r]) => [k, minimal(r)])) };
  }
  if (rule.type === 'array') return { ...rule, items: minimal(rule.items) };
  return rule;
}

/**
 * The generated files for the spec, with every operation the generator
 * refuses left out (generate's skipInvalid) and listed in `refused`.
 */
async function generateSkipping(file: string, refused: { op: string; why: string }[]): Promise<Map<string, string>> {
  const spec = loadSpec(file, undefined, { before: checkOpenApi3 });
  const { files, skipped } = await generateFromSpec(spec, 'wechatpay.yaml', '../../../runtime/index.js', { skipInvalid: true });
  for (const s of skipped) refused.push({ op: s.kind === 'operation' ? `${s.name} (${s.method} ${s.path})` : `${s.kind} ${s.name}`, why: s.refusals.map((r) => r.detail).join('; ') });
  return files;
}
