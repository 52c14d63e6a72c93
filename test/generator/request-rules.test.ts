// metadata.ts holds each operation's request rule as JSON text, read on first
// use behind a getter. What must not change with that: the rule read is the
// rule the generator derived (the shared rules in place, as the very exported
// objects), the same object on every read, and a string exactly as the spec
// wrote it, whatever a String.raw template would otherwise make of it.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadSpec } from '../../generator/load.js';
import { readOperations } from '../../generator/model.js';
import { RuleRef, type RuleNode } from '../../generator/rules.js';
import * as generated from '../../generated/metadata.js';
import type { OperationMeta, Rule } from '../../runtime/index.js';
import { ROOT } from '../helpers.js';
import { metadataOf, requestRuleOf, specText } from './fragment.js';

type ObjectRule = Extract<Rule, { type: 'object' }>;
type ArrayRule = Extract<Rule, { type: 'array' }>;

describe('request rules as JSON: strings read back as the spec wrote them', () => {
  // The JSON sits in a String.raw template: a backslash must reach JSON.parse as it
  // is, and a backtick or `${` must neither end the template nor start a substitution.
  it.each<{ name: string; pattern?: string; values?: string[] }>([
    { name: 'a pattern with backslashes, a backtick and ${', pattern: String.raw`^\$\{[a-z]+\}` + '`' + String.raw`\d\\$` },
    { name: 'enum values with a backtick, ${, backslashes and a JSON escape spelt out', values: ['a`b', '${x}', String.raw`c\d`, String.raw`\${y}`, String.raw`e\u0060`, '\\`', '$`{'] },
    { name: 'a pattern ending in a backslash pair, and quotes', pattern: String.raw`"'\\` },
  ])('$name', async ({ pattern, values }) => {
    const yaml = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const props = pattern !== undefined ? `a: { type: string, pattern: ${yaml(pattern)} }` : `a: { type: string, enum: [${values!.map(yaml).join(', ')}] }`;
    const rule = (await requestRuleOf({ props })).properties['a'];
    expect(rule).toStrictEqual(pattern !== undefined ? { type: 'string', pattern } : { type: 'string', enum: values });
  });

  it('the pattern read back still matches what it should', async () => {
    const pattern = String.raw`^\$\{[a-z]+\}` + '`' + String.raw`\d\\$`;
    const rule = (await requestRuleOf({ props: `a: { type: string, pattern: '${pattern}' }` })).properties['a'] as { pattern: string };
    expect(new RegExp(rule.pattern, 'u').test('${ab}`7\\')).toBe(true);
  });
});

describe('request rules as JSON: shared rules are the exported objects', () => {
  it('at any depth: a property, an array’s items, and inside another shared rule', async () => {
    const metadata = await metadataOf(
      specText({
        props: 'a: { $ref: "#/components/schemas/Code" }\nlist: { type: array, items: { $ref: "#/components/schemas/Pair" } }\ninline: { type: object, properties: { c: { $ref: "#/components/schemas/Code" } } }',
        params: '- { name: code, in: query, schema: { $ref: "#/components/schemas/Code" } }',
        components: 'schemas:\n  Code: { type: string, maxLength: 4 }\n  Pair: { type: object, properties: { left: { $ref: "#/components/schemas/Code" }, right: { type: integer } } }',
      }),
    );
    const code = metadata['CodeRule'];
    const request = (metadata['addThingMeta'] as OperationMeta).request;
    expect(code).toStrictEqual({ type: 'string', maxLength: 4 });
    expect(request.properties['a']).toBe(code);
    expect(request.properties['code']).toBe(code);
    expect((request.properties['inline'] as ObjectRule).properties['c']).toBe(code);
    const list = request.properties['list'] as ArrayRule;
    expect(list.items).toBe(metadata['PairRule']);
    expect((list.items as ObjectRule).properties['left']).toBe(code);
  });

  it('two operations using one shared rule hold the one object', async () => {
    const text = specText({ props: 'a: { $ref: "#/components/schemas/Code" }', components: 'schemas:\n  Code: { type: string, maxLength: 4 }' });
    const two = text.replace('paths:\n', 'paths:\n  /v1/other:\n    get:\n      operationId: getOther\n      parameters:\n        - { name: c, in: query, schema: { $ref: "#/components/schemas/Code" } }\n      responses:\n        "204": { description: no body }\n');
    const metadata = await metadataOf(two);
    const other = (metadata['getOtherMeta'] as OperationMeta).request;
    expect(other.properties['c']).toBe(metadata['CodeRule']);
    expect((metadata['addThingMeta'] as OperationMeta).request.properties['a']).toBe(other.properties['c']);
  });
});

// The repository's own generated client, as the package ships it.
describe('generated/metadata.ts', () => {
  const spec = loadSpec(path.join(ROOT, 'spec/membercard.yaml'));
  const ops = readOperations(spec);
  const exports = generated as unknown as Record<string, Rule | OperationMeta>;
  // The generator's rule as an object, with each shared rule the exported constant itself: what the literal was.
  const resolve = (node: unknown): unknown => {
    if (node instanceof RuleRef) return exports[node.name];
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
    return node;
  };

  it.each(ops.map((op) => [op.operationId, op] as const))('%s: the rule read is the generator’s, shared rules by identity, one object on every read', (id, op) => {
    const meta = exports[`${id}Meta`] as OperationMeta;
    const request = meta.request;
    expect(meta.request).toBe(request);
    expect(request).toStrictEqual(resolve(op.requestRule));
    const properties = (op.requestRule as Exclude<RuleNode, RuleRef>)['properties'] as Record<string, unknown>;
    for (const [name, rule] of Object.entries(properties)) if (rule instanceof RuleRef) expect(request.properties[name]).toBe(exports[rule.name]);
  });

  it('confirmUserCard’s card_id is CardIdRule itself', () => {
    expect(generated.confirmUserCardMeta.request.properties['card_id']).toBe(generated.CardIdRule);
  });
});
