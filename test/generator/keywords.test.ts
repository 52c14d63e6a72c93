// The closed list of JSON Schema keywords: each supported keyword, given as a
// small spec fragment, becomes the wanted TypeScript type and validation rule;
// every other keyword, or a supported one misused, is refused at its line.
import { describe, expect, it } from 'vitest';
import { dataText, generate, markedLine, refusal, specText, type Fragment } from './fragment.js';

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('supported keywords: types and rules agree', () => {
  it.each<{ name: string; prop: string; type: string; rule: string }>([
    { name: 'string', prop: 'a: { type: string }', type: 'a?: string;', rule: '"a":{"type":"string"}' },
    { name: 'minLength and maxLength', prop: 'a: { type: string, minLength: 1, maxLength: 8 }', type: 'a?: string;', rule: '"a":{"type":"string","minLength":1,"maxLength":8}' },
    { name: 'string enum', prop: 'a: { type: string, enum: [ON, OFF] }', type: 'a?: "ON" | "OFF";', rule: '"a":{"type":"string","enum":["ON","OFF"]}' },
    { name: 'pattern (JavaScript, u flag)', prop: 'a: { type: string, pattern: "^\\\\p{L}+$" }', type: 'a?: string;', rule: '"a":{"type":"string","pattern":"^\\\\p{L}+$"}' },
    { name: 'format date-time', prop: 'a: { type: string, format: date-time }', type: 'a?: string;', rule: '"a":{"type":"string","format":"date-time"}' },
    { name: 'format date', prop: 'a: { type: string, format: date }', type: 'a?: string;', rule: '"a":{"type":"string","format":"date"}' },
    { name: 'format uri', prop: 'a: { type: string, format: uri }', type: 'a?: string;', rule: '"a":{"type":"string","format":"uri"}' },
    { name: 'integer enum', prop: 'a: { type: integer, enum: [1, 2, 3] }', type: 'a?: 1 | 2 | 3;', rule: '"a":{"type":"integer","enum":[1,2,3]}' },
    { name: 'number enum', prop: 'a: { type: number, enum: [0.5, 1] }', type: 'a?: 0.5 | 1;', rule: '"a":{"type":"number","enum":[0.5,1]}' },
    { name: 'boolean enum', prop: 'a: { type: boolean, enum: [true] }', type: 'a?: true;', rule: '"a":{"type":"boolean","enum":[true]}' },
    { name: 'minimum and maximum', prop: 'a: { type: integer, minimum: 1, maximum: 9 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":1,"maximum":9}' },
    { name: 'int32 is a range', prop: 'a: { type: integer, format: int32 }', type: 'a?: number;', rule: '"a":{"type":"integer","minimum":-2147483648,"maximum":2147483647}' },
    { name: 'int64 is any safe integer', prop: 'a: { type: integer, format: int64 }', type: 'a?: number;', rule: '"a":{"type":"integer"}' },
    { name: 'minItems and maxItems', prop: 'a: { type: array, minItems: 1, maxItems: 2, items: { type: string } }', type: 'a?: string[];', rule: '"a":{"type":"array","items":{"type":"string"},"maxItems":2,"minItems":1}' },
    { name: 'nullable: true', prop: 'a: { type: string, nullable: true }', type: 'a?: string | null;', rule: '"a":{"type":"string","nullable":true}' },
    { name: 'type [T, "null"]', prop: 'a: { type: [integer, "null"] }', type: 'a?: number | null;', rule: '"a":{"type":"integer","nullable":true}' },
    { name: 'default keeps the field optional in both', prop: 'a: { type: string, default: x }', type: 'a?: string;', rule: '"a":{"type":"string"}' },
    { name: 'a nested object is closed', prop: 'a: { type: object, properties: { b: { type: string } } }', type: 'b?: string;', rule: '"a":{"type":"object","properties":{"b":{"type":"string"}}}' },
    { name: 'a typeless schema is anything', prop: 'a: { description: loose }', type: 'a?: unknown;', rule: '"a":{"type":"any"}' },
  ])('$name', async ({ prop, type, rule }) => {
    const files = await generate(specText({ props: prop }));
    expect(files.get('types.ts')).toContain(type);
    expect(dataText(files)).toContain(rule);
  });

  it('default in a shared schema leaves the field optional in the types, as in the validator', async () => {
    const files = await generate(specText({ props: 'a: { $ref: "#/components/schemas/Shared" }', components: 'schemas:\n  Shared: { type: object, properties: { g: { type: string, default: y } } }' }));
    expect(files.get('types.ts')).toMatch(/Default when absent: `"y"`. \*\/\n\s+g\?: string;/);
    expect(dataText(files)).toContain('"Shared":{"type":"object","properties":{"g":{"type":"string"}}}');
  });
});

