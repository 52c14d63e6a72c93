// The spec's side of the audit: the operation a page documents (as the
// generator's model reads it) turned into the same shape as the page: fields
// with required, type, maxLength, enum and properties, with the positions a
// maintainer edits and the deviations the spec records on purpose.
import { isDeepStrictEqual } from 'node:util';
import { readExtension, type Aspect, type FieldDeviation, type Place } from '../extensions.js';
import type { Json, JsonObject, LoadedSpec } from '../load.js';
import type { At, OperationModel } from '../model.js';
import { deref, isObject, lookup } from '../refs.js';

export type { Aspect };
/** `page` is what the page says, in the audit's terms (see info.description of the spec). */
export type Deviation = FieldDeviation;

export interface SpecField {
  name: string;
  required: boolean;
  type: string;
  maxLength?: number;
  enum?: string[];
  /** An object's (or array items') properties, and where they are written. */
  properties?: SpecField[];
  propertiesAt?: At;
  deviations: Deviation[];
  /** Marked x-wechatpay-source: community (on the field, its parameter or the schema it refers to). */
  community?: boolean;
  /** Where that mark is written, when it is on the field itself (own node or its schema) … */
  communityAt?: At;
  /** … or on what encloses it: the object, its response, the operation. */
  communityFrom?: At;
  /** The 【title】 and text, as written (on the property, the parameter or its schema). */
  description?: string;
  /** The meaning of each enum value (x-enumDescriptions). */
  enumMeanings?: Record<string, string>;
  /** Where each fact is written (or would be): --apply edits there. */
  places: { schema: At; maxLength: At; description: At; required: At; type: At };
  /** A parameter's entry in the operation's `parameters` list (the place a $ref'd parameter is listed). */
  listAt?: At | undefined;
  at: At;
  /** Where the field's schema is written, when that is a shared schema (a $ref): editing it there changes every field that uses it. */
  shared?: { name: string; at: At };
}

export interface SpecOperation {
  operationId: string;
  at: At;
  doc: { title: string | undefined; updated: string | undefined };
  params: { header: SpecField[]; path: SpecField[]; query: SpecField[]; body: SpecField[] };
  bodyAt?: At | undefined;
  response: { status: number; fields: SpecField[]; noBody: boolean; at?: At | undefined };
  errors: OperationModel['errors'];
}

/** The operation at `method path`, from the models the generator reads (and checks). */
export function findOperation(spec: LoadedSpec, ops: OperationModel[], method: string, path: string): SpecOperation | undefined {
  const op = ops.find((o) => o.method === method && o.path === path);
  if (!op) return undefined;
  // x-wechatpay-source: community on the operation, or on its success
  // response, covers every field under it, as it does on an object schema.
  const marked = (at: At) => {
    const node = deref(spec.root, lookup(spec.root, at as string[]), at).node;
    return isObject(node) && node['x-wechatpay-source'] !== undefined;
  };
  const opCommunity = marked(op.at) ? op.at : undefined;
  const responseAt = [...op.at, 'responses', String(op.successStatus)];
  const responseCommunity = opCommunity ?? (marked(responseAt) ? responseAt : undefined);
  const param = (name: string, schema: Json, schemaAt: At, required: boolean) => {
    const field = readField(spec, name, schema, schemaAt, required, opCommunity);
    // The parameter object itself, which may carry its own deviation and description.
    field.at = schemaAt.slice(0, -1);
    field.places.required = [...field.at, 'required'];
    const node = lookup(spec.root, field.at as string[]);
    if (isObject(node)) {
      field.deviations.push(...deviations(spec, node, field.at, 'parameter'));
      if (node['x-wechatpay-source'] !== undefined) field.communityAt = field.at;
      if (typeof node['description'] === 'string' || field.description === undefined) {
        field.places.description = [...field.at, 'description'];
        if (typeof node['description'] === 'string') field.description = node['description'];
      }
    }
    field.listAt = listed(spec, op, field.at);
    // A parameter shared by $ref may carry a description of its own use beside the $ref (OpenAPI 3.1).
    const entry = field.listAt && lookup(spec.root, field.listAt as string[]);
    if (isObject(entry) && typeof entry['$ref'] === 'string') {
      field.places.description = [...field.listAt!, 'description'];
      if (typeof entry['description'] === 'string') field.description = entry['description'];
    }
    return field;
  };
  const body = op.body ? readObject(spec, op.body.schema, op.body.at, opCommunity) : undefined;
  const response = op.responseSchema ? readObject(spec, op.responseSchema.schema, op.responseSchema.at, responseCommunity) : undefined;
  const where = (w: 'path' | 'query') => op.params.filter((p) => p.in === w).map((p) => param(p.name, p.schema, p.schemaAt, p.required));
  return {
    operationId: op.operationId,
    at: op.at,
    doc: { title: op.docTitle, updated: op.docUpdated },
    params: {
      header: op.headers.map((h) => param(h.name, h.schema, [...h.at, 'schema'], h.required)),
      path: where('path'),
      query: where('query'),
      body: body?.fields ?? [],
    },
    bodyAt: body?.at,
    response: { status: op.successStatus, fields: response?.fields ?? [], noBody: !response, at: response?.at },
    errors: op.errors,
  };
}

