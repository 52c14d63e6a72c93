// The vendor-extension registry: each extension in the right place with a
// good value is read; a misspelt or unknown x-wechatpay-* key, a known key in
// the wrong place, or a wrong value is refused at its line.
import { describe, expect, it } from 'vitest';
import { EXTENSIONS } from '../../generator/extensions.js';
import { loadSpec } from '../../generator/load.js';
import { readOperations } from '../../generator/model.js';
import { generate, markedLine, refusal, specText, type Fragment } from './fragment.js';

describe('vendor extensions: refused', () => {
  it.each<{ name: string; given: Fragment; want: RegExp }>([
    {
      name: 'a misspelt encryption marker (the phone number would travel in plaintext)',
      given: { props: 'phone_number: { type: string, x-wechatpay-encrypton: rsa-oaep-sha1 } # <-' },
      want: /^unknown vendor extension x-wechatpay-encrypton \(did you mean x-wechatpay-encryption\?\)/,
    },
    {
      name: 'a misspelt prefix',
      given: { props: 'phone_number: { type: string, x-wechatpy-encryption: rsa-oaep-sha1 } # <-' },
      want: /^unknown vendor extension x-wechatpy-encryption \(did you mean x-wechatpay-encryption\?\)/,
    },
    {
      name: 'an unknown x-wechatpay-* key',
      given: { op: 'x-wechatpay-notes: hello # <-' },
      want: /^unknown vendor extension x-wechatpay-notes; the generator knows x-wechatpay-encryption, /,
    },
    {
      name: "another tool's spelling of x-enumDescriptions",
      given: { props: 'kind: { type: string, enum: [a], x-enum-descriptions: { a: A } } # <-' },
      want: /did you mean x-enumDescriptions\?/,
    },
    {
      name: 'an unknown encryption value',
      given: { props: 'secret: { type: string, x-wechatpay-encryption: yes } # <-' },
      want: /^unknown x-wechatpay-encryption value "yes"; the known value is rsa-oaep-sha1$/,
    },
    {
      name: 'encryption on an array',
      given: { props: 'secret: { type: array, items: { type: string }, x-wechatpay-encryption: rsa-oaep-sha1 } # <-' },
      want: /marks a array schema; only strings can be encrypted/,
    },
    {
      name: 'encryption on an operation',
      given: { op: 'x-wechatpay-encryption: rsa-oaep-sha1 # <-' },
      want: /^x-wechatpay-encryption belongs on a schema, not on an operation$/,
    },
    {
      name: 'encryption on a parameter object',
      given: { params: '- { name: q, in: query, schema: { type: string }, x-wechatpay-encryption: rsa-oaep-sha1 } # <-' },
      want: /^x-wechatpay-encryption belongs on a schema, not on a parameter$/,
    },
    {
      name: 'a source other than the community description',
      given: { props: 'name: { type: string, x-wechatpay-source: blog } # <-' },
      want: /^unknown x-wechatpay-source value "blog"; the known value is community/,
    },
    {
      name: 'a community-sourced field with a length (the community states none)',
      given: { props: 'name: { type: string, maxLength: 8, x-wechatpay-source: community } # <-' },
      want: /^x-wechatpay-source: community beside maxLength/,
    },
    {
      name: 'x-wechatpay-source on a path item',
      given: { pathItem: 'x-wechatpay-source: community # <-' },
      want: /^x-wechatpay-source belongs on an operation or a parameter or a schema or a response, not on a path item$/,
    },
    {
      name: 'x-wechatpay-doc on a schema',
      given: { props: 'name: { type: string, x-wechatpay-doc: { title: t } } # <-' },
      want: /^x-wechatpay-doc belongs on an operation, not on a schema$/,
    },
    {
      name: 'x-wechatpay-doc with a date in another form',
      given: { op: 'x-wechatpay-doc: { title: t, updated: 22/06/2025 } # <-' },
      want: /updated must be a quoted date "YYYY-MM-DD"/,
    },
    {
      name: 'x-wechatpay-doc with an unknown key',
      given: { op: 'x-wechatpay-doc: { title: t, url: u } # <-' },
      want: /x-wechatpay-doc has unknown key "url"/,
    },
    {
      name: 'x-wechatpay-errors as a list',
      given: { op: 'x-wechatpay-errors: [] # <-' },
      want: /must be a mapping with `common` and `business` lists/,
    },
    {
      name: 'x-wechatpay-errors with a misspelt group',
      given: { op: 'x-wechatpay-errors: { comon: [] } # <-' },
      want: /unknown key "comon"/,
    },
    {
      name: 'an error entry cut at an unquoted comma',
      given: { op: 'x-wechatpay-errors:\n  common:\n    - { status: 400, code: PARAM_ERROR, description: 参数错误, 请检查 } # <-' },
      want: /unknown key "请检查"/,
    },
    {
      name: 'a field deviation on an error',
      given: { op: 'x-wechatpay-errors:\n  business:\n    - { status: 400, code: A, x-wechatpay-doc-deviation: { aspect: enum, page: B, reason: r } } # <-' },
      want: /on an error needs exactly `page`/,
    },
    {
      name: 'a field deviation with an unknown aspect (checked by generate, not only by the audit)',
      given: { props: 'name: { type: string, x-wechatpay-doc-deviation: { aspect: length, page: 3, reason: r } } # <-' },
      want: /aspect must be one of required, type, maxLength, enum, maximum/,
    },
    {
      name: 'a field deviation without a reason',
      given: { props: 'name: { type: string, x-wechatpay-doc-deviation: { aspect: maxLength, page: 3 } } # <-' },
      want: /needs `aspect`, `page` and `reason`/,
    },
    {
      name: 'a deviation on an operation',
      given: { op: 'x-wechatpay-doc-deviation: { aspect: type, page: x, reason: r } # <-' },
      want: /belongs on a schema or a parameter or a documented error, not on an operation/,
    },
    {
      name: 'x-wechatpay-from-example: false',
      given: { props: 'info: { type: object, properties: { a: { type: string } }, x-wechatpay-from-example: false } # <-' },
      want: /must be `true`/,
    },
    {
      name: 'x-wechatpay-from-example with required fields',
      given: { props: 'info: { type: object, required: [a], properties: { a: { type: string } }, x-wechatpay-from-example: true } # <-' },
      want: /an example cannot tell what is required/,
    },
    {
      name: 'x-enumDescriptions without an enum',
      given: { props: 'kind: { type: string, x-enumDescriptions: { a: A } } # <-' },
      want: /belongs beside an `enum`/,
    },
    {
      name: 'x-enumDescriptions of a value the enum lacks',
      given: { props: 'kind: { type: string, enum: [a], x-enumDescriptions: { a: A, b: B } } # <-' },
      want: /describes "b", which is not a value of the enum/,
    },
    {
      name: 'a misspelt marker in an unused component schema',
      given: { components: 'schemas:\n  Spare: { type: string, x-wechatpay-encrypton: rsa-oaep-sha1 } # <-' },
      want: /unknown vendor extension x-wechatpay-encrypton/,
    },
  ])('$name', async ({ given, want }) => {
    const text = specText(given);
    const e = await refusal(text);
    expect(e.detail).toMatch(want);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: ${e.detail}`);
  });
});

describe('vendor extensions: read', () => {
  it.each<{ name: string; given: Fragment; want: (ops: ReturnType<typeof readOperations>) => unknown; value: unknown }>([
    {
      name: 'encryption on a body string and on array items',
      given: {
        params: '- { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }',
        props: 'secret: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 }\ntags: { type: array, items: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 } }',
      },
      want: (ops) => ops[0]!.encrypted,
      value: ['secret', 'tags[]'],
    },
    {
      name: 'x-wechatpay-doc',
      given: { op: 'x-wechatpay-doc: { title: 页面, updated: "2025-06-22" }' },
      want: (ops) => [ops[0]!.docTitle, ops[0]!.docUpdated],
      value: ['页面', '2025-06-22'],
    },
    {
      name: 'x-wechatpay-errors with a deviation',
      given: { op: 'x-wechatpay-errors:\n  business:\n    - { status: 400, code: PARAM_ERROR, description: d, solution: s, x-wechatpay-doc-deviation: { page: PARAM ERROR, reason: r } }' },
      want: (ops) => ops[0]!.errors.business.map((e) => [e.code, e.deviation]),
      value: [['PARAM_ERROR', { page: 'PARAM ERROR', reason: 'r' }]],
    },
    {
      name: "another tool's extension outside the x-wechatpay namespace is left alone",
      given: { op: 'x-codeSamples: []' },
      want: (ops) => ops.length,
      value: 1,
    },
  ])('$name', ({ given, want, value }) => {
    expect(want(readOperations(loadSpec('fragment.yaml', specText(given))))).toEqual(value);
  });

  it('every entry names its places and documents itself', () => {
    for (const [name, entry] of Object.entries(EXTENSIONS)) {
      expect(name).toMatch(/^x-/);
      expect(entry.places.length).toBeGreaterThan(0);
      expect(entry.doc.length).toBeGreaterThan(10);
    }
  });
});

// x-wechatpay-local-server sits at the document's root, where no fragment field reaches: the root line is edited in.
describe('x-wechatpay-local-server', () => {
  const withRoot = (line: string) => specText({}).replace('openapi: 3.1.0', `openapi: 3.1.0\n${line}`);

  it.each([
    { given: withRoot('x-wechatpay-local-server: everything # <-'), want: /^unknown x-wechatpay-local-server value "everything"; the known value is card-store$/ },
    { given: specText({ op: 'x-wechatpay-local-server: card-store # <-' }), want: /^x-wechatpay-local-server belongs on the document root, not on an operation$/ },
  ])('refuses $want', async ({ given, want }) => {
    const e = await refusal(given);
    expect(e.detail).toMatch(want);
    expect(e.line).toBe(markedLine(given));
  });

  it("marks the served operations as the product's only when the root says so", async () => {
    expect((await generate(withRoot('x-wechatpay-local-server: card-store'))).get('local-server.ts')).toMatch(/servedOperations\(\[[^\]]*\], 'card-store'\)/);
    expect((await generate(specText({}))).get('local-server.ts')).not.toContain('card-store');
  });
});
