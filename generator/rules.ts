// Spec schemas → validation rule literals (TypeScript source text) of the
// runtime's `Rule` type. A named component schema becomes one `const`, emitted
// before its users, so shared shapes are written once.
import type { Json, LoadedSpec } from './load.js';
import { ENCRYPTION_MARKER, type At, type OperationModel } from './model.js';
import { isObject, refPath } from './refs.js';

const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array']);
// Keywords that constrain a value but have no rule here: refusing them beats ignoring them silently.
const UNSUPPORTED = ['oneOf', 'anyOf', 'allOf', 'not', 'const', 'minLength', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems', 'patternProperties', 'prefixItems', 'if'];
const CONSTRAINTS = ['type', 'maxLength', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'properties', 'required', 'additionalProperties', 'items', 'maxItems', 'minItems', ENCRYPTION_MARKER, ...UNSUPPORTED];

export class RuleEmitter {
  /** `const XRule: Rule = …;` declarations, dependencies first. */
  readonly declarations: string[] = [];
  private readonly done = new Set<string>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly spec: LoadedSpec) {}

  /** The rule for an operation's flat request object: path + query + body fields. */
  requestRule(op: OperationModel): string {
    const props: string[] = [];
    const required: string[] = [];
    for (const p of op.params) {
      props.push(`${key(p.name)}: ${this.rule(p.schema, p.schemaAt)}`);
      if (p.required) required.push(p.name);
    }
    if (op.body) {
      const properties = op.body.schema['properties'] as Record<string, Json>;
      for (const name of op.body.names) props.push(`${key(name)}: ${this.rule(properties[name]!, [...op.body.at, 'properties', name])}`);
      required.push(...op.body.required);
    }
    const closed = !op.body || op.body.closed;
    return `{ type: 'object', properties: { ${props.join(', ')} }, required: ${list(required)}${closed ? ', additionalProperties: false' : ''} }`;
  }

  rule(schema: Json, at: At): string {
    if (!isObject(schema)) throw this.spec.error(at, 'a schema must be a mapping');
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const extra = Object.keys(schema).filter((k) => k !== '$ref' && CONSTRAINTS.includes(k));
      if (extra.length) throw this.spec.error(at, `${extra.join(', ')} beside $ref: put constraints in the referenced schema`);
      const target = refPath(ref);
      if (target.length !== 3 || target[0] !== 'components' || target[1] !== 'schemas') {
        throw this.spec.error([...at, '$ref'], `schema $ref ${ref} must point to #/components/schemas/<Name>`);
      }
      return this.named(target[2]!);
    }
    for (const k of UNSUPPORTED) if (k in schema) throw this.spec.error([...at, k], `the generator does not support \`${k}\` in schemas`);

    const type = schema['type'];
    if (type === undefined) {
      if (CONSTRAINTS.some((k) => k in schema)) throw this.spec.error(at, 'a schema with constraints needs a `type`');
      return `{ type: 'any' }`;
    }
    if (typeof type !== 'string' || !TYPES.has(type)) throw this.spec.error([...at, 'type'], `unsupported type ${JSON.stringify(type)} (one of ${[...TYPES].join(', ')})`);
    const parts = [`type: '${type}'`];
    const num = (k: string) => {
      const v = schema[k];
      if (v === undefined) return;
      if (typeof v !== 'number') throw this.spec.error([...at, k], `${k} must be a number`);
      parts.push(`${k}: ${v}`);
    };
    switch (type) {
      case 'string': {
        num('maxLength');
        const e = schema['enum'];
        if (e !== undefined) {
          if (!Array.isArray(e) || e.some((v) => typeof v !== 'string')) throw this.spec.error([...at, 'enum'], 'a string enum must be a list of strings');
          parts.push(`enum: ${list(e as string[])}`);
        }
        if (typeof schema['pattern'] === 'string') {
          try {
            new RegExp(schema['pattern'], 'u');
          } catch {
            throw this.spec.error([...at, 'pattern'], `pattern ${schema['pattern']} is not a valid regular expression`);
          }
          parts.push(`pattern: ${JSON.stringify(schema['pattern'])}`);
        }
        if (schema['format'] === 'date-time') parts.push(`format: 'date-time'`);
        if (schema[ENCRYPTION_MARKER] !== undefined) parts.push('encrypted: true');
        break;
      }
      case 'integer':
      case 'number':
        num('minimum');
        num('maximum');
        break;
      case 'array':
        if (schema['items'] === undefined) throw this.spec.error(at, 'an array schema needs `items`');
        parts.push(`items: ${this.rule(schema['items'], [...at, 'items'])}`);
        num('maxItems');
        num('minItems');
        break;
      case 'object': {
        const props = isObject(schema['properties']) ? schema['properties'] : {};
        const entries = Object.entries(props).map(([k, v]) => `${key(k)}: ${this.rule(v, [...at, 'properties', k])}`);
        parts.push(`properties: { ${entries.join(', ')} }`);
        const req = schema['required'];
        if (Array.isArray(req) && req.length) {
          const missing = req.find((r) => typeof r !== 'string' || !(r in props));
          if (missing !== undefined) throw this.spec.error([...at, 'required'], `required names ${JSON.stringify(missing)}, which is not a property`);
          parts.push(`required: ${list(req as string[])}`);
        }
        if (schema['additionalProperties'] === false) parts.push('additionalProperties: false');
        break;
      }
    }
    return `{ ${parts.join(', ')} }`;
  }

  private named(name: string): string {
    const id = `${name}Rule`;
    if (this.done.has(name)) return id;
    if (this.inProgress.has(name)) throw this.spec.error(['components', 'schemas', name], `schema ${name} refers to itself; recursive schemas are not supported`);
    this.inProgress.add(name);
    const at = ['components', 'schemas', name];
    const text = this.rule((this.spec.root['components'] as Record<string, Record<string, Json>>)['schemas']![name]!, at);
    this.inProgress.delete(name);
    this.done.add(name);
    this.declarations.push(`const ${id}: Rule = ${text};`);
    return id;
  }
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function list(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
}