describe('keywords: refused', () => {
  it.each<{ name: string; given: Fragment; want: RegExp }>([
    { name: 'additionalProperties with a schema', given: { props: 'a: { type: object, additionalProperties: { type: string } } # <-' }, want: /additionalProperties may only be `false`/ },
    { name: 'additionalProperties: true on the body', given: { body: 'additionalProperties: true # <-' }, want: /additionalProperties: true is only for what WeChat sends in a notification/ },
    { name: 'minProperties', given: { props: 'a: { type: object, minProperties: 1, properties: { b: { type: string } } } # <-' }, want: /does not support `minProperties`/ },
    { name: 'contains', given: { props: 'a: { type: array, items: { type: string }, contains: { type: string } } # <-' }, want: /does not support `contains`/ },
    { name: 'dependentRequired', given: { body: 'dependentRequired: { name: [id] } # <-' }, want: /does not support `dependentRequired`/ },
    { name: 'const', given: { props: 'a: { type: string, const: x } # <-' }, want: /does not support `const`/ },
    { name: 'exclusiveMaximum', given: { props: 'a: { type: integer, exclusiveMaximum: 3 } # <-' }, want: /does not support `exclusiveMaximum`/ },
    { name: 'readOnly', given: { props: 'a: { type: string, readOnly: true } # <-' }, want: /does not support `readOnly`/ },
    { name: 'format email', given: { props: 'a: { type: string, format: email } # <-' }, want: /format "email" is not supported on a string; supported: date-time, date, uri/ },
    { name: 'format on a boolean', given: { props: 'a: { type: boolean, format: flag } # <-' }, want: /`format` does not apply to a boolean schema \(boolean supports enum\)/ },
    { name: 'minLength on an integer', given: { props: 'a: { type: integer, minLength: 1 } # <-' }, want: /`minLength` does not apply to a integer schema/ },
    { name: 'an integer enum with a string', given: { props: 'a: { type: integer, enum: [1, "2"] } # <-' }, want: /enum value "2" is not an integer/ },
    { name: 'null in the enum of a non-nullable field', given: { props: 'a: { type: string, enum: [a, null] } # <-' }, want: /enum value null is not a string/ },
    { name: 'an invalid pattern', given: { props: 'a: { type: string, pattern: "(" } # <-' }, want: /pattern \( is not a valid JavaScript regular expression with the u flag/ },
    { name: 'minLength above maxLength', given: { props: 'a: { type: string, minLength: 3, maxLength: 2 } # <-' }, want: /minLength 3 is greater than maxLength 2/ },
    { name: 'a fractional maxLength', given: { props: 'a: { type: string, maxLength: 2.5 } # <-' }, want: /maxLength must be a whole number/ },
    { name: 'two types', given: { props: 'a: { type: [string, integer] } # <-' }, want: /unsupported type \["string","integer"\]/ },
    { name: 'a constraint without a type', given: { props: 'a: { maxLength: 3 } # <-' }, want: /`maxLength` on a schema without `type`/ },
    { name: 'a constraint beside $ref', given: { props: 'a: { $ref: "#/components/schemas/S", maxLength: 3 } # <-', components: 'schemas:\n  S: { type: string }' }, want: /`maxLength` beside \$ref/ },
    { name: 'a default of the wrong type', given: { props: 'a: { type: integer, default: x } # <-' }, want: /default "x" is not an integer/ },
    { name: 'body-level required naming an undeclared property', given: { body: 'required: [titel] # <-' }, want: /required names "titel", which is not a property/ },
    { name: 'allOf of a scalar in a response schema', given: { responses: '"200":\n  description: ok\n  content:\n    application/json:\n      schema:\n        allOf: [{ type: string }] # <-' }, want: /allOf merges object schemas only: member 1 is "string"/ },
    { name: 'anyOf in a response schema', given: { responses: '"200":\n  description: ok\n  content:\n    application/json:\n      schema:\n        anyOf: [{ type: object }] # <-' }, want: /does not support `anyOf`/ },
    { name: 'oneOf in an unused component schema', given: { components: 'schemas:\n  Spare:\n    oneOf: [{ type: string }] # <-' }, want: /does not support `oneOf`/ },
    { name: 'a property named like a member of every object', given: { props: 'valueOf: { type: string } # <-' }, want: /a property cannot be named valueOf: every JavaScript object has a member of that name/ },
    { name: 'a property named __proto__', given: { props: '__proto__: { type: string } # <-' }, want: /a key cannot be __proto__: in JavaScript it names the prototype/ },
    { name: 'a query parameter named toString', given: { params: '- { name: toString, in: query, schema: { type: string } } # <-' }, want: /a parameter cannot be named toString/ },
    { name: 'a schema named hasOwnProperty', given: { components: 'schemas:\n  hasOwnProperty: { type: string } # <-' }, want: /a schema cannot be named hasOwnProperty/ },
    { name: 'an array without items', given: { props: 'a: { type: array } # <-' }, want: /an array schema needs `items`/ },
  ])('$name', async ({ given, want }) => {
    const text = specText(given);
    const e = await refusal(text);
    expect(e.detail).toMatch(want);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: ${e.detail}`);
  });
});
