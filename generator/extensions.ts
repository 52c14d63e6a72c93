// The ONE registry of the vendor extensions the generator reads. Every
// extension a spec may use has exactly one entry here: where it may be
// written and how its value is read and checked. `checkExtensions` runs the
// entries over the whole document before anything else reads it, so generate,
// check and the audit all see the same, already checked, values; the model
// and the audit then read values through `readExtension`.
//
// Refused, with the spec's file and line:
// - an unknown `x-wechatpay-*` key, or any `x-` key one or two edits away
//   from a known name (`x-wechatpay-encrypton`, `x-enumDescription`): a
//   misspelt marker must never silently turn into "no marker";
// - a known key in a place its entry does not list;
// - a value its entry's `read` does not accept.
// Other `x-` keys (another tool's, such as `x-logo`) are not the generator's
// business and are left alone.
//
// Adding an extension: add one entry to EXTENSIONS below with `places`, a
// one-line `doc`, and `read`, which returns the value as the generator uses
// it or throws `ctx.fail(sentence)`. Describe it in the spec's
// info.description and in the README's list too.
import type { Json, JsonObject, LoadedSpec } from './load.js';
import { deref, isObject } from './refs.js';
import { editDistance } from './hints.js';
import type { Problems, SpecError } from './spec-error.js';

export type At = (string | number)[];

/**
 * The kinds of OpenAPI object an extension can be written on. `error` is an
 * entry of an operation's `x-wechatpay-errors` lists.
 */
export type Place = 'document' | 'info' | 'pathItem' | 'operation' | 'parameter' | 'requestBody' | 'mediaType' | 'response' | 'header' | 'schema' | 'error';

export interface ReadContext {
  spec: LoadedSpec;
  /** The object the key is written on. */
  node: JsonObject;
  /** Where that object is. */
  at: At;
  place: Place;
  /** A SpecError at the key's line: `throw ctx.fail('sentence')`. */
  fail(message: string): SpecError;
}

export interface Extension<T> {
  /** Where the key may be written. */
  places: readonly Place[];
  /** What it means, in one line (for messages and the docs). */
  doc: string;
  /** The value as the generator uses it; throws `ctx.fail(…)` for a wrong value. */
  read(value: Json, ctx: ReadContext): T;
}

/** Encryption algorithms `x-wechatpay-encryption` may name. */
export const ENCRYPTION_VALUES = ['rsa-oaep-sha1'] as const;

/**
 * Where a fact comes from when it is not WeChat's page: `community` is the
 * community OpenAPI description TheNorthMemory/wechatpay-openapi (MIT).
 */
export const SOURCE_VALUES = ['community'] as const;

/** What a deviation on a field can cover, and what its `page` then holds. */
export const FIELD_ASPECTS = ['required', 'type', 'maxLength', 'enum', 'maximum', 'description'] as const;
export type Aspect = (typeof FIELD_ASPECTS)[number];

export type FieldDeviation = { aspect: Aspect; page: Json; reason: string };
export type ErrorDeviation = { page: string; reason: string };

export interface ErrorEntry {
  status: number;
  code: string;
  description: string;
  solution: string;
  at: At;
  deviation?: ErrorDeviation;
}

const ERROR_KEYS = ['status', 'code', 'description', 'solution', 'x-wechatpay-doc-deviation'];

