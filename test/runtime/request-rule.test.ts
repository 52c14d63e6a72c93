import { describe, expect, it } from 'vitest';
import { requestRuleReader } from '../../runtime/request-rule.js';
import type { Rule } from '../../runtime/validate.js';

const S: Rule = { type: 'string', maxLength: 4 };
const P: Rule = { type: 'object', properties: { left: S } };

describe('requestRuleReader: references become the given rule itself', () => {
  it.each<{ name: string; json: string; want: Rule }>([
    { name: 'no references: the rule as written', json: '{ "type": "object", "properties": { "a": { "type": "integer" } }, "required": ["a"] }', want: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] } },
    { name: 'a property', json: '{ "type": "object", "properties": { "a": { "$ref": "SRule" } } }', want: { type: 'object', properties: { a: S } } },
    { name: 'array items in an inline object', json: '{ "type": "object", "properties": { "o": { "type": "object", "properties": { "l": { "type": "array", "items": { "$ref": "SRule" } } } } } }', want: { type: 'object', properties: { o: { type: 'object', properties: { l: { type: 'array', items: S } } } } } },
    { name: 'a $ref inside an enum value is data, not a reference', json: '{ "type": "object", "properties": { "e": { "type": "string", "enum": [{ "$ref": "SRule" }] } } }', want: { type: 'object', properties: { e: { type: 'string', enum: [{ $ref: 'SRule' }] as unknown as string[] } } } },
  ])('$name', ({ json, want }) => {
    expect(requestRuleReader({ SRule: S, PRule: P })(json)).toStrictEqual(want);
  });

  it('every use is the one object given, at any depth', () => {
    const read = requestRuleReader({ SRule: S, PRule: P });
    const rule = read('{ "type": "object", "properties": { "a": { "$ref": "SRule" }, "p": { "$ref": "PRule" }, "l": { "type": "array", "items": { "$ref": "PRule" } } } }');
    expect(rule.properties['a']).toBe(S);
    expect(rule.properties['p']).toBe(P);
    expect((rule.properties['l'] as Extract<Rule, { type: 'array' }>).items).toBe(P);
  });
});

describe('requestRuleReader: what does not link throws', () => {
  it.each<{ name: string; json: string; want: RegExp }>([
    { name: 'an unknown reference', json: '{ "type": "object", "properties": { "a": { "$ref": "NoRule" } } }', want: /refers to "NoRule", which is not one of the rules it was given/ },
    { name: 'an unknown reference deep down', json: '{ "type": "object", "properties": { "o": { "type": "array", "items": { "$ref": "Nope" } } } }', want: /refers to "Nope"/ },
    { name: 'a reference with more than $ref', json: '{ "type": "object", "properties": { "a": { "$ref": "SRule", "maxLength": 2 } } }', want: /refers to "SRule", which is not one of the rules it was given; a reference is only a \$ref/ },
    { name: 'a reference that is not a string', json: '{ "type": "object", "properties": { "a": { "$ref": 1 } } }', want: /refers to 1,/ },
    { name: 'a name of Object.prototype', json: '{ "type": "object", "properties": { "a": { "$ref": "toString" } } }', want: /refers to "toString"/ },
    { name: 'a rule that is not an object rule', json: '{ "type": "string" }', want: /a request rule must be an object rule with properties/ },
    { name: 'a reference in place of the whole rule', json: '{ "$ref": "PRule" }', want: /a request rule must be an object rule/ },
    { name: 'not an object', json: '[]', want: /a request rule must be an object rule/ },
  ])('$name', ({ json, want }) => {
    expect(() => requestRuleReader({ SRule: S, PRule: P })(json)).toThrow(want);
  });

  it('text that is not JSON', () => {
    expect(() => requestRuleReader({})('{ type: object }')).toThrow(SyntaxError);
  });
});
