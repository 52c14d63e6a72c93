// The spec's side of the audit: the operation a page documents, read into the
// same shape as the page (fields with required, type, maxLength, enum and
// properties; errors), with the positions a maintainer edits and the
// deviations the spec records on purpose.
import type { Json, JsonObject, LoadedSpec } from '../load.js';
import { deref, isObject } from '../refs.js';

type At = (string | number)[];

/** What a deviation can cover on a field, and what `page` then holds. */
export const FIELD_ASPECTS = ['required', 'type', 'maxLength', 'enum', 'maximum'] as const;
export type Aspect = (typeof FIELD_ASPECTS)[number];

export interface Deviation {
  aspect: Aspect | 'code';
  /** What the page says, in the audit's terms (see info.description of the spec). */
  page: Json;
  reason: string;
}

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
  at: At;
  /** Where the field's schema is written, when that is a shared schema (a $ref): editing it there changes every field that uses it. */
  shared?: { name: string; at: At };
}

export interface SpecErrorEntry {
  status: number;
  code: string;
  description: string;
  solution: string;
  deviation?: Deviation;
  at: At;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  at: At;
  doc: { title?: string; updated?: string };
  params: { header: SpecField[]; path: SpecField[]; query: SpecField[]; body: SpecField[] };
  bodyAt?: At;
  response: { status: number; fields: SpecField[]; noBody: boolean; at?: At };
  errors: { common: SpecErrorEntry[]; business: SpecErrorEntry[] };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function findOperation(spec: LoadedSpec, method: string, path: string): SpecOperation | undefined {
  const item = isObject(spec.root['paths']) ? spec.root['paths'][path] : undefined;
  const m = method.toLowerCase() as (typeof METHODS)[number];
  if (!isObject(item) || !METHODS.includes(m) || !isObject(item[m])) return undefined;
  return readOperation(spec, path, m, item[m]);
}

function readOperation(spec: LoadedSpec, path: string, method: string, op: JsonObject, at: At = ['paths', path, method]): SpecOperation {
  const root = spec.root;
  const doc = isObject(op['x-wechatpay-doc']) ? op['x-wechatpay-doc'] : {};
  const result: SpecOperation = {
    operationId: String(op['operationId']),
    method: method.toUpperCase(),
    path,
    at,
    doc: { title: str(doc['title']), updated: str(doc['updated']) },
    params: { header: [], path: [], query: [], body: [] },
    response: { status: 0, fields: [], noBody: true },
    errors: { common: [], business: [] },
  };
  (Array.isArray(op['parameters']) ? op['parameters'] : []).forEach((raw, i) => {
    const { node, at: pAt } = deref(root, raw, [...at, 'parameters', i]);
    if (!isObject(node)) return;
    const where = node['in'];
    if (where !== 'header' && where !== 'path' && where !== 'query') return;
    const field = readField(spec, String(node['name']), node['schema'], [...pAt, 'schema'], where === 'path' || node['required'] === true);
    field.at = pAt;
    field.deviations.push(...deviations(spec, node, pAt));
    result.params[where].push(field);
  });

  const { node: rb } = deref(root, op['requestBody'], [...at, 'requestBody']);
  if (isObject(rb) && isObject(rb['content']) && isObject(rb['content']['application/json'])) {
    const body = readObject(spec, rb['content']['application/json']['schema'], [...at, 'requestBody', 'content', 'application/json', 'schema']);
    result.params.body = body.fields;
    result.bodyAt = body.at;
  }

  const responses = isObject(op['responses']) ? op['responses'] : {};
  const success = Object.keys(responses).filter((s) => /^2\d\d$/.test(s)).sort()[0];
  if (success) {
    const { node: res } = deref(root, responses[success], [...at, 'responses', success]);
    const media = isObject(res) && isObject(res['content']) ? res['content']['application/json'] : undefined;
    result.response = { status: Number(success), fields: [], noBody: !isObject(media) };
    if (isObject(media)) {
      const body = readObject(spec, media['schema'], [...at, 'responses', success, 'content', 'application/json', 'schema']);
      result.response.fields = body.fields;
      result.response.at = body.at;
    }
  }

  const errors = isObject(op['x-wechatpay-errors']) ? op['x-wechatpay-errors'] : {};
  for (const table of ['common', 'business'] as const) {
    const list = errors[table];
    if (!Array.isArray(list)) continue;
    list.forEach((e, i) => {
      if (!isObject(e)) return;
      const eAt: At = [...at, 'x-wechatpay-errors', table, i];
      const dev = e['x-wechatpay-doc-deviation'];
      const entry: SpecErrorEntry = { status: Number(e['status']), code: String(e['code']), description: String(e['description']), solution: String(e['solution'] ?? ''), at: eAt };
      if (isObject(dev)) entry.deviation = { aspect: 'code', page: dev['page'] ?? null, reason: String(dev['reason'] ?? '') };
      result.errors[table].push(entry);
    });
  }
  return result;
}

function readObject(spec: LoadedSpec, schema: Json | undefined, at: At): { fields: SpecField[]; at: At } {
  const { node, at: sAt } = deref(spec.root, schema, at);
  if (!isObject(node) || !isObject(node['properties'])) return { fields: [], at: sAt };
  const required = Array.isArray(node['required']) ? node['required'].map(String) : [];
  const props = node['properties'];
  return {
    fields: Object.keys(props).map((name) => readField(spec, name, props[name], [...sAt, 'properties', name], required.includes(name))),
    at: [...sAt, 'properties'],
  };
}

function readField(spec: LoadedSpec, name: string, raw: Json | undefined, at: At, required: boolean): SpecField {
  // A property may carry its own annotations next to a $ref (OpenAPI 3.1).
  const own = isObject(raw) ? raw : {};
  const { node, at: sAt, name: refName } = deref(spec.root, raw, at);
  const schema = isObject(node) ? node : {};
  const field: SpecField = { name, required, type: typeOf(spec, schema, sAt), deviations: [...deviations(spec, own, at), ...(own === schema ? [] : deviations(spec, schema, sAt))], at };
  if (refName !== undefined) field.shared = { name: refName, at: sAt };
  const maxLength = own['maxLength'] ?? schema['maxLength'];
  if (typeof maxLength === 'number') field.maxLength = maxLength;
  if (Array.isArray(schema['enum'])) field.enum = schema['enum'].map(String);
  const container = schema['type'] === 'array' ? deref(spec.root, schema['items'], [...sAt, 'items']) : { node: schema, at: sAt };
  if (isObject(container.node) && isObject(container.node['properties'])) {
    const inner = readObject(spec, container.node, container.at);
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

function deviations(spec: LoadedSpec, node: JsonObject, at: At): Deviation[] {
  const dev = node['x-wechatpay-doc-deviation'];
  if (dev === undefined) return [];
  const here = [...at, 'x-wechatpay-doc-deviation'];
  if (!isObject(dev) || typeof dev['reason'] !== 'string') throw spec.error(here, 'x-wechatpay-doc-deviation needs `aspect`, `page` and `reason`');
  const aspect = dev['aspect'];
  if (!FIELD_ASPECTS.includes(aspect as Aspect)) throw spec.error(here, `x-wechatpay-doc-deviation: aspect must be one of ${FIELD_ASPECTS.join(', ')}`);
  return [{ aspect: aspect as Aspect, page: dev['page'] ?? null, reason: dev['reason'] }];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