export const EXTENSIONS = {
  'x-wechatpay-encryption': {
    places: ['schema'],
    doc: 'the string travels encrypted with RSA-OAEP (SHA-1), base64; the client encrypts request values, responses arrive encrypted',
    read(value, ctx): (typeof ENCRYPTION_VALUES)[number] {
      if (!(ENCRYPTION_VALUES as readonly Json[]).includes(value)) {
        throw ctx.fail(`unknown x-wechatpay-encryption value ${JSON.stringify(value)}; the known value is ${ENCRYPTION_VALUES.join(', ')}`);
      }
      const target = deref(ctx.spec.root, ctx.node, ctx.at).node;
      const type = isObject(target) ? target['type'] : undefined;
      if (type !== 'string') throw ctx.fail(`x-wechatpay-encryption marks a ${String(type ?? 'typeless')} schema; only strings can be encrypted (mark an array's items, not the array)`);
      return value as (typeof ENCRYPTION_VALUES)[number];
    },
  },
  'x-wechatpay-doc': {
    places: ['operation'],
    doc: "the doc page's title and its 更新时间 (YYYY-MM-DD), so the audit can tell when a page is newer",
    read(value, ctx): { title: string | undefined; updated: string | undefined } {
      if (!isObject(value)) throw ctx.fail('x-wechatpay-doc must be a mapping {title, updated}');
      const extra = Object.keys(value).find((k) => k !== 'title' && k !== 'updated');
      if (extra !== undefined) throw ctx.fail(`x-wechatpay-doc has unknown key ${JSON.stringify(extra)}; keys are title, updated`);
      const { title, updated } = value;
      if (title !== undefined && typeof title !== 'string') throw ctx.fail('x-wechatpay-doc.title must be a string');
      if (updated !== undefined && (typeof updated !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(updated))) {
        throw ctx.fail('x-wechatpay-doc.updated must be a quoted date "YYYY-MM-DD"');
      }
      return { title, updated };
    },
  },
  'x-wechatpay-errors': {
    places: ['operation'],
    doc: 'every documented error (HTTP status, code, description, remedy): `common` and `business` lists',
    read(value, ctx): { common: ErrorEntry[]; business: ErrorEntry[] } {
      if (!isObject(value)) throw ctx.fail('x-wechatpay-errors must be a mapping with `common` and `business` lists');
      const extra = Object.keys(value).find((k) => k !== 'common' && k !== 'business');
      if (extra !== undefined) throw ctx.fail(`x-wechatpay-errors has unknown key ${JSON.stringify(extra)}; keys are common, business`);
      const out = { common: [] as ErrorEntry[], business: [] as ErrorEntry[] };
      const base = [...ctx.at, 'x-wechatpay-errors'];
      for (const group of ['common', 'business'] as const) {
        const list = value[group] ?? [];
        if (!Array.isArray(list)) throw ctx.spec.error([...base, group], `x-wechatpay-errors.${group} must be a list`);
        list.forEach((e, i) => {
          const eAt = [...base, group, i];
          if (!isObject(e) || typeof e['status'] !== 'number' || typeof e['code'] !== 'string') throw ctx.spec.error(eAt, 'each documented error needs a numeric status and a code');
          // An unknown key is usually a flow mapping cut at an unquoted comma: quote descriptions.
          const unknown = Object.keys(e).filter((k) => !ERROR_KEYS.includes(k));
          if (unknown.length) throw ctx.spec.error(eAt, `documented error has unknown key ${JSON.stringify(unknown[0])}; keys are ${ERROR_KEYS.join(', ')} (quote texts that contain commas)`);
          const entry: ErrorEntry = { status: e['status'], code: e['code'], description: String(e['description'] ?? ''), solution: String(e['solution'] ?? ''), at: eAt };
          const deviation = readExtension(ctx.spec, e, eAt, 'error', 'x-wechatpay-doc-deviation');
          if (deviation) entry.deviation = deviation as ErrorDeviation;
          out[group].push(entry);
        });
      }
      return out;
    },
  },
  'x-wechatpay-doc-deviation': {
    places: ['schema', 'parameter', 'error'],
    doc: 'where the spec deliberately differs from the page, and why; the audit honours it while the page still says `page`',
    read(value, ctx): FieldDeviation | ErrorDeviation {
      if (ctx.place === 'error') {
        if (!isObject(value) || typeof value['page'] !== 'string' || typeof value['reason'] !== 'string' || Object.keys(value).length !== 2) {
          throw ctx.fail('x-wechatpay-doc-deviation on an error needs exactly `page` (the code as the page spells it) and `reason`');
        }
        return { page: value['page'], reason: value['reason'] };
      }
      if (!isObject(value) || typeof value['reason'] !== 'string' || !('page' in value)) throw ctx.fail('x-wechatpay-doc-deviation needs `aspect`, `page` and `reason`');
      const aspect = value['aspect'];
      if (!FIELD_ASPECTS.includes(aspect as Aspect)) throw ctx.fail(`x-wechatpay-doc-deviation: aspect must be one of ${FIELD_ASPECTS.join(', ')}`);
      const extra = Object.keys(value).find((k) => !['aspect', 'page', 'reason'].includes(k));
      if (extra !== undefined) throw ctx.fail(`x-wechatpay-doc-deviation has unknown key ${JSON.stringify(extra)}; keys are aspect, page, reason`);
      return { aspect: aspect as Aspect, page: value['page']!, reason: value['reason'] };
    },
  },
  'x-wechatpay-from-example': {
    places: ['schema'],
    doc: "the object's properties come from the page's request example only: nothing is required, no length is known",
    read(value, ctx): true {
      if (value !== true) throw ctx.fail('x-wechatpay-from-example must be `true` (leave it out otherwise)');
      if (ctx.node['type'] !== 'object' || !isObject(ctx.node['properties'])) throw ctx.fail('x-wechatpay-from-example belongs on an object schema with properties');
      if (ctx.node['required'] !== undefined) throw ctx.fail('x-wechatpay-from-example: an example cannot tell what is required; remove `required` or the marker');
      return true;
    },
  },
  'x-wechatpay-source': {
    places: ['operation', 'parameter', 'schema', 'response'],
    doc: "the facts here (names, types, enums, requiredness, encryption) come from the community description TheNorthMemory/wechatpay-openapi, not from WeChat's page, which has a gap there; no length is known",
    read(value, ctx): (typeof SOURCE_VALUES)[number] {
      if (!(SOURCE_VALUES as readonly Json[]).includes(value)) throw ctx.fail(`unknown x-wechatpay-source value ${JSON.stringify(value)}; the known value is ${SOURCE_VALUES.join(', ')} (facts from WeChat's page carry no marker)`);
      if (ctx.place === 'schema' && ctx.node['maxLength'] !== undefined) {
        throw ctx.fail('x-wechatpay-source: community beside maxLength: the community description states no lengths; a length comes from a WeChat page, so the field is not community-sourced in that respect');
      }
      return value as (typeof SOURCE_VALUES)[number];
    },
  },
  'x-enumDescriptions': {
    places: ['schema'],
    doc: "the meaning of each enum value, from the page's 可选取值 list",
    read(value, ctx): Record<string, string> {
      const values = ctx.node['enum'];
      if (!Array.isArray(values)) throw ctx.fail('x-enumDescriptions belongs beside an `enum`');
      if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) throw ctx.fail('x-enumDescriptions must map each enum value to a string');
      const names = values.map(String);
      const extra = Object.keys(value).find((k) => !names.includes(k));
      if (extra !== undefined) throw ctx.fail(`x-enumDescriptions describes ${JSON.stringify(extra)}, which is not a value of the enum`);
      return value as Record<string, string>;
    },
  },
  'x-wechatpay-local-server': {
    places: ['document'],
    doc: "`card-store`: the local server answers this spec's operations on the membership-card endpoints from the product's card store (the product's own spec); without it, from the spec's examples and schemas",
    read(value, ctx): 'card-store' {
      if (value !== 'card-store') throw ctx.fail(`unknown x-wechatpay-local-server value ${JSON.stringify(value)}; the known value is card-store`);
      return value;
    },
  },
  'x-wechatpay-resource': {
    places: ['operation'],
    doc: "on a webhook's operation: a $ref to the component schema of its resource once decrypted (AEAD_AES_256_GCM with the APIv3 key)",
    read(value, ctx): { name: string; at: At } {
      if (ctx.at[0] !== 'webhooks') throw ctx.fail("x-wechatpay-resource belongs on a webhook's operation (under `webhooks`): only notifications carry an encrypted resource");
      const target = isObject(value) && typeof value['$ref'] === 'string' ? deref(ctx.spec.root, value, [...ctx.at, 'x-wechatpay-resource']) : undefined;
      const isComponent = target?.at.length === 3 && target.at[0] === 'components' && target.at[1] === 'schemas';
      if (!target?.name || !isComponent) throw ctx.fail('x-wechatpay-resource must be a $ref to #/components/schemas/<Name>, so its type has a name');
      if (!isObject(target.node) || target.node['type'] !== 'object' || !isObject(target.node['properties'])) {
        throw ctx.spec.error(target.at, `x-wechatpay-resource names ${target.name}, which must be an object schema with properties`);
      }
      return { name: target.name, at: target.at };
    },
  },
} satisfies Record<string, Extension<unknown>>;

