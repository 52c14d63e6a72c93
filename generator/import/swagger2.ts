// The parts of a Swagger 2.0 operation that OpenAPI 3 writes differently:
// a non-body parameter carries its schema keywords on itself (`type`,
// `format`, `enum`…) where OpenAPI 3 has a `schema`; the body is a parameter
// `in: body` where OpenAPI 3 has a `requestBody`; a response has a `schema`
// where OpenAPI 3 has `content`, and which media types travel is the
// operation's (or the document's) `consumes` and `produces`.
import type { JsonObject } from '../load.js';

/** Keys of a Swagger 2.0 parameter that describe its value: they move into its `schema`. */
const SCHEMA_KEYS = ['allOf', 'type', 'format', 'items', 'enum', 'default', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf'];
/** Keys that stay on the parameter. */
const PARAMETER_KEYS = ['name', 'in', 'required', 'description', 'example', 'deprecated'];

/** A Swagger 2.0 path, query or header parameter split into the parameter and the schema of its value. */
export function splitParameter(p: JsonObject): { parameter: JsonObject; schema: JsonObject; ignored: string[] } {
  const parameter: JsonObject = {};
  const schema: JsonObject = {};
  const ignored: string[] = [];
  for (const [k, v] of Object.entries(p)) {
    if (SCHEMA_KEYS.includes(k)) schema[k] = v;
    else if (PARAMETER_KEYS.includes(k)) parameter[k] = v;
    else ignored.push(k);
  }
  return { parameter, schema, ignored };
}

/** Media types of an operation: its own list, else the document's. */
export function mediaTypes(op: JsonObject, doc: JsonObject, key: 'consumes' | 'produces'): string[] {
  const list = Array.isArray(op[key]) ? op[key] : Array.isArray(doc[key]) ? doc[key] : ['application/json'];
  return list.map(String);
}

/** Why an operation with these media types cannot be carried, or undefined when it is JSON both ways. */
export function unsupportedMedia(consumes: string[], produces: string[]): string | undefined {
  const all = [...consumes, ...produces];
  if (all.some((m) => /xml/i.test(m))) return 'an XML API (APIv2): the generator carries JSON only';
  if (consumes.some((m) => m === 'multipart/form-data')) return 'a multipart upload (multipart/form-data): the generator carries JSON bodies only';
  const other = produces.filter((m) => !/json/i.test(m));
  if (other.length && !produces.some((m) => /json/i.test(m))) return `a file download (${other.join(', ')}): the generator carries JSON answers only`;
  return undefined;
}
