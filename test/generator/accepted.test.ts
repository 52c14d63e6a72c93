// What real WeChat specs write and the generator now accepts, each as a
// given/want table: the TypeScript type openapi-typescript writes and the
// validation rule the client and the local server run (the same rule object:
// data files). allOf of objects is merged; integer formats as the
// community description writes them; OpenAPI 3.0 `nullable`. Beside each, what
// stays refused and the sentence it gets, at its line.
import { describe, expect, it } from 'vitest';
import { dataText, generate, markedLine, refusal, specText, type Fragment } from './fragment.js';

const squash = (s: string) => s.replace(/\s+/g, ' ');
const SHARED = `schemas:
  Base:
    type: object
    required: [appid]
    properties:
      appid: { type: string, maxLength: 32, description: 应用ID }
      amount: { type: object, required: [total], properties: { total: { type: integer } } }
  Payer:
    type: object
    properties: { openid: { type: string } }
  Label: { type: string, enum: [A, B] }`;

describe('allOf of object schemas is merged: types and rules agree', () => {
  it.each<{ name: string; given: Fragment; types: string[]; rule: string }>([
    {
      name: 'a $ref and an inline object: properties and required united',
      given: { props: 'payer:\n  allOf:\n    - $ref: "#/components/schemas/Payer"\n    - { type: object, required: [openid], properties: { scene: { type: string } } }', components: SHARED },
      types: ['payer?: { openid: string; scene?: string; };'],
      rule: '"payer":{"type":"object","properties":{"openid":{"type":"string"},"scene":{"type":"string"}},"required":["openid"]',
    },
    {
      name: 'a member with only required (no type) makes a referenced field required',
      given: { props: 'payer:\n  allOf:\n    - $ref: "#/components/schemas/Payer"\n    - required: [openid]', components: SHARED },
      types: ['payer?: { openid: string; };'],
      rule: '"payer":{"type":"object","properties":{"openid":{"type":"string"}},"required":["openid"]}',
    },
    {
      name: 'the object keywords beside allOf are one more member',
      given: { props: 'order:\n  type: object\n  required: [appid, note]\n  properties: { note: { type: string } }\n  allOf: [{ $ref: "#/components/schemas/Base" }]', components: SHARED },
      types: ['order?: { note: string; /** * @description 应用ID * Limits: maxLength 32. */ appid: string; amount?: { total: number; }; };'],
      rule: '"order":{"type":"object","properties":{"note":{"type":"string"},"appid":{"type":"string","maxLength":32},"amount":{"type":"object","properties":{"total":{"type":"integer"}},"required":["total"]}},"required":["appid","note"]}',
    },
    {
      name: 'the same property in two members, differing only in description',
      given: { props: 'x:\n  allOf:\n    - { type: object, properties: { a: { type: string, description: one } } }\n    - { type: object, properties: { a: { type: string, description: two } } }' },
      types: ['x?: { /** @description one */ a?: string; };'],
      rule: '"x":{"type":"object","properties":{"a":{"type":"string"}}}',
    },
    {
      name: 'OpenAPI 3.0 idiom: nullable beside allOf of one $ref',
      given: { props: 'payer: { nullable: true, allOf: [{ $ref: "#/components/schemas/Payer" }] }', components: SHARED },
      types: ['payer?: { openid?: string; } | null;'],
      rule: '"payer":{"type":"object","properties":{"openid":{"type":"string"}},"nullable":true}',
    },
  ])('$name', async ({ given, types, rule }) => {
    const files = await generate(specText(given));
    for (const t of types) expect(squash(files.get('types.ts')!)).toContain(t);
    expect(dataText(files)).toContain(rule);
  });

  it('a component schema that is an allOf (referenced as the body) becomes one named rule and type', async () => {
    const given = specText({
      components: `${SHARED}\n  Order:\n    allOf:\n      - $ref: "#/components/schemas/Base"\n      - { type: object, required: [payer], properties: { payer: { $ref: "#/components/schemas/Payer" } } }`,
      responses: '"200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Order" } } } }',
    });
    const files = await generate(given);
    expect(squash(files.get('types.ts')!)).toContain('Order: { /** * @description 应用ID * Limits: maxLength 32. */ appid: string; amount?: { total: number; }; payer: components["schemas"]["Payer"]; };');
    expect(dataText(files)).toContain('"Order":{"type":"object","properties":{"appid":{"type":"string","maxLength":32},"amount":{"type":"object","properties":{"total":{"type":"integer"}},"required":["total"]},"payer":{"$ref":"Payer"}},"required":["appid","payer"]}');
  });
});

