// `allOf` of object schemas, merged into one object schema in place, so that
// every later step (the rules of the client and the local server, the types
// openapi-typescript writes, the hovers) reads one plain object and they
// cannot disagree. WeChat's shapes are built this way (a payment's base
// fields, then the JSAPI-only ones).
//
// What merges: members that are object schemas, written inline or as a $ref
// (a referenced schema that is itself an allOf is merged first), and the
// object keywords beside `allOf`. Properties are united, `required` too;
// the same property in two members must be the same schema (annotations
// aside). Refused at the member's line: a member that is not an object (an
// intersection of two string enums is not their union, as a description may
// mean), a property two members define differently, members that disagree on
// keeping unknown fields. keywords.ts has checked every member on
// its own before this runs.
import { ALL_OF, ANNOTATIONS, BESIDE_ALL_OF } from './keywords.js';
import type { Json, JsonObject, LoadedSpec } from './load.js';
import { deref, isObject } from './refs.js';
import { walkPlaces, type At } from './extensions.js';
import type { Problems } from './spec-error.js';

/** Replaces every `allOf` schema of the document by the object it means. */
export function mergeAllOf(spec: LoadedSpec, problems: Problems): void {
  const found: { node: JsonObject; at: At }[] = [];
  walkPlaces(spec.root, (node, at, place) => {
    if (place === 'schema' && node[ALL_OF] !== undefined) found.push({ node, at });
  });
  const merger = new Merger(spec);
  // Each allOf is one part: a refused one stays unmerged, and the operations on it are refused where they read it.
  for (const { node, at } of found) problems.run(() => merger.merge(node, at));
}

const BESIDE = 'the schema beside allOf';

interface Member {
  schema: JsonObject;
  /** Where the member is written (for a $ref, where the $ref is). */
  at: At;
  /** How a message names it. */
  label: string;
}

class Merger {
  private readonly done = new WeakSet<JsonObject>();
  private readonly inProgress = new WeakSet<JsonObject>();

  constructor(private readonly spec: LoadedSpec) {}

  merge(node: JsonObject, at: At): void {
    if (this.done.has(node) || node[ALL_OF] === undefined) return;
    if (this.inProgress.has(node)) throw this.spec.error([...at, ALL_OF], 'allOf refers back to the schema it is in; recursive schemas are not supported');
    this.inProgress.add(node);
    const list = node[ALL_OF] as Json[];
    const members: Member[] = list.map((raw, i) => this.member(raw, [...at, ALL_OF, i], i));
    // The object keywords beside allOf are one more member.
    const own: JsonObject = {};
    for (const k of BESIDE_ALL_OF) if (node[k] !== undefined) own[k] = node[k]!;
    if (Object.keys(own).length) members.unshift({ schema: own, at, label: BESIDE });

    const properties: JsonObject = {};
    const owner = new Map<string, Member>();
    const required = new Map<string, Member>();
    for (const m of members) {
      const props = isObject(m.schema['properties']) ? m.schema['properties'] : {};
      for (const [name, schema] of Object.entries(props)) {
        const first = owner.get(name);
        if (first && canonical(properties[name]!) !== canonical(schema)) {
          throw this.spec.error(
            m.label === BESIDE ? [...m.at, 'properties', name] : m.at,
            `allOf: property ${name} is defined by ${first.label} (line ${this.spec.lineOf(first.at) ?? '?'}) and by ${m.label} with different schemas; a value cannot be both, so define it once`,
          );
        }
        if (!first) {
          owner.set(name, m);
          properties[name] = schema;
        }
      }
      for (const r of Array.isArray(m.schema['required']) ? m.schema['required'] : []) if (!required.has(String(r))) required.set(String(r), m);
    }
    const missing = [...required].find(([r]) => !(r in properties));
    if (missing !== undefined) {
      const [name, m] = missing;
      throw this.spec.error(m.label === BESIDE ? [...m.at, 'required'] : m.at, `allOf: required names ${JSON.stringify(name)}, which no member defines as a property`);
    }

    // null is a value when the schema beside allOf says so (OpenAPI 3.0's way to make a reference nullable), or when every member allows it.
    const allowsNull = (m: Member) => m.schema['nullable'] === true || (Array.isArray(m.schema['type']) && m.schema['type'].includes('null'));
    const beside = members.find((m) => m.label === BESIDE);
    const nullable = (beside !== undefined && allowsNull(beside)) || members.every(allowsNull);
    const open = members.map((m) => m.schema['additionalProperties'] === true);
    if (open.some(Boolean) && !open.every(Boolean)) {
      throw this.spec.error([...at, ALL_OF], 'allOf: the members disagree on additionalProperties: true (keeping fields the spec does not list); set it on every member, or none');
    }

    delete node[ALL_OF];
    for (const k of BESIDE_ALL_OF) delete node[k];
    node['type'] = nullable ? ['object', 'null'] : 'object';
    node['properties'] = properties;
    if (required.size) node['required'] = [...required.keys()];
    if (open.every(Boolean)) node['additionalProperties'] = true;
    else if (members.some((m) => m.schema['additionalProperties'] === false)) node['additionalProperties'] = false;
    this.inProgress.delete(node);
    this.done.add(node);
  }

  private member(raw: Json, at: At, i: number): Member {
    const target = deref(this.spec.root, raw, at);
    const schema = target.node;
    const label = target.name !== undefined ? `member ${i + 1} (${target.name})` : `member ${i + 1}`;
    if (!isObject(schema)) throw this.spec.error(at, `allOf: ${label} is not a schema`);
    // A referenced allOf is merged first, where it is written.
    if (schema[ALL_OF] !== undefined) this.merge(schema, target.at);
    const type = Array.isArray(schema['type']) ? schema['type'].find((t) => t !== 'null') : schema['type'];
    if (type !== undefined && type !== 'object') {
      throw this.spec.error(at, `allOf merges object schemas only: ${label} is ${JSON.stringify(type)} (an allOf of scalars means a value that is all of them at once; for a list of allowed values write one enum)`);
    }
    if (type === undefined && schema['properties'] === undefined && schema['required'] === undefined) {
      throw this.spec.error(at, `allOf merges object schemas only: ${label} has no type, properties or required`);
    }
    return { schema, at, label };
  }
}

/** Extensions that only describe: two definitions differing in them are the same field. */
const NOTES = ['x-enumDescriptions', 'x-wechatpay-source', 'x-wechatpay-doc-deviation'];

/** A schema as text without what only describes, so that two definitions of one field that differ only in description compare equal. */
function canonical(schema: Json): string {
  const strip = (v: Json): Json => {
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) {
      if (ANNOTATIONS.includes(k) || NOTES.includes(k)) continue;
      const value = v[k]!;
      if (k === 'properties' && isObject(value)) out[k] = Object.fromEntries(Object.keys(value).sort().map((p) => [p, strip(value[p]!)]));
      else if (k === 'items' || k === ALL_OF) out[k] = Array.isArray(value) ? value.map(strip) : strip(value);
      else out[k] = value;
    }
    return out;
  };
  return JSON.stringify(strip(schema));
}
