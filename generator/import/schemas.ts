// Schemas of the source, converted to OpenAPI 3.1 schemas the generator reads.
//
// A `$ref` to a schema becomes a shared schema of the output
// (`#/components/schemas/Name`), named after the last part of its reference
// (`Enumerations.yaml#CouponCodeMode` → `CouponCodeMode`, a whole file after
// its name), so a shared enumeration stays one named type with its `type` and
// `enum`. Two different targets with one name: the later is prefixed with its
// file's name (`MemberCardRecord`), then numbered.
//
// `allOf` is merged into one object: members' properties and `required`
// together, a property two members give differently reported (the first
// kept). Swagger's `x-nullable` and OpenAPI 3.0's `nullable` become the 3.1
// type list [T, "null"]. Keywords the generator cannot enforce on the type are
// dropped and reported; a schema that cannot be carried at all (`type: file`,
// no type that can be told, a reference to nothing) is a `not-carried`
// finding, which keeps every operation that uses it out of the output.
import type { Json, JsonObject } from '../load.js';
import { ANNOTATIONS, KEYWORDS, type SchemaType } from '../keywords.js';
import { isObject, refOf, type At, type Place, type SourceReader } from './read.js';
import type { Finding, FindingKind, Tally } from './report.js';
import { applyConventions, supportedKeywords, type Notes } from './wechat.js';

/** Where the findings of a conversion go, and the shared schemas it refers to. */
export interface Sink {
  findings: Finding[];
  uses: Set<string>;
}

interface Component {
  schema: Json;
  sink: Sink;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

// Names the generated code uses from TypeScript's and JavaScript's globals: a
// shared schema by that name would hide them, so it is prefixed like a clash.
const GLOBALS = new Set(['Array', 'Boolean', 'Date', 'Error', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Omit', 'Partial', 'Pick', 'Promise', 'Readonly', 'ReadonlyArray', 'Record', 'Required', 'Set', 'String', 'Symbol', 'Buffer', 'URL']);

export class SchemaConverter {
  private readonly components = new Map<string, Component>();
  private readonly nameOf = new Map<string, string>();
  private readonly inlining: string[] = [];

  constructor(
    private readonly reader: SourceReader,
    private readonly mapped: Tally,
  ) {}

  /** The schema written at `place`, converted; findings and shared schemas used go to `sink`. */
  convert(node: Json | undefined, place: Place, sink: Sink): Json {
    const ref = refOf(node);
    if (ref !== undefined) return this.reference(ref, node as JsonObject, place, sink);
    if (!isObject(node)) {
      this.note(sink, place, 'not-carried', `a schema must be a mapping, found ${JSON.stringify(node)}`);
      return { type: 'string' };
    }
    const s = this.own(node, place, sink);
    if (Array.isArray(node['allOf'])) this.mergeAllOf(s, node['allOf'], { file: place.file, at: [...place.at, 'allOf'] }, sink);
    if (this.settleType(s, place, sink)) applyConventions(s, this.notes(sink, place));
    if ((node['x-nullable'] === true || node['nullable'] === true) && typeof s['type'] === 'string') s['type'] = [s['type'], 'null'];
    this.dropUnsupported(s, place, sink);
    return s;
  }

  /** The shared schemas every sink in `uses` reaches, by name, sorted. */
  closure(uses: Iterable<string>): string[] {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const n of this.components.get(name)?.sink.uses ?? []) visit(n);
    };
    for (const n of uses) visit(n);
    return [...seen].sort();
  }

  component(name: string): Component {
    return this.components.get(name)!;
  }

  where(place: Place): string {
    return this.reader.where(place);
  }

  private reference(ref: string, node: JsonObject, place: Place, sink: Sink): Json {
    const t = this.reader.resolve(ref, place.file);
    if (typeof t === 'string') {
      this.note(sink, { file: place.file, at: [...place.at, '$ref'] }, 'not-carried', `$ref ${t}`);
      return { type: 'string' };
    }
    const key = `${t.file.abs}#${t.at.join('/')}`;
    let name = this.nameOf.get(key);
    if (name === undefined) {
      name = this.freshName(t.at.length ? String(t.at[t.at.length - 1]) : stem(t.file.label), t.file.label);
      this.nameOf.set(key, name);
      const component: Component = { schema: null, sink: { findings: [], uses: new Set() } };
      this.components.set(name, component);
      component.schema = this.convert(t.value, t, component.sink);
    }
    sink.uses.add(name);
    const out: JsonObject = { $ref: `${SCHEMA_REF_PREFIX}${name}` };
    // Beside a $ref the generator reads only annotations; the community writes a description there.
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') continue;
      if (ANNOTATIONS.includes(k)) out[k] = v;
      else this.note(sink, { file: place.file, at: [...place.at, k] }, 'dropped', `\`${k}\` beside $ref ${ref} (put it in the referenced schema)`);
    }
    return out;
  }

