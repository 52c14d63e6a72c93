// The closed list of JSON Schema keywords the generator supports. Each one is
// enforced the same way by the generated types (openapi-typescript), the
// client's validator and the local server (runtime/validate.ts, fed by
// rules.ts); every other keyword is a spec error that names it. Every schema
// of the document is checked, used or not, so a keyword cannot slip in
// through a schema that only a response uses.
import { walkPlaces, type At } from './extensions.js';
import type { Json, JsonObject, LoadedSpec } from './load.js';
import { objectMemberProblem } from './names.js';
import { isObject } from './refs.js';
import type { Problems } from './spec-error.js';
import { receivedSchemas } from './webhooks.js';

/** Words that describe and constrain nothing: allowed on any schema, also beside $ref. */
export const ANNOTATIONS = ['description', 'title', 'example', 'examples', 'deprecated', '$comment'];

/** Keywords each type supports, beside `type`, the annotations, `default` and `nullable`. */
export const KEYWORDS = {
  string: ['enum', 'minLength', 'maxLength', 'pattern', 'format'],
  integer: ['enum', 'minimum', 'maximum', 'format'],
  number: ['enum', 'minimum', 'maximum', 'format'],
  boolean: ['enum'],
  object: ['properties', 'required', 'additionalProperties'],
  array: ['items', 'minItems', 'maxItems'],
} as const;
export type SchemaType = keyof typeof KEYWORDS;

/**
 * Formats and what they mean. string: `date-time` (RFC 3339, real calendar
 * dates), `date` (YYYY-MM-DD, real calendar dates), `uri` (absolute: a scheme
 * and no white space). integer: `int32` (the signed 32-bit range), `int64`
 * (any safe integer: JSON numbers beyond 2^53 lose digits in JavaScript).
 * number: `double` (any finite number).
 */
export const FORMATS: { readonly [T in SchemaType]?: readonly string[] } = {
  string: ['date-time', 'date', 'uri'],
  integer: ['int32', 'int64'],
  number: ['double'],
};

const ALL = [...new Set(Object.values(KEYWORDS).flat())];

/** The type of a schema and whether it may be null: `type: T`, `type: [T, "null"]`, or `type: T` with `nullable: true`. */
export function schemaType(schema: JsonObject): { type: SchemaType; nullable: boolean } | undefined {
  const t = schema['type'];
  const nullable = schema['nullable'] === true || (Array.isArray(t) && t.includes('null'));
  const name = Array.isArray(t) ? t.find((x) => x !== 'null') : t;
  return typeof name === 'string' && name in KEYWORDS ? { type: name as SchemaType, nullable } : undefined;
}

/** Checks every schema of the document against the closed list, each schema object on its own. */
export function checkKeywords(spec: LoadedSpec, problems: Problems): void {
  const received = receivedSchemas(spec.root);
  walkPlaces(spec.root, (node, at, place) => {
    if (place === 'schema') problems.run(() => checkSchema(spec, node, at, at[0] === 'webhooks' || (at[0] === 'components' && at[1] === 'schemas' && received.has(String(at[2])))));
  });
}