/** `community`: the object lies under a community mark (written there), so its properties are the community's too. */
function readObject(spec: LoadedSpec, schema: Json | undefined, at: At, community?: At): { fields: SpecField[]; at: At } {
  const { node, at: sAt } = deref(spec.root, schema, at);
  if (!isObject(node) || !isObject(node['properties'])) return { fields: [], at: sAt };
  const required = Array.isArray(node['required']) ? node['required'].map(String) : [];
  const props = node['properties'];
  const inherited = node['x-wechatpay-source'] !== undefined ? sAt : community;
  return {
    fields: Object.keys(props).map((name) => {
      const field = readField(spec, name, props[name], [...sAt, 'properties', name], required.includes(name), inherited);
      field.places.required = [...sAt, 'required'];
      return field;
    }),
    at: [...sAt, 'properties'],
  };
}

function readField(spec: LoadedSpec, name: string, raw: Json | undefined, at: At, required: boolean, inherited?: At): SpecField {
  // A property may carry its own annotations next to a $ref (OpenAPI 3.1).
  const own = isObject(raw) ? raw : {};
  const { node, at: sAt, name: refName } = deref(spec.root, raw, at);
  const schema = isObject(node) ? node : {};
  // A fact beside a $ref (the field's own node) wins over the shared schema's, and is edited there.
  const where = (key: string): At => (own !== schema && own[key] !== undefined ? [...at, key] : [...sAt, key]);
  // A description is of the field's use: beside a $ref, not in the shared schema, which other pages word otherwise.
  const places = { schema: sAt, maxLength: where('maxLength'), description: own !== schema ? [...at, 'description'] : [...sAt, 'description'], required: [], type: [...sAt, 'type'] };
  const field: SpecField = { name, required, type: typeOf(spec, schema, sAt), deviations: [...deviations(spec, own, at, 'schema'), ...(own === schema ? [] : deviations(spec, schema, sAt, 'schema'))], places, at };
  if (refName !== undefined) field.shared = { name: refName, at: sAt };
  if (inherited || own['x-wechatpay-source'] !== undefined || schema['x-wechatpay-source'] !== undefined) field.community = true;
  if (own['x-wechatpay-source'] !== undefined) field.communityAt = at;
  else if (schema['x-wechatpay-source'] !== undefined) field.communityAt = sAt;
  else if (inherited) field.communityFrom = inherited;
  const maxLength = own['maxLength'] ?? schema['maxLength'];
  if (typeof maxLength === 'number') field.maxLength = maxLength;
  const description = own['description'] ?? schema['description'];
  if (typeof description === 'string') field.description = description;
  if (Array.isArray(schema['enum'])) field.enum = schema['enum'].map(String);
  const meanings = schema['x-enumDescriptions'];
  if (isObject(meanings)) field.enumMeanings = Object.fromEntries(Object.entries(meanings).map(([k, v]) => [k, String(v)]));
  const container = schema['type'] === 'array' ? deref(spec.root, schema['items'], [...sAt, 'items']) : { node: schema, at: sAt };
  if (isObject(container.node) && isObject(container.node['properties'])) {
    const inner = readObject(spec, container.node, container.at, field.communityAt ?? field.communityFrom);
    field.properties = inner.fields;
    field.propertiesAt = inner.at;
  }
  return field;
}

/** The entry of the operation's (or its path's) `parameters` list that is, or refers to, the parameter at `at`. */
function listed(spec: LoadedSpec, op: OperationModel, at: At): At | undefined {
  for (const listAt of [[...op.at, 'parameters'], [...op.at.slice(0, -1), 'parameters']]) {
    const list = lookup(spec.root, listAt as string[]);
    if (!Array.isArray(list)) continue;
    const i = list.findIndex((raw, k) => isDeepStrictEqual(deref(spec.root, raw, [...listAt, k]).at, at));
    if (i >= 0) return [...listAt, i];
  }
  return undefined;
}

function typeOf(spec: LoadedSpec, schema: JsonObject, at: At): string {
  if (schema['type'] === 'array') {
    const { node } = deref(spec.root, schema['items'], [...at, 'items']);
    return `array[${isObject(node) ? typeOf(spec, node, at) : 'unknown'}]`;
  }
  if (typeof schema['type'] === 'string') return schema['type'];
  return isObject(schema['properties']) ? 'object' : 'unknown';
}

// Read through the extension registry, which has already checked every one of them.
function deviations(spec: LoadedSpec, node: JsonObject, at: At, place: Place): Deviation[] {
  const dev = readExtension(spec, node, at, place, 'x-wechatpay-doc-deviation');
  return dev ? [dev as Deviation] : [];
}