  private freshName(wanted: string, fileLabel: string): string {
    const clean = wanted.replace(/[^\w$]/g, '_') || 'Schema';
    const taken = (n: string) => this.components.has(n) || GLOBALS.has(n);
    if (!taken(clean)) return clean;
    const prefixed = `${pascal(stem(fileLabel))}${clean}`;
    if (!taken(prefixed)) return prefixed;
    for (let i = 2; ; i++) if (!taken(`${prefixed}${i}`)) return `${prefixed}${i}`;
  }

  /** The schema's own keywords, members converted; `allOf` is merged afterwards. */
  private own(node: JsonObject, place: Place, sink: Sink): JsonObject {
    const s: JsonObject = {};
    const misplaced = misplacedProperties(node);
    if (misplaced.length) {
      this.note(sink, place, 'repaired', `${misplaced.join(', ')} written beside \`properties\` instead of under it (a mis-indented block): read as properties`);
      node = { ...node, properties: { ...(isObject(node['properties']) ? node['properties'] : {}), ...Object.fromEntries(misplaced.map((k) => [k, node[k]!])) } };
      for (const k of misplaced) delete node[k];
    } else if (node['properties'] === null) {
      this.note(sink, place, 'repaired', '`properties` is empty: an object with no properties');
      node = { ...node, properties: {} };
    }
    for (const [k, v] of Object.entries(node)) {
      const at = { file: place.file, at: [...place.at, k] };
      if (k === 'allOf' || k === 'x-nullable' || k === 'nullable') continue;
      if (k === 'xml') {
        this.mapped.add('xml (how a value is written in XML) left out');
        continue;
      }
      if (k.startsWith('x-')) {
        this.mapped.add(`extension ${k} left out (not one the generator reads)`);
        continue;
      }
      if (k === 'properties') s[k] = this.properties(v, at, sink);
      else if (k === 'items') s[k] = this.convert(v, at, sink);
      else if (k === 'additionalProperties' && v !== false) this.note(sink, at, 'not-carried', 'additionalProperties (a map of any key) cannot be enforced');
      else if (k === 'anyOf' || k === 'oneOf' || k === 'not') this.note(sink, at, 'not-carried', `\`${k}\` cannot be enforced by the generated client`);
      else s[k] = v;
    }
    return s;
  }

  private properties(v: Json, place: Place, sink: Sink): JsonObject {
    const out: JsonObject = {};
    if (!isObject(v)) {
      this.note(sink, place, 'not-carried', '`properties` must be a mapping');
      return out;
    }
    for (const [name, prop] of Object.entries(v)) {
      const at = { file: place.file, at: [...place.at, name] };
      // A block indented one level too deep puts keywords (`type: string`) where property names belong.
      if (!isObject(prop)) {
        this.note(sink, at, 'repaired', `property ${name} is ${JSON.stringify(prop)}, not a schema (a mis-indented block?): left out`);
        continue;
      }
      out[name] = this.convert(prop, at, sink);
    }
    return out;
  }

  /** Merges the members of `allOf` (each an object, by reference or written out) into `s`. */
  private mergeAllOf(s: JsonObject, members: Json[], place: Place, sink: Sink): void {
    this.mapped.add('allOf of objects → one object');
    members.forEach((m, i) => {
      const mPlace = { file: place.file, at: [...place.at, i] };
      const part = this.inline(m, mPlace, sink);
      if (!isObject(part)) return;
      if (part['type'] !== 'object' && !isObject(part['properties'])) return this.mergeValue(s, part, i, mPlace, sink);
      s['type'] ??= 'object';
      const props = isObject(s['properties']) ? s['properties'] : (s['properties'] = {});
      for (const [name, schema] of Object.entries(isObject(part['properties']) ? part['properties'] : {})) {
        if (props[name] === undefined) props[name] = schema;
        else if (JSON.stringify(props[name]) !== JSON.stringify(schema)) this.note(sink, mPlace, 'repaired', `allOf members give property ${name} differently: the first kept`);
      }
      const req = [...(Array.isArray(s['required']) ? s['required'] : []), ...(Array.isArray(part['required']) ? part['required'] : [])];
      if (req.length) s['required'] = [...new Set(req)];
      if (s['description'] === undefined && part['description'] !== undefined) s['description'] = part['description'];
    });
  }