/** `received`: the schema describes what WeChat sends in a notification, where `additionalProperties: true` may keep fields the spec does not list. */
function checkSchema(spec: LoadedSpec, s: JsonObject, at: At, received = false): void {
  const fail = (key: string, message: string) => spec.error([...at, key], message);
  const unsupported = (k: string) =>
    ALL.includes(k as never) || k === 'nullable' || k === 'default'
      ? undefined
      : fail(k, `the generator does not support \`${k}\` in schemas; supported: type, ${[...ALL, 'nullable', 'default'].join(', ')} (see "What a spec may contain" in the README)`);
  const own = Object.keys(s).filter((k) => !k.startsWith('x-') && !ANNOTATIONS.includes(k));
  if (typeof s['$ref'] === 'string') {
    const extra = own.find((k) => k !== '$ref');
    if (extra !== undefined) throw fail(extra, `\`${extra}\` beside $ref: put constraints in the referenced schema (beside $ref only ${ANNOTATIONS.join(', ')} and x- extensions are allowed)`);
    return;
  }
  const t = s['type'];
  if (t === undefined) {
    const extra = own[0];
    if (extra !== undefined) throw unsupported(extra) ?? fail(extra, `\`${extra}\` on a schema without \`type\`: give it a type (${Object.keys(KEYWORDS).join(', ')})`);
    return;
  }
  const typed = schemaType(s);
  const types = Array.isArray(t) ? t : [t];
  if (!typed || types.length > 2 || (types.length === 2 && !types.includes('null'))) {
    throw fail('type', `unsupported type ${JSON.stringify(t)}: one of ${Object.keys(KEYWORDS).join(', ')}, or [<one of them>, "null"] for a nullable value`);
  }
  const { type, nullable } = typed;
  const allowed: readonly string[] = KEYWORDS[type];
  for (const k of own) {
    if (k === 'type' || allowed.includes(k)) continue;
    if (k === 'nullable') {
      if (s[k] !== true && s[k] !== false) throw fail(k, 'nullable must be true or false');
      continue;
    }
    if (k === 'default') continue;
    throw unsupported(k) ?? fail(k, `\`${k}\` does not apply to a ${type} schema (${type} supports ${allowed.join(', ')})`);
  }

  const num = (k: string, min = -Infinity) => {
    const v = s[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || ((k.endsWith('Length') || k.endsWith('Items')) && !Number.isInteger(v)))) {
      throw fail(k, `${k} must be ${min === 0 ? 'a whole number ≥ 0' : 'a number'}`);
    }
    return v as number | undefined;
  };
  const range = (lo: string, hi: string, min?: number) => {
    const a = num(lo, min);
    const b = num(hi, min);
    if (a !== undefined && b !== undefined && a > b) throw fail(lo, `${lo} ${a} is greater than ${hi} ${b}: no value fits`);
  };
  if (type === 'string') range('minLength', 'maxLength', 0);
  if (type === 'integer' || type === 'number') range('minimum', 'maximum');
  if (type === 'array') {
    range('minItems', 'maxItems', 0);
    if (!isObject(s['items'] ?? null)) throw fail('items', 'an array schema needs `items`, a schema');
  }
  if (s['pattern'] !== undefined) {
    if (typeof s['pattern'] !== 'string') throw fail('pattern', 'pattern must be a string');
    try {
      new RegExp(s['pattern'], 'u');
    } catch {
      throw fail('pattern', `pattern ${s['pattern']} is not a valid JavaScript regular expression with the u flag`);
    }
  }
  if (s['format'] !== undefined && !(FORMATS[type] ?? []).includes(s['format'] as string)) {
    const known = FORMATS[type];
    throw fail('format', `format ${JSON.stringify(s['format'])} is not supported on a ${type}${known ? `; supported: ${known.join(', ')}` : ''}`);
  }
  if (s['enum'] !== undefined) {
    const e = s['enum'];
    if (!Array.isArray(e) || e.length === 0) throw fail('enum', 'enum must be a non-empty list');
    const bad = e.find((v) => !(v === null ? nullable : fits(type, v)));
    if (bad !== undefined) throw fail('enum', `enum value ${JSON.stringify(bad)} is not ${article(type)}`);
  }
  if (type === 'object') {
    const props = s['properties'];
    if (props !== undefined && !isObject(props)) throw fail('properties', 'properties must be a mapping');
    const inherited = isObject(props ?? null) ? Object.keys(props as JsonObject).find((k) => objectMemberProblem('property', k)) : undefined;
    if (inherited !== undefined) throw spec.error([...at, 'properties', inherited], objectMemberProblem('property', inherited)!);
    const ap = s['additionalProperties'];
    if (ap === true && !received) {
      throw fail('additionalProperties', 'additionalProperties: true is only for what WeChat sends in a notification (a schema under `webhooks` or its x-wechatpay-resource), where a field the spec does not list is kept; everywhere else objects are closed');
    }
    if (ap !== undefined && ap !== false && ap !== true) {
      throw fail('additionalProperties', 'additionalProperties may only be `false`: objects are closed (a request field the schema does not list is refused whatever it says), and maps of any key are not supported');
    }
    const req = s['required'];
    if (req !== undefined) {
      if (!Array.isArray(req) || req.some((r) => typeof r !== 'string')) throw fail('required', 'required must be a list of property names');
      const missing = req.find((r) => !isObject(props ?? null) || !(String(r) in (props as JsonObject)));
      if (missing !== undefined) throw fail('required', `required names ${JSON.stringify(missing)}, which is not a property`);
    }
  }
  if (s['default'] !== undefined && !(s['default'] === null ? nullable : fits(type, s['default']))) throw fail('default', `default ${JSON.stringify(s['default'])} is not ${article(type)}`);
}

function fits(type: SchemaType, v: Json): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
  }
}

function article(type: SchemaType): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}
