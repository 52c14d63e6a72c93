// Spec schemas → validation rules (JSON values of the runtime's `Rule` type),
// and the paths of the fields marked for encryption: one walk yields both, so
// the fields the runtime encrypts and the fields the validator treats as
// encrypted cannot disagree. A named component schema becomes one shared rule,
// written once (rules.ts of the client) and referenced as `{ "$ref": name }`
// wherever it is used; the runtime links the references when it loads the
// data (runtime/operation-data.ts). The keywords were checked by keywords.ts;
// this only translates them.
import { readExtension, type At } from './extensions.js';
import { NUMBER_FORMATS, schemaType } from './keywords.js';
import type { Json, LoadedSpec } from './load.js';
import { isObject, refPath } from './refs.js';

/** A rule as JSON: the runtime's `Rule`, with shared rules referenced as `{ $ref: name }`. */
export type RuleJson = { [key: string]: Json };

/** A rule and the encrypted string paths under it (`''` for the value itself, `a.b`, `[]`, `a[].b`). */
export interface CompiledRule {
  rule: RuleJson;
  encrypted: string[];
}

export class RuleEmitter {
  /** The shared rules by schema name, dependencies first. */
  readonly shared = new Map<string, RuleJson>();
  private readonly done = new Map<string, CompiledRule>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly spec: LoadedSpec) {}

  /** The rule of a flat request object: fields (path, query, body) by name, with the required ones. */
  object(fields: { name: string; schema: Json; at: At }[], required: readonly string[]): CompiledRule {
    const properties: RuleJson = {};
    const encrypted: string[] = [];
    for (const f of fields) {
      const r = this.rule(f.schema, f.at);
      define(properties, f.name, r.rule);
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
    const rule: RuleJson = { type };
    const encrypted: string[] = [];
    const copy = (k: string) => {
      // null in an enum is the nullable flag's business (keywords.ts allows it only on a nullable schema); the rule lists values of the type.
      const value = k === 'enum' && Array.isArray(schema[k]) ? schema[k].filter((v) => v !== null) : schema[k];
      if (value !== undefined) rule[k] = value;
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
        // A format is a range and may make a number an integer (NUMBER_FORMATS); its bounds meet the schema's own.
        const f = typeof schema['format'] === 'string' ? NUMBER_FORMATS[schema['format']] : undefined;
        if (f?.integer) rule['type'] = 'integer';
        const min = schema['minimum'] as number | undefined;
        const max = schema['maximum'] as number | undefined;
        const lo = f?.minimum === undefined ? min : Math.max(min ?? -Infinity, f.minimum);
        const hi = f?.maximum === undefined ? max : Math.min(max ?? Infinity, f.maximum);
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
        const properties: RuleJson = {};
        for (const [k, v] of Object.entries(props)) {
          const r = this.rule(v, [...at, 'properties', k]);
          define(properties, k, r.rule);
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
    let r: CompiledRule;
    try {
      r = this.rule((this.spec.root['components'] as Record<string, Record<string, Json>>)['schemas']![name]!, at);
    } finally {
      // Also when the schema is refused: the next operation that uses it is refused for the same reason, not for a loop.
      this.inProgress.delete(name);
    }
    this.shared.set(name, r.rule);
    const compiled = { rule: { $ref: name }, encrypted: r.encrypted };
    this.done.set(name, compiled);
    return compiled;
  }
}

/** `a` + `b.c` → `a.b.c`; `a` + `[]` → `a[]`; `a` + `` → `a`. */
function join(name: string, rest: string): string {
  return rest === '' ? name : rest.startsWith('[') ? `${name}${rest}` : `${name}.${rest}`;
}

// A field name is data: `__proto__` (refused by the model, but not here) must stay a field, not become a prototype.
function define(o: RuleJson, name: string, value: Json): void {
  Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
}