describe('integer formats as WeChat descriptions write them', () => {
  it.each<{ name: string; prop: string; type: string; rule: string }>([
    { name: 'number with format integer is an integer', prop: 'a: { type: number, format: integer }', type: 'a?: number;', rule: '"a":{"type":"integer"}' },
    { name: 'number with format int32 is a 32-bit integer', prop: 'a: { type: number, format: int32 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":-2147483648,"maximum":2147483647}' },
    { name: 'uint32 is unsigned and 32-bit', prop: 'a: { type: integer, format: uint32 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":0,"maximum":4294967295}' },
    { name: 'uint64 on a number is an unsigned safe integer', prop: 'a: { type: number, format: uint64 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":0}' },
    { name: 'uint is unsigned', prop: 'a: { type: number, format: uint }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":0}' },
    { name: 'a format range meets the schema own bounds', prop: 'a: { type: integer, format: uint32, minimum: 5, maximum: 9999999999 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":5,"maximum":4294967295}' },
    { name: 'float is a finite number within float range', prop: 'a: { type: number, format: float }', type: 'a?: number;', rule: '"a":{"type":"number","minimum":-3.4028234663852886e+38,"maximum":3.4028234663852886e+38}' },
  ])('$name', async ({ prop, type, rule }) => {
    const files = await generate(specText({ props: prop }));
    expect(files.get('types.ts')).toContain(type);
    expect(dataText(files)).toContain(rule);
  });
});

describe('OpenAPI 3.0 documents and nullable', () => {
  it.each<{ name: string; prop: string; type: string; rule: string }>([
    { name: 'nullable enum listing null: the rule lists the values, null is the flag', prop: 'a: { type: integer, nullable: true, enum: [1, 2, null] }', type: 'a?: 1 | 2 | null;', rule: '"a":{"type":"integer","enum":[1,2],"nullable":true}' },
    { name: 'nullable string enum', prop: 'a: { type: string, nullable: true, enum: [ON, null] }', type: 'a?: "ON" | null;', rule: '"a":{"type":"string","enum":["ON"],"nullable":true}' },
  ])('$name', async ({ prop, type, rule }) => {
    const files = await generate(specText({ props: prop }).replace('openapi: 3.1.0', 'openapi: 3.0.3'));
    expect(squash(files.get('types.ts')!)).toContain(type);
    expect(dataText(files)).toContain(rule);
  });
});

describe('refused, at the line, with the reason', () => {
  it.each<{ name: string; given: Fragment; want: RegExp }>([
    {
      name: 'allOf of a string enum and another (an intersection, not a union)',
      given: { props: 'kind:\n  allOf:\n    - $ref: "#/components/schemas/Label" # <-\n    - { type: string, enum: [C] }', components: SHARED },
      want: /allOf merges object schemas only: member 1 \(Label\) is "string" \(an allOf of scalars means a value that is all of them at once; for a list of allowed values write one enum\)/,
    },
    {
      name: 'one property defined differently by two members',
      given: { props: 'x:\n  allOf:\n    - { type: object, properties: { a: { type: string } } }\n    - { type: object, properties: { a: { type: integer } } } # <-' },
      want: /allOf: property a is defined by member 1 \(line \d+\) and by member 2 with different schemas; a value cannot be both, so define it once/,
    },
    {
      name: 'a property beside allOf that a member defines differently',
      given: { props: 'x:\n  properties:\n    appid: { type: integer }\n  allOf: [{ $ref: "#/components/schemas/Base" }] # <-', components: SHARED },
      want: /allOf: property appid is defined by the schema beside allOf \(line \d+\) and by member 1 \(Base\) with different schemas/,
    },
    {
      name: 'required naming what no member defines',
      given: { props: 'x:\n  allOf:\n    - $ref: "#/components/schemas/Payer"\n    - required: [opneid] # <-', components: SHARED },
      want: /allOf: required names "opneid", which no member defines as a property/,
    },
    {
      name: 'a keyword beside allOf that is not an object keyword',
      given: { props: 'x:\n  maxLength: 3 # <-\n  allOf: [{ $ref: "#/components/schemas/Payer" }]', components: SHARED },
      want: /`maxLength` beside allOf: allOf merges object schemas, and beside it only type, properties, required, additionalProperties, nullable may be written/,
    },
    { name: 'a type other than object beside allOf', given: { props: 'x:\n  type: string # <-\n  allOf: [{ $ref: "#/components/schemas/Payer" }]', components: SHARED }, want: /allOf merges object schemas: the type beside it must be object, not "string"/ },
    { name: 'an empty allOf', given: { props: 'x: { allOf: [] } # <-' }, want: /allOf must be a non-empty list of schemas/ },
    { name: 'integer with format float', given: { props: 'a: { type: integer, format: float } # <-' }, want: /format "float" is not supported on a integer; supported: int32, int64, integer, uint32, uint64, uint/ },
    { name: 'a number as a string of digits', given: { props: 'a: { type: string, format: uint64 } # <-' }, want: /format "uint64" is not supported on a string; supported: date-time, date, uri \(a number written as a string of digits: say so with pattern: "\^\[0-9\]\+\$" and maxLength\)/ },
    { name: 'a fractional enum value on an integer format', given: { props: 'a: { type: number, format: integer, enum: [1, 1.5] } # <-' }, want: /enum value 1.5 is not an integer/ },
    { name: 'a nullable query parameter (null has no spelling in a URL)', given: { params: '- { name: since, in: query, schema: { type: string, nullable: true } } # <-' }, want: /query parameter since is nullable, but a parameter travels as text and null has no spelling there/ },
  ])('$name', async ({ given, want }) => {
    const text = specText(given);
    const e = await refusal(text);
    expect(e.detail).toMatch(want);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: ${e.detail}`);
  });
});
