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

/** Object schemas to merge into one (all-of.ts); its members are checked here one by one. */
export const ALL_OF = 'allOf';

/** Keywords an object schema may have beside `allOf` (besides annotations and x- extensions). */
export const BESIDE_ALL_OF = ['type', 'properties', 'required', 'additionalProperties', 'nullable'];

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
 * and no white space). integer and number: see NUMBER_FORMATS.
 */
export const FORMATS: { readonly [T in SchemaType]?: readonly string[] } = {
  string: ['date-time', 'date', 'uri'],
  integer: ['int32', 'int64', 'integer', 'uint32', 'uint64', 'uint'],
  number: ['double', 'float', 'int32', 'int64', 'integer', 'uint32', 'uint64', 'uint'],
};

const FLOAT_MAX = 3.4028234663852886e38;

/**
 * Number formats as WeChat's descriptions write them, each a rule the
 * validator enforces: whether the value must be an integer (`type: number`
 * with an integer format is an integer, as the community description means
 * by `format: integer`), and its range. Every integer must be safe anyway
 * (JSON numbers beyond 2^53 lose digits in JavaScript), so `int64` and
 * `uint64` add no upper bound.
 */
export const NUMBER_FORMATS: { readonly [format: string]: { integer: boolean; minimum?: number; maximum?: number } } = {
  int32: { integer: true, minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  int64: { integer: true },
  integer: { integer: true },
  uint32: { integer: true, minimum: 0, maximum: 2 ** 32 - 1 },
  uint64: { integer: true, minimum: 0 },
  uint: { integer: true, minimum: 0 },
  double: { integer: false },
  float: { integer: false, minimum: -FLOAT_MAX, maximum: FLOAT_MAX },
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
function checkSchema(spec: LoadedSpec, schema: JsonObject, at: At, received = false): void {
  let s = schema;
  const fail = (key: string, message: string) => spec.error([...at, key], message);
  // An allOf and its members are objects whose `required` may name a property another member defines: all-of.ts checks it once merged.
  const merged = s[ALL_OF] !== undefined || at[at.length - 2] === ALL_OF;
  if (s[ALL_OF] !== undefined) {
    const list = s[ALL_OF];
    if (!Array.isArray(list) || list.length === 0 || !list.every((m) => isObject(m))) throw fail(ALL_OF, 'allOf must be a non-empty list of schemas');
    const extra = Object.keys(s).find((k) => k !== ALL_OF && !k.startsWith('x-') && !ANNOTATIONS.includes(k) && !BESIDE_ALL_OF.includes(k));
    if (extra !== undefined) throw fail(extra, `\`${extra}\` beside allOf: allOf merges object schemas, and beside it only ${BESIDE_ALL_OF.join(', ')} may be written (put other keywords in a member)`);
    const { [ALL_OF]: _members, ...rest } = s;
    if (rest['type'] !== undefined && schemaType(rest)?.type !== 'object') throw fail('type', `allOf merges object schemas: the type beside it must be object, not ${JSON.stringify(rest['type'])}`);
    s = { ...rest, type: rest['type'] ?? 'object' };
  } else if (merged && s['type'] === undefined && (s['properties'] !== undefined || s['required'] !== undefined)) {
    // A member that lists properties or required fields is an object, typed or not.
    s = { ...s, type: 'object' };
  }
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
    const digits = type === 'string' && typeof s['format'] === 'string' && s['format'] in NUMBER_FORMATS;
    const hint = digits ? ` (a number written as a string of digits: say so with pattern: "^[0-9]+$" and maxLength)` : '';
    throw fail('format', `format ${JSON.stringify(s['format'])} is not supported on a ${type}${known ? `; supported: ${known.join(', ')}` : ''}${hint}`);
  }
  // `type: number` with an integer format holds integers: its enum and default must be integers too.
  const numberFormat = typeof s['format'] === 'string' ? NUMBER_FORMATS[s['format']] : undefined;
  const valueType: SchemaType = type === 'number' && numberFormat?.integer ? 'integer' : type;
  if (s['enum'] !== undefined) {
    const e = s['enum'];
    if (!Array.isArray(e) || e.length === 0) throw fail('enum', 'enum must be a non-empty list');
    const bad = e.find((v) => !(v === null ? nullable : fits(valueType, v)));
    if (bad !== undefined) throw fail('enum', `enum value ${JSON.stringify(bad)} is not ${article(valueType)}`);
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
      const missing = merged ? undefined : req.find((r) => !isObject(props ?? null) || !(String(r) in (props as JsonObject)));
      if (missing !== undefined) throw fail('required', `required names ${JSON.stringify(missing)}, which is not a property`);
    }
  }
  if (s['default'] !== undefined && !(s['default'] === null ? nullable : fits(valueType, s['default']))) throw fail('default', `default ${JSON.stringify(s['default'])} is not ${article(valueType)}`);
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
