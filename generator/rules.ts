// Spec schemas → validation rules of the runtime's `Rule` type, as data, and
// the paths of the fields marked for encryption: one walk yields both, so the
// fields the runtime encrypts and the fields the validator treats as
// encrypted cannot disagree. A named component schema becomes one named rule
// (a declaration, emitted before its users), and each use of it a RuleRef, so
// shared shapes are written once. The keywords were checked by keywords.ts;
// this only translates them. How a rule is written out is the emitters' choice:
// ruleLiteral() prints TypeScript source, JSON.stringify prints `{ "$ref": name }` for a RuleRef.
import { readExtension, type At } from './extensions.js';
import { schemaType } from './keywords.js';
import type { Json, LoadedSpec } from './load.js';
import { typeName } from './names.js';
import { isObject, refPath } from './refs.js';

/** A rule as data: the runtime's `Rule`, with a RuleRef wherever a named rule is used. */
export type RuleNode = { [key: string]: RuleValue } | RuleRef;
type RuleValue = null | boolean | number | string | RuleValue[] | RuleRef | { [key: string]: RuleValue };

/** The use of a named rule (`CardIdRule`): its identifier in TypeScript, `{ "$ref": "CardIdRule" }` in JSON (what the runtime's requestRuleFromJson resolves). */
export class RuleRef {
  constructor(readonly name: string) {}
  toJSON(): { $ref: string } {
    return { $ref: this.name };
  }
}

/** A named rule: `const <name>: Rule = <rule>`. */
export interface RuleDeclaration {
  name: string;
  rule: RuleNode;
}

/** A rule and the encrypted string paths under it (`''` for the value itself, `a.b`, `[]`, `a[].b`). */
export interface CompiledRule {
  rule: RuleNode;
  encrypted: string[];
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

export class RuleEmitter {
  /** The named rules, dependencies first. */
  readonly declarations: RuleDeclaration[] = [];
  private readonly done = new Map<string, CompiledRule>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly spec: LoadedSpec) {}

  /** The rule of a flat request object: fields (path, query, body) by name, with the required ones. */
  object(fields: { name: string; schema: Json; at: At }[], required: readonly string[]): CompiledRule {
    const properties: Record<string, RuleNode> = {};
    const encrypted: string[] = [];
    for (const f of fields) {
      const r = this.rule(f.schema, f.at);
      properties[f.name] = r.rule;
      encrypted.push(...r.encrypted.map((p) => join(f.name, p)));
    }
    return { rule: { type: 'object', properties, required: [...required] }, encrypted };
  }

  rule(schema: Json, at: At): CompiledRule {
    if (!isObject(schema)) throw this.spec.error(at, 'a schema must be a mapping');
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const target = refPath(ref);
      if (target.length !== 3 || target[0] !== 'components' || target[1] !== 'schemas') {
        throw this.spec.error([...at, '$ref'], `schema $ref ${ref} must point to #/components/schemas/<Name>`);
      }
      return this.named(target[2]!);
    }
    const typed = schemaType(schema);
    if (!typed) return { rule: { type: 'any' }, encrypted: [] };
    const { type, nullable } = typed;
    const rule: Record<string, RuleValue> = { type };
    const encrypted: string[] = [];
    const copy = (k: string) => {
      if (schema[k] !== undefined) rule[k] = schema[k];
    };
    switch (type) {
      case 'string':
        ['minLength', 'maxLength', 'enum', 'pattern', 'format'].forEach(copy);
        if (readExtension(this.spec, schema, at, 'schema', 'x-wechatpay-encryption')) {
          rule['encrypted'] = true;
          encrypted.push('');
        }
        break;
      case 'integer':
      case 'number': {
        // int32 is a range; int64 and double add nothing a safe integer or a finite number does not already say.
        const int32 = schema['format'] === 'int32';
        const min = schema['minimum'] as number | undefined;
        const max = schema['maximum'] as number | undefined;
        const lo = int32 ? Math.max(min ?? -Infinity, INT32.min) : min;
        const hi = int32 ? Math.min(max ?? Infinity, INT32.max) : max;
        if (lo !== undefined) rule['minimum'] = lo;
        if (hi !== undefined) rule['maximum'] = hi;
        copy('enum');
        break;
      }
      case 'boolean':
        copy('enum');
        break;
      case 'array': {
        const items = this.rule(schema['items']!, [...at, 'items']);
        rule['items'] = items.rule;
        encrypted.push(...items.encrypted.map((p) => `[]${p && !p.startsWith('[') ? '.' : ''}${p}`));
        copy('maxItems');
        copy('minItems');
        break;
      }
      case 'object': {
        const props = isObject(schema['properties']) ? schema['properties'] : {};
        const properties: Record<string, RuleNode> = {};
        for (const [k, v] of Object.entries(props)) {
          const r = this.rule(v, [...at, 'properties', k]);
          properties[k] = r.rule;
          encrypted.push(...r.encrypted.map((p) => join(k, p)));
        }
        rule['properties'] = properties;
        const req = schema['required'];
        if (Array.isArray(req) && req.length) rule['required'] = req;
        if (schema['additionalProperties'] === true) rule['additionalProperties'] = true;
        break;
      }
    }
    if (nullable) rule['nullable'] = true;
    return { rule, encrypted };
  }

  private named(name: string): CompiledRule {
    const known = this.done.get(name);
    if (known) return known;
    if (this.inProgress.has(name)) throw this.spec.error(['components', 'schemas', name], `schema ${name} refers to itself; recursive schemas are not supported`);
    this.inProgress.add(name);
    const at = ['components', 'schemas', name];
    const r = this.rule((this.spec.root['components'] as Record<string, Record<string, Json>>)['schemas']![name]!, at);
    this.inProgress.delete(name);
    const id = `${typeName(name)}Rule`;
    this.declarations.push({ name: id, rule: r.rule });
    const compiled = { rule: new RuleRef(id), encrypted: r.encrypted };
    this.done.set(name, compiled);
    return compiled;
  }
}

/** `a` + `b.c` → `a.b.c`; `a` + `[]` → `a[]`; `a` + `` → `a`. */
function join(name: string, rest: string): string {
  return rest === '' ? name : rest.startsWith('[') ? `${name}${rest}` : `${name}.${rest}`;
}

/** The named rules `node` uses itself (not those its named rules use), in order of first use. */
export function ruleRefs(node: RuleValue, into = new Set<string>()): Set<string> {
  if (node instanceof RuleRef) into.add(node.name);
  else if (Array.isArray(node)) for (const v of node) ruleRefs(v, into);
  else if (typeof node === 'object' && node !== null) for (const v of Object.values(node)) ruleRefs(v, into);
  return into;
}

/** A rule as TypeScript source (an object literal, named rules by their identifiers), for the files that keep their rules as literals. */
export function ruleLiteral(node: RuleValue): string {
  if (node instanceof RuleRef) return node.name;
  if (Array.isArray(node)) return `[${node.map(ruleLiteral).join(', ')}]`;
  if (typeof node === 'object' && node !== null) return `{ ${Object.entries(node).map(([k, v]) => `${key(k)}: ${ruleLiteral(v)}`).join(', ')} }`;
  return JSON.stringify(node);
}

/** `const XRule: Rule = { … };` */
export function ruleDeclarationLiteral(d: RuleDeclaration): string {
  return `const ${d.name}: Rule = ${ruleLiteral(d.rule)};`;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