  /** A member of `allOf` that is not an object (`allOf: [$ref: Enum, {enum: [A]}]`): of one type with the rest; enums intersected, other keywords the first's. */
  private mergeValue(s: JsonObject, part: JsonObject, i: number, place: Place, sink: Sink): void {
    const type = s['type'] ?? part['type'];
    if (part['type'] !== undefined && part['type'] !== type) {
      this.note(sink, place, 'not-carried', `allOf member ${i} is of type ${JSON.stringify(part['type'])}, another member of ${JSON.stringify(type)}: no value is both`);
      return;
    }
    if (type !== undefined) s['type'] = type;
    for (const [k, v] of Object.entries(part)) {
      if (k === 'enum' && Array.isArray(s['enum']) && Array.isArray(v)) {
        const both = s['enum'].filter((x) => v.some((y) => JSON.stringify(x) === JSON.stringify(y)));
        if (both.length) s['enum'] = both;
        else {
          // The community extends an enumeration this way (`allOf: [$ref: BillType, {enum: [RECHARGE_REFUND]}]`).
          s['enum'] = [...s['enum'], ...v];
          this.note(sink, place, 'repaired', `allOf members' enums have no value in common (the description means either list): read as one list of ${s['enum'].length} values`);
        }
      } else if (s[k] === undefined) s[k] = v;
      else if (k !== 'description' && k !== 'example' && JSON.stringify(s[k]) !== JSON.stringify(v)) this.note(sink, place, 'repaired', `allOf members give \`${k}\` differently: the first kept`);
    }
  }

  /** A member of `allOf`, converted and with its reference followed, so its properties can be merged. */
  private inline(m: Json, place: Place, sink: Sink): Json {
    const ref = refOf(m);
    if (ref === undefined) return this.convert(m, place, sink);
    const t = this.reader.resolve(ref, place.file);
    if (typeof t === 'string') {
      this.note(sink, place, 'not-carried', `$ref ${t}`);
      return null;
    }
    const key = `${t.file.abs}#${t.at.join('/')}`;
    if (this.inlining.includes(key)) {
      this.note(sink, place, 'not-carried', `allOf member ${ref} contains itself`);
      return null;
    }
    this.inlining.push(key);
    try {
      return refOf(t.value) === undefined ? this.convert(t.value, t, sink) : this.inline(t.value, t, sink);
    } finally {
      this.inlining.pop();
    }
  }

  /** Gives the schema one type the generator knows, or reports why it has none (then false). */
  private settleType(s: JsonObject, place: Place, sink: Sink): boolean {
    const at = { file: place.file, at: [...place.at, 'type'] };
    if (s['type'] === undefined) {
      const inferred = isObject(s['properties']) ? 'object' : s['items'] !== undefined ? 'array' : enumType(s['enum']);
      if (inferred) {
        s['type'] = inferred;
        this.mapped.add(`no type, ${inferred === 'object' ? 'properties' : inferred === 'array' ? 'items' : 'enum'} → type ${inferred}`);
      } else {
        this.note(sink, place, 'not-carried', 'a schema with no type (it would accept anything)');
        return false;
      }
    }
    if (s['type'] === 'array' && s['items'] === undefined) {
      const item = exampleType(s['example']);
      if (!item) {
        this.note(sink, place, 'not-carried', 'an array with no `items` and no example to tell them (its items would be anything)');
        return false;
      }
      s['items'] = { type: item };
      this.note(sink, place, 'repaired', `an array with no \`items\`: items of type ${item}, as its example shows`);
    }
    if (s['type'] === 'file') {
      this.note(sink, at, 'not-carried', 'type file (an upload or a download)');
      return false;
    }
    return true;
  }

