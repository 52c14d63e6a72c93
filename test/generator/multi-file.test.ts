// A spec spread over several files: the same output as the same spec in one
// file, and every mistake named at the file and line it was written in.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFiles } from '../../generator/generate.js';
import { loadSpec } from '../../generator/load.js';
import { SpecError } from '../../generator/spec-error.js';
import { ROOT } from '../helpers.js';

const FIXTURES = path.join(ROOT, 'test/generator/fixtures');

describe('a spec in several files', () => {
  it('generates byte-identical output to the same spec in one file', async () => {
    const one = await generateFiles({ specFile: path.join(FIXTURES, 'golden/spec.yaml'), specLabel: 'spec.yaml' });
    const split = await generateFiles({ specFile: path.join(FIXTURES, 'split/spec.yaml'), specLabel: 'spec.yaml' });
    expect([...split.keys()]).toEqual([...one.keys()]);
    for (const [name, text] of one) expect(split.get(name), name).toBe(text);
  });

  it('bundles into one document whose references are all internal, and knows where each part was written', () => {
    const spec = loadSpec(path.join(FIXTURES, 'split/spec.yaml'));
    expect(spec.files.map((f) => path.relative(FIXTURES, f))).toEqual(['split/spec.yaml', 'split/paths/members.yaml', 'split/paths/shop.yaml', 'split/schemas.yaml']);
    expect(JSON.stringify(spec.root).match(/"\$ref":"[^"]*"/g)?.every((r) => r.startsWith('"$ref":"#/'))).toBe(true);
    const at = ['paths', '/v1/shops/{shop_id}/members', 'post', 'requestBody', 'content', 'application/json', 'schema', 'properties', 'name', 'maxLength'];
    expect(spec.locate(at)).toEqual({ file: path.join(FIXTURES, 'split/paths/members.yaml'), line: 18 });
    expect(spec.locate(['components', 'schemas', 'Member', 'properties', 'groups'])).toEqual({ file: path.join(FIXTURES, 'split/schemas.yaml'), line: 15 });
    expect(spec.locate(['paths'])).toEqual({ file: path.join(FIXTURES, 'split/spec.yaml'), line: 6 });
  });
});

describe('mistakes in a spec of several files', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** Writes the files into a fresh folder; returns the SpecError that generating from `root.yaml` throws. */
  async function specError(files: Record<string, string>): Promise<{ e: SpecError; dir: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-multi-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    try {
      await generateFiles({ specFile: path.join(dir, 'root.yaml'), specLabel: 'root.yaml' });
    } catch (e) {
      if (e instanceof SpecError) return { e, dir };
      throw e;
    }
    throw new Error('expected a SpecError');
  }

  const ROOT_YAML = (ref: string) => `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths:
  /v1/things:
    $ref: "${ref}"
`;
  // A path item under the key `item`, so that the file can hold components too.
  const OP = (schema: string) => `item:
  post:
    operationId: addThing
    requestBody:
      content: { application/json: { schema: ${schema} } }
    responses:
      "204": { description: none }
`;

  it.each<{ name: string; files: Record<string, string>; file: string; line: number; message: RegExp }>([
    {
      name: 'an unsupported keyword in a referenced file names that file and line',
      files: { 'root.yaml': ROOT_YAML('ops.yaml#/item'), 'ops.yaml': OP('{ $ref: "#/components/schemas/Thing" }') + ('components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: { type: string, contentEncoding: base64 }\n') },
      file: 'ops.yaml',
      line: 13,
      message: /does not support `contentEncoding`/,
    },
    {
      name: 'a YAML syntax error in a referenced file',
      files: { 'root.yaml': ROOT_YAML('ops.yaml#/item'), 'ops.yaml': 'item:\n  post:\n    operationId: [addThing\n' },
      file: 'ops.yaml',
      line: 4,
      message: /YAML syntax error/,
    },
    {
      name: 'a reference to a file that does not exist names the reference',
      files: { 'root.yaml': ROOT_YAML('missing.yaml') },
      file: 'root.yaml',
      line: 5,
      message: /\$ref to \S*missing\.yaml: cannot read that file \(ENOENT\)/,
    },
    {
      name: 'a pointer that resolves to nothing in the other file',
      files: { 'root.yaml': ROOT_YAML('ops.yaml#/nothing'), 'ops.yaml': OP('{ type: object, properties: {} }') },
      file: 'root.yaml',
      line: 5,
      message: /\$ref ops\.yaml#\/nothing does not resolve: \S*ops\.yaml has nothing at #\/nothing/,
    },
    {
      name: 'a broken reference inside a referenced file names that file',
      files: { 'root.yaml': ROOT_YAML('sub/ops.yaml#/item'), 'sub/ops.yaml': OP('{ $ref: "../shared.yaml#/components/schemas/Thng" }'), 'shared.yaml': 'components:\n  schemas:\n    Thing: { type: object, properties: {} }\n' },
      file: path.join('sub', 'ops.yaml'),
      line: 5,
      message: /shared\.yaml has nothing at #\/components\/schemas\/Thng/,
    },
    {
      name: 'a component of another file whose name the root already uses',
      files: {
        'root.yaml': `${ROOT_YAML('ops.yaml#/item')}components:\n  schemas:\n    Thing: { type: string }\n`,
        'ops.yaml': OP('{ $ref: "#/components/schemas/Thing" }') + ('components:\n  schemas:\n    Thing: { type: object, properties: {} }\n'),
      },
      file: 'ops.yaml',
      line: 5,
      message: /\S*ops\.yaml and the root file both define components\.schemas\.Thing; rename one of them/,
    },
    {
      name: 'a reference into the middle of another file',
      files: { 'root.yaml': ROOT_YAML('ops.yaml#/item'), 'ops.yaml': OP('{ $ref: "#/somewhere/deep" }') + ('somewhere:\n  deep: { type: object, properties: {} }\n') },
      file: 'ops.yaml',
      line: 5,
      message: /neither a component .* nor placed in the root file's paths or components/,
    },
    {
      name: 'a remote reference',
      files: { 'root.yaml': ROOT_YAML('https://example.com/ops.yaml') },
      file: 'root.yaml',
      line: 5,
      message: /unsupported \$ref "https:\/\/example\.com\/ops\.yaml"/,
    },
    {
      name: 'a loop of files',
      files: { 'root.yaml': ROOT_YAML('a.yaml'), 'a.yaml': '$ref: b.yaml\n', 'b.yaml': '$ref: a.yaml\n' },
      file: 'b.yaml',
      line: 1,
      message: /\$ref a\.yaml leads back to where the chain of references started: a loop/,
    },
  ])('$name', async ({ files, file, line, message }) => {
    const { e, dir } = await specError(files);
    expect(e.detail).toMatch(message);
    expect(e.file).toBe(path.join(dir, file));
    expect(e.line).toBe(line);
    expect(e.message).toBe(`${path.join(dir, file)}:${line}: ${e.detail}`);
  });

  it('refuses each reference that cannot be followed, and still checks the rest of the spec', async () => {
    const root = `${ROOT_YAML('missing.yaml')}  /v1/others:\n    $ref: "ops.yaml#/nothing"\n  /v1/fine:\n    $ref: "ops.yaml#/item"\n`;
    const { e, dir } = await specError({ 'root.yaml': root, 'ops.yaml': OP('{ type: object, properties: { a: { type: string, format: rfc3339 } } }') });
    expect(e.refusals.map((r) => [path.relative(dir, r.file), r.line, r.detail])).toEqual([
      ['ops.yaml', 5, expect.stringMatching(/^format "rfc3339" is not supported/)],
      ['root.yaml', 5, expect.stringMatching(/cannot read that file \(ENOENT\)/)],
      ['root.yaml', 7, expect.stringMatching(/has nothing at #\/nothing/)],
    ]);
  });

  it('adds a component of another file to the root under its own name, once, however often it is referenced', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-multi-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'root.yaml'), ROOT_YAML('ops.yaml#/item'));
    writeFileSync(path.join(dir, 'ops.yaml'), OP('{ $ref: "shared.yaml#/components/schemas/Thing" }') + '  get:\n    operationId: getThing\n    responses:\n      "200": { description: ok, content: { application/json: { schema: { $ref: "shared.yaml#/components/schemas/Thing" } } } }\n');
    writeFileSync(path.join(dir, 'shared.yaml'), 'components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: { $ref: "#/components/schemas/Name" }\n    Name: { type: string, maxLength: 8 }\n');
    const spec = loadSpec(path.join(dir, 'root.yaml'));
    expect(Object.keys((spec.root['components'] as { schemas: object }).schemas)).toEqual(['Thing', 'Name']);
    expect(JSON.stringify(spec.root).match(/"\$ref":"[^"]*"/g)).toEqual(['"$ref":"#/components/schemas/Thing"', '"$ref":"#/components/schemas/Thing"', '"$ref":"#/components/schemas/Name"']);
    expect(spec.locate(['components', 'schemas', 'Name', 'maxLength'])).toEqual({ file: path.join(dir, 'shared.yaml'), line: 7 });
  });
});
