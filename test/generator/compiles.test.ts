// Everything the generator accepts compiles under the strictest settings a
// user may have (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes,
// skipLibCheck false, declaration emit): first a table of the specs that once
// failed, then a property over specs drawn by fast-check (spec-arbitrary.ts)
// from a fixed seed, printed with any failure so it reproduces
// (COMPILES_SEED=… COMPILES_RUNS=… npx vitest run test/generator/compiles.test.ts).
// Every accepted client goes into a folder of its own and all of them into ONE
// TypeScript program: the runtime and the libraries are read and checked once,
// so a hundred clients take about as long as a handful. Only the generated
// files' diagnostics are read: the runtime is checked by `npm test`'s own tsc
// run with the project's settings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../generator/generate.js';
import { writeOutput } from '../../generator/output.js';
import { SpecError } from '../../generator/spec-error.js';
import { ROOT } from '../helpers.js';
import { specText } from './fragment.js';
import { specArbitrary } from './spec-arbitrary.js';

const SEED = Number(process.env['COMPILES_SEED'] ?? 20261207);
const RUNS = Number(process.env['COMPILES_RUNS'] ?? 150);

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  skipLibCheck: false,
  declaration: true,
  noEmit: true,
  isolatedModules: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  typeRoots: [path.join(ROOT, 'node_modules/@types')],
};

const WEBHOOK = (envelope: string, resource: string) => `
webhooks:
  thingEvent:
    post:
      x-wechatpay-resource: { $ref: "#/components/schemas/${resource}" }
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/${envelope}" } } } }
      responses: { "200": { description: ok } }
components:
  schemas:
    ${envelope}:
      type: object
      required: [id, event_type, resource]
      properties:
        id: { type: string }
        event_type: { type: string, enum: [THING.DONE] }
        resource: { type: object, properties: { ciphertext: { type: string } } }
    ${resource}: { type: object, properties: { x: { type: string } } }
`;

/** Specs that once generated code strict tsc refused (issue 24). */
const KNOWN: { name: string; spec: string }[] = [
  { name: 'every parameter an optional query parameter (TS2312)', spec: specText({ method: 'get', path: '/v1/things', noBody: true, params: '- { name: limit, in: query, schema: { type: integer } }' }).replace(/ {8}- \{ name: id, in: path.*\n/, '') },
  { name: 'every parameter an optional header parameter (TS2312)', spec: specText({ method: 'delete', path: '/v1/things', noBody: true, params: '- { name: Idempotency-Key, in: header, schema: { type: string } }' }).replace(/ {8}- \{ name: id, in: path.*\n/, '') },
  {
    name: 'schemas named Record, Promise and NonNullable, answered by operations (TS2315)',
    spec: specText({
      method: 'get',
      path: '/v1/things',
      noBody: true,
      params: '- { name: limit, in: query, schema: { type: integer } }',
      responses: '"200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Record" } } } }',
      components: 'schemas:\n  Record: { type: object, properties: { a: { $ref: "#/components/schemas/Promise" } } }\n  Promise: { type: string }\n  NonNullable: { type: string }',
    })
      .replace(/ {8}- \{ name: id, in: path.*\n/, '')
      .replace('paths:\n', 'paths:\n  /v1/promise:\n    get:\n      operationId: getPromise\n      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Promise" } } } } }\n'),
  },
  {
    name: 'a schema whose name holds $, in a request and a response (its rule $xRule is imported by local-server.ts)',
    spec: specText({ props: 'a: { $ref: "#/components/schemas/$x" }', responses: '"200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/$x" } } } }', components: 'schemas:\n  $x: { type: object, properties: { b: { type: string } } }' }),
  },
  { name: 'webhook schemas whose names are not identifiers', spec: specText({}) + WEBHOOK('thing-event.v2', 'delete').replace('components:\n  schemas:\n', 'components:\n  schemas:\n') },
];

const dir = mkdtempSync(path.join(tmpdir(), 'wxp-compiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The folder of each accepted spec's client, and the spec. */
const folders = new Map<string, string>();
const refused: string[] = [];
/** Drawn specs on which the generator threw something other than a SpecError. */
const broke: string[] = [];
/** Diagnostics of the generated files, by folder. */
const problems = new Map<string, string[]>();

async function add(label: string, text: string): Promise<'generated' | SpecError> {
  let files: Map<string, string>;
  try {
    files = await generateFiles({ specFile: `${label}.yaml`, specLabel: `${label}.yaml`, text, runtimeImport: `${ROOT}/runtime/index.js` });
  } catch (e) {
    if (!(e instanceof SpecError)) throw new Error(`${label} broke the generator instead of being refused:\n${text}`, { cause: e });
    return e;
  }
  const folder = path.join(dir, label);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'spec.yaml'), text);
  writeOutput(folder, files);
  folders.set(folder, text);
  return 'generated';
}

beforeAll(async () => {
  for (const [i, c] of KNOWN.entries()) {
    const result = await add(`known-${i}`, c.spec).catch((e: Error) => e);
    if (result !== 'generated') problems.set(path.join(dir, `known-${i}`), [`not generated: ${result.message}`]);
  }
  const specs = fc.sample(specArbitrary, { seed: SEED, numRuns: RUNS });
  for (const [i, spec] of specs.entries()) {
    const result = await add(`drawn-${i}`, JSON.stringify(spec, null, 1)).catch((e: Error) => e);
    if (result instanceof SpecError) refused.push(result.detail);
    else if (result !== 'generated') broke.push(`${result.message}\n${String((result.cause as Error | undefined)?.stack).slice(0, 600)}`);
  }
  const roots = [...folders.keys()].flatMap((f) => ['index.ts', 'local-server.ts'].map((n) => path.join(f, n)));
  const program = ts.createProgram(roots, OPTIONS);
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length) throw new Error(global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  for (const sf of program.getSourceFiles().filter((f) => f.fileName.startsWith(dir))) {
    const found = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf), ...program.getDeclarationDiagnostics(sf)];
    // The client's folder, also for its data/ modules (reached through the operations' import()).
    const folder = path.join(dir, path.relative(dir, sf.fileName).split(path.sep)[0]!);
    for (const d of found) {
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      problems.set(folder, [...(problems.get(folder) ?? []), `${path.relative(folder, sf.fileName)}:${line} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`]);
    }
  }
  console.log(`compiles: seed ${SEED}: ${folders.size - KNOWN.length} of ${RUNS} drawn specs accepted and compiled in one program with ${KNOWN.length} known cases; ${refused.length} refused`);
}, 300_000);

describe('specs that once gave code strict tsc refused now compile', () => {
  it.each(KNOWN.map((c, i) => ({ ...c, i })))('$name', ({ i }) => {
    expect(problems.get(path.join(dir, `known-${i}`)) ?? []).toEqual([]);
  });
});

describe(`every accepted spec of ${RUNS} drawn (seed ${SEED}) compiles`, () => {
  it('under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false, declaration', () => {
    // The property must speak of many specs, not of the few a too-strict generator lets through.
    expect(broke.slice(0, 1)).toEqual([]);
    expect(folders.size - KNOWN.length).toBeGreaterThan(RUNS / 5);
    const failures = [...problems].filter(([folder]) => path.basename(folder).startsWith('drawn-')).slice(0, 3);
    expect(failures.map(([folder, list]) => `${list.slice(0, 5).join('\n')}\nfrom ${path.basename(folder)} of seed ${SEED}:\n${folders.get(folder)}`)).toEqual([]);
  });
});
