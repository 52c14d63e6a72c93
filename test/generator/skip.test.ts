// --skip-invalid (GenerateOptions.skipInvalid): the operations that pass are
// generated, the others listed with their reasons; a refusal in a shared
// component leaves out every operation that uses it; a refusal of the document
// itself, or nothing left to generate, still stops the run. The client of what
// is left compiles under strict tsc.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateOutput } from '../../generator/generate.js';
import { writeOutput } from '../../generator/output.js';
import { formatSkipped } from '../../generator/skip.js';
import { SpecError } from '../../generator/spec-error.js';
import { ROOT } from '../helpers.js';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const get = (id: string, schema: string) => `    get:
      operationId: ${id}
      responses:
        "200": { description: ok, content: { application/json: { schema: ${schema} } } }
`;
const SPEC = `openapi: 3.1.0
info: { title: skip test, version: "1" }
paths:
  /v1/a:
    post:
      operationId: addA
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                when: { type: string, format: rfc3339 }
                only: { $ref: "#/components/schemas/OnlyA" }
      responses:
        "204": { description: none }
  /v1/b:
${get('getB', '{ $ref: "#/components/schemas/Shared" }')}  /v1/c:
${get('getC', '{ $ref: "#/components/schemas/Shared" }')}  /v1/d/{id}:
    put:
      operationId: putD
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: page, in: query, schema: { type: integer } }
      requestBody:
        content: { application/json: { schema: { $ref: "#/components/schemas/Good" } } }
      responses:
        "204": { description: none }
  /v1/e:
${get('listE', '{ type: object, properties: { n: { type: integer } } }')}components:
  schemas:
    Shared: { type: object, properties: { n: { type: integer, maxLength: 3 } } }
    OnlyA: { type: object, properties: { x: { type: string } } }
    Good: { type: object, properties: { name: { type: string, maxLength: 8 } }, required: [name] }
    Unused: { type: string }
    BadUnused: { type: string, format: dat }
`;

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const build = (text: string, skipInvalid = true, runtimeImport?: string) => generateOutput({ specFile: 'skip.yaml', specLabel: 'skip.yaml', text, skipInvalid, runtimeImport });

async function refusal(text: string, skipInvalid = true): Promise<SpecError> {
  try {
    await build(text, skipInvalid);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('--skip-invalid', () => {
  // A refusal in a component used by operations is listed under each of them; one in a component nothing uses, under the component.
  it('generates the operations that pass and lists the others, with each reason at its line', async () => {
    const { files, skipped } = await build(SPEC);
    expect(skipped.map((s) => [s.kind, s.name, s.method, s.path, s.refusals.map((r) => r.line)])).toEqual([
      ['operation', 'addA', 'POST', '/v1/a', [lineOf(SPEC, 'format: rfc3339')]],
      ['operation', 'getB', 'GET', '/v1/b', [lineOf(SPEC, 'Shared: {')]],
      ['operation', 'getC', 'GET', '/v1/c', [lineOf(SPEC, 'Shared: {')]],
      ['component', 'components.schemas.BadUnused', undefined, undefined, [lineOf(SPEC, 'format: dat')]],
    ]);
    const operations = files.get('operations.ts')!;
    expect([...operations.matchAll(/^export (?:async )?function (\w+)/gm)].map((m) => m[1])).toEqual(['putD', 'listE']);
    const schemas = files.get('schemas.ts')!;
    // What only a left-out operation used goes with it; what nothing used and passes stays, as without the option.
    expect([...schemas.matchAll(/^export type (\w+)/gm)].map((m) => m[1]).sort()).toEqual(['Good', 'Unused']);
    expect(files.get('types.ts')).not.toMatch(/\/v1\/a|\/v1\/b|OnlyA|Shared|BadUnused/);
    expect(formatSkipped(skipped).split('\n').slice(0, 3)).toEqual([
      'left out 3 operations, 1 component (--skip-invalid):',
      '  operation addA (POST /v1/a)',
      `    skip.yaml:${lineOf(SPEC, 'format: rfc3339')}: format "rfc3339" is not supported on a string; supported: date-time, date, uri (hint: did you mean date-time?)`,
    ]);
  });

  it('without it, the same spec is refused with every refusal', async () => {
    const e = await refusal(SPEC, false);
    expect(e.refusals.map((r) => r.line)).toEqual([lineOf(SPEC, 'format: rfc3339'), lineOf(SPEC, 'Shared: {'), lineOf(SPEC, 'format: dat')]);
  });

  it.each([
    { name: 'a refusal of the document (the client has no name)', text: SPEC.replace('title: skip test', 'title: 测试'), want: /info\.title "测试" does not make a name/ },
    { name: 'nothing left to generate', text: SPEC.replace(/ {2}\/v1\/d\/\{id\}:[\s\S]*?(?=components:)/, ''), want: /format "rfc3339"/ },
    { name: 'a Swagger 2.0 key beside OpenAPI 3', text: SPEC.replace('paths:', 'basePath: /v3\npaths:'), want: /`basePath` is Swagger 2\.0/ },
  ])('still stops the run on $name, listing every refusal', async ({ text, want }) => {
    const e = await refusal(text);
    expect(e.refusals.map((r) => r.detail)).toContainEqual(expect.stringMatching(want));
    expect(e.refusals.length).toBeGreaterThan(1);
  });

  it('the client of what passes compiles under strict tsc', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-skip-'));
    temps.push(dir);
    const { files } = await build(SPEC, true, path.join(ROOT, 'runtime/index.js'));
    writeOutput(dir, files);
    writeFileSync(path.join(dir, 'use.ts'), "import { createClient, type SkipTestClient } from './index.js';\nexport const make: (c: Parameters<typeof createClient>[0]) => SkipTestClient = createClient;\ndeclare const c: SkipTestClient;\nexport const d: Promise<void> = c.putD({ id: 'a', name: 'n' });\n");
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    const r = spawnSync(process.execPath, [tsc, ...flags, '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), path.join(dir, 'use.ts')], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