  private dropUnsupported(s: JsonObject, place: Place, sink: Sink): void {
    const t = s['type'];
    const name = Array.isArray(t) ? t.find((x) => x !== 'null') : t;
    if (typeof name !== 'string' || !(name in KEYWORDS)) {
      if (t !== 'file' && t !== undefined) this.note(sink, { file: place.file, at: [...place.at, 'type'] }, 'not-carried', `type ${JSON.stringify(t)} is not a JSON Schema type`);
      return;
    }
    const allowed = supportedKeywords(name as SchemaType);
    for (const k of Object.keys(s)) {
      if (allowed.includes(k) || ANNOTATIONS.includes(k) || k.startsWith('x-')) continue;
      delete s[k];
      this.note(sink, { file: place.file, at: [...place.at, k] }, 'dropped', `\`${k}\` on a ${name} schema (the generator cannot enforce it)`);
    }
    if (Array.isArray(s['enum'])) {
      // YAML reads an unquoted `- 2401` as a number: in a string enum it is the text WeChat sends.
      const unquoted = s['enum'].filter((v) => (name === 'string' ? typeof v === 'number' || typeof v === 'boolean' : (name === 'integer' || name === 'number') && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))));
      if (unquoted.length) {
        s['enum'] = s['enum'].map((v) => (unquoted.includes(v) ? (name === 'string' ? String(v) : Number(v)) : v));
        this.note(sink, { file: place.file, at: [...place.at, 'enum'] }, 'repaired', `enum values ${unquoted.map((b) => JSON.stringify(b)).join(', ')} of a ${name} schema: read as ${name === 'string' ? 'text' : 'numbers'}`);
      }
      const ok = (v: Json) => (v === null ? Array.isArray(t) : fits(name as SchemaType, v));
      const bad = s['enum'].filter((v) => !ok(v));
      if (bad.length) {
        s['enum'] = s['enum'].filter(ok);
        if (s['enum'].length === 0) delete s['enum'];
        this.note(sink, { file: place.file, at: [...place.at, 'enum'] }, 'repaired', `enum values ${bad.map((b) => JSON.stringify(b)).join(', ')} are not of type ${name}: left out`);
      }
    }
    if (typeof s['pattern'] === 'string' && !validPattern(s['pattern'])) {
      this.note(sink, { file: place.file, at: [...place.at, 'pattern'] }, 'dropped', `pattern ${s['pattern']} is not a valid regular expression in Unicode mode (as the client checks patterns)`);
      delete s['pattern'];
    }
    if (s['default'] !== undefined && !fits(name as SchemaType, s['default'])) {
      this.note(sink, { file: place.file, at: [...place.at, 'default'] }, 'dropped', `default ${JSON.stringify(s['default'])} is not of type ${name}`);
      delete s['default'];
    }
  }

  private notes(sink: Sink, place: Place): Notes {
    return {
      mapped: (rule) => this.mapped.add(rule),
      repaired: (m) => this.note(sink, place, 'repaired', m),
      dropped: (m) => this.note(sink, place, 'dropped', m),
    };
  }

  note(sink: Sink, place: Place, kind: FindingKind, message: string): void {
    sink.findings.push({ kind, message, where: this.reader.where(place) });
  }
}

/** Every keyword of JSON Schema and OpenAPI's schema object: any other key holding a schema, beside `properties`, is a property indented one level too shallow. */
const KNOWN = new Set(['$ref', 'type', 'format', 'enum', 'const', 'default', 'title', 'description', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'nullable', 'discriminator', 'xml', 'externalDocs', 'properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties', 'items', 'minItems', 'maxItems', 'uniqueItems', 'allOf', 'anyOf', 'oneOf', 'not', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern']);

function misplacedProperties(node: JsonObject): string[] {
  if (!('properties' in node)) return [];
  return Object.keys(node).filter((k) => !KNOWN.has(k) && !k.startsWith('x-') && isObject(node[k]) && ['type', '$ref', 'properties', 'items', 'allOf'].some((w) => w in (node[k] as JsonObject)));
}

/** The type of an example value, or of an array example's first element. */
function exampleType(v: Json | undefined): SchemaType | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'string') return 'string';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  if (typeof x === 'boolean') return 'boolean';
  return undefined;
}

function enumType(e: Json | undefined): SchemaType | undefined {
  if (!Array.isArray(e) || e.length === 0) return undefined;
  if (e.every((v) => typeof v === 'string')) return 'string';
  if (e.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  return undefined;
}

function fits(type: SchemaType, v: Json): boolean {
  if (v === null) return false;
  if (type === 'integer') return typeof v === 'number' && Number.isSafeInteger(v);
  if (type === 'array') return Array.isArray(v);
  if (type === 'object') return isObject(v);
  return typeof v === type;
}

function validPattern(p: string): boolean {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}

function stem(label: string): string {
  return (label.split('/').pop() ?? label).replace(/\.(ya?ml|json)$/i, '');
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export type { At };