export type ExtensionName = keyof typeof EXTENSIONS;
type ValueOf<N extends ExtensionName> = ReturnType<(typeof EXTENSIONS)[N]['read']>;

const REGISTRY: Record<string, Extension<unknown>> = EXTENSIONS;

/** The checked value of extension `name` on `node` (an object of kind `place` at `at`), or undefined when absent. */
export function readExtension<N extends ExtensionName>(spec: LoadedSpec, node: JsonObject, at: At, place: Place, name: N): ValueOf<N> | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  const entry = REGISTRY[name]!;
  const keyAt = [...at, name];
  if (!entry.places.includes(place)) throw spec.error(keyAt, `${name} belongs on ${entry.places.map(article).join(' or ')}, not on ${article(place)}`);
  return entry.read(value, { spec, node, at, place, fail: (m) => spec.error(keyAt, m) }) as ValueOf<N>;
}

/** Checks every vendor extension in the document (see the top of this file), each on its own. */
export function checkExtensions(spec: LoadedSpec, problems: Problems): void {
  walkPlaces(spec.root, (node, at, place) => {
    for (const key of Object.keys(node)) {
      if (!key.startsWith('x-')) continue;
      problems.run(() => {
        if (key in REGISTRY) {
          readExtension(spec, node, at, place, key as ExtensionName);
          return;
        }
        const near = Object.keys(REGISTRY).find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
        if (key.startsWith('x-wechatpay') || near) {
          throw spec.error([...at, key], `unknown vendor extension ${key}${near ? ` (did you mean ${near}?)` : ''}; the generator knows ${Object.keys(REGISTRY).join(', ')}`);
        }
      });
    }
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Keywords whose values are schemas, lists of schemas, or maps of schemas.
const SUBSCHEMA = ['items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];

/**
 * Calls `visit` on every OpenAPI object of the document that can carry an
 * extension, with its kind. References are not followed: their targets are
 * visited where they are written.
 */
export function walkPlaces(root: JsonObject, visit: (node: JsonObject, at: At, place: Place) => void): void {
  const each = (parent: Json | undefined, at: At, f: (node: Json, at: At) => void) => {
    if (isObject(parent)) for (const [k, v] of Object.entries(parent)) f(v, [...at, k]);
    else if (Array.isArray(parent)) parent.forEach((v, i) => f(v, [...at, i]));
  };
  const schema = (node: Json, at: At): void => {
    if (!isObject(node)) return;
    visit(node, at, 'schema');
    for (const k of SUBSCHEMA) schema(node[k] ?? null, [...at, k]);
    for (const k of [...SUBSCHEMA_LISTS, ...SUBSCHEMA_MAPS]) each(node[k], [...at, k], schema);
  };
  const content = (node: Json | undefined, at: At) =>
    each(node, at, (media, mAt) => {
      if (!isObject(media)) return;
      visit(media, mAt, 'mediaType');
      schema(media['schema'] ?? null, [...mAt, 'schema']);
    });
  const parameter = (node: Json, at: At) => {
    if (!isObject(node)) return;
    visit(node, at, 'parameter');
    schema(node['schema'] ?? null, [...at, 'schema']);
    content(node['content'], [...at, 'content']);
  };
  const header = (node: Json, at: At) => {
    if (!isObject(node)) return;
    visit(node, at, 'header');
    schema(node['schema'] ?? null, [...at, 'schema']);
  };
  const requestBody = (node: Json, at: At) => {
    if (!isObject(node)) return;
    visit(node, at, 'requestBody');
    content(node['content'], [...at, 'content']);
  };
  const response = (node: Json, at: At) => {
    if (!isObject(node)) return;
    visit(node, at, 'response');
    each(node['headers'], [...at, 'headers'], header);
    content(node['content'], [...at, 'content']);
  };
  const operation = (node: JsonObject, at: At) => {
    visit(node, at, 'operation');
    each(node['parameters'], [...at, 'parameters'], parameter);
    requestBody(node['requestBody'] ?? null, [...at, 'requestBody']);
    each(node['responses'], [...at, 'responses'], response);
  };
  const pathItem = (node: Json, at: At) => {
    if (!isObject(node)) return;
    visit(node, at, 'pathItem');
    each(node['parameters'], [...at, 'parameters'], parameter);
    for (const m of METHODS) if (isObject(node[m])) operation(node[m], [...at, m]);
  };

  visit(root, [], 'document');
  if (isObject(root['info'])) visit(root['info'], ['info'], 'info');
  each(root['paths'], ['paths'], pathItem);
  each(root['webhooks'], ['webhooks'], pathItem);
  const c = isObject(root['components']) ? root['components'] : {};
  each(c['schemas'], ['components', 'schemas'], schema);
  each(c['parameters'], ['components', 'parameters'], parameter);
  each(c['requestBodies'], ['components', 'requestBodies'], requestBody);
  each(c['responses'], ['components', 'responses'], response);
  each(c['headers'], ['components', 'headers'], header);
  each(c['pathItems'], ['components', 'pathItems'], pathItem);
}

function article(place: Place): string {
  const words: Record<Place, string> = {
    document: 'the document root',
    info: 'info',
    pathItem: 'a path item',
    operation: 'an operation',
    parameter: 'a parameter',
    requestBody: 'a request body',
    mediaType: 'a media type',
    response: 'a response',
    header: 'a header',
    schema: 'a schema',
    error: 'a documented error',
  };
  return words[place];
}
