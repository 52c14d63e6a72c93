// Generated metadata.ts holds each operation's request rule as JSON text, read
// on the operation's first use: V8 scans a string literal far faster than it
// compiles the same data as an object literal, and an operation never called
// never pays for its rule.
//
// A shared rule (a named component schema) stays a constant of metadata.ts;
// in the JSON it is `{ "$ref": "CardIdRule" }` (a real rule always has a
// `type`, so the two cannot be confused), and the constants the text refers to
// come with it. Each reference is replaced by the constant itself, so a shared
// rule is one object, as when the rule was written as a literal: the validator
// compiles it once (its cache is keyed by the object), and a module importing
// the constant holds the very object the operations use.
import type { OperationMeta } from './call.js';
import type { Rule } from './validate.js';

type Node = Record<string, unknown>;

/**
 * For generated code (metadata.ts), not for calling by hand: the function that
 * reads a request rule from its JSON text, replacing each `{ "$ref": name }`
 * with `rules[name]`. It throws on a reference to a rule not in `rules` and on
 * text that is not an object rule: a rule left holding a placeholder would
 * validate nothing.
 */
export function requestRuleReader(rules: Readonly<Record<string, Rule>>): (json: string) => OperationMeta['request'] {
  // The places a Rule holds rules: an object's properties and an array's items.
  // A reference is replaced, not entered: its rule is already complete.
  const link = (node: Node): Node => {
    const name = node['$ref'];
    if (name === undefined) {
      const props = node['properties'] as Node | undefined;
      // Assigning a `__proto__` key would set the prototype, not the property; the generator refuses that name.
      if (props !== undefined) for (const key of Object.keys(props)) props[key] = link(props[key] as Node);
      if (node['items'] !== undefined) node['items'] = link(node['items'] as Node);
      return node;
    }
    if (typeof name === 'string' && Object.hasOwn(rules, name) && Object.keys(node).length === 1) return rules[name] as Node;
    throw new Error(`generated metadata: a request rule refers to ${JSON.stringify(name)}, which is not one of the rules it was given; a reference is only a $ref naming one. Regenerate the client.`);
  };
  return (json) => {
    const root: unknown = JSON.parse(json);
    if (!isNode(root) || root['type'] !== 'object' || !isNode(root['properties'])) throw new Error('generated metadata: a request rule must be an object rule with properties. Regenerate the client.');
    return link(root) as OperationMeta['request'];
  };
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
