// The spec's side of the audit: the operation a page documents (as the
// generator's model reads it) turned into the same shape as the page: fields
// with required, type, maxLength, enum and properties, with the positions a
// maintainer edits and the deviations the spec records on purpose.
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
  at: At;
  /** Where the field's schema is written, when that is a shared schema (a $ref): editing it there changes every field that uses it. */
  shared?: { name: string; at: At };
}

export interface SpecOperation {
  operationId: string;
  at: At;
  doc: { title: string | undefined; updated: string | undefined };
  params: { header: SpecField[]; path: SpecField[]; query: SpecField[]; body: SpecField[] };
  bodyAt?: At;
  response: { status: number; fields: SpecField[]; noBody: boolean; at?: At };
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
  const opCommunity = marked(op.at);
  const responseCommunity = opCommunity || marked([...op.at, 'responses', String(op.successStatus)]);
  const param = (name: string, schema: Json, schemaAt: At, required: boolean) => {
    const field = readField(spec, name, schema, schemaAt, required, opCommunity);
    // The parameter object itself, which may carry its own deviation.
    field.at = schemaAt.slice(0, -1);
    const node = lookup(spec.root, field.at as string[]);
    if (isObject(node)) field.deviations.push(...deviations(spec, node, field.at, 'parameter'));
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

/** `community`: the object lies under a community mark, so its properties are the community's too. */
function readObject(spec: LoadedSpec, schema: Json | undefined, at: At, community = false): { fields: SpecField[]; at: At } {
  const { node, at: sAt } = deref(spec.root, schema, at);
  if (!isObject(node) || !isObject(node['properties'])) return { fields: [], at: sAt };
  const required = Array.isArray(node['required']) ? node['required'].map(String) : [];
  const props = node['properties'];
  const inherited = community || node['x-wechatpay-source'] !== undefined;
  return {
    fields: Object.keys(props).map((name) => readField(spec, name, props[name], [...sAt, 'properties', name], required.includes(name), inherited)),
    at: [...sAt, 'properties'],
  };
}

function readField(spec: LoadedSpec, name: string, raw: Json | undefined, at: At, required: boolean, inherited = false): SpecField {
  // A property may carry its own annotations next to a $ref (OpenAPI 3.1).
  const own = isObject(raw) ? raw : {};
  const { node, at: sAt, name: refName } = deref(spec.root, raw, at);
  const schema = isObject(node) ? node : {};
  const field: SpecField = { name, required, type: typeOf(spec, schema, sAt), deviations: [...deviations(spec, own, at, 'schema'), ...(own === schema ? [] : deviations(spec, schema, sAt, 'schema'))], at };
  if (refName !== undefined) field.shared = { name: refName, at: sAt };
  if (inherited || own['x-wechatpay-source'] !== undefined || schema['x-wechatpay-source'] !== undefined) field.community = true;
  const maxLength = own['maxLength'] ?? schema['maxLength'];
  if (typeof maxLength === 'number') field.maxLength = maxLength;
  if (Array.isArray(schema['enum'])) field.enum = schema['enum'].map(String);
  const container = schema['type'] === 'array' ? deref(spec.root, schema['items'], [...sAt, 'items']) : { node: schema, at: sAt };
  if (isObject(container.node) && isObject(container.node['properties'])) {
    const inner = readObject(spec, container.node, container.at, field.community);
    field.properties = inner.fields;
    field.propertiesAt = inner.at;
  }
  return field;
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
