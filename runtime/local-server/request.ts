// What arrived, read the way WeChat reads it: path values and query values
// (converted to the type their rule names), the JSON body, every field
// validated against the spec with the location it came from. Read strictly:
// a number only in the form the client writes it, no control character in a
// path, query or header value, the body UTF-8 JSON with no key given twice.
import type { OperationMeta } from '../call.js';
// C0 controls, DEL and C1 controls: the client refuses them in path and query values by the same pattern.
import { CONTROL, HEADER_VALUE } from '../url.js';
import { validate, type Rule } from '../validate.js';
import { parseStrictJson } from './strict-json.js';

export type Location = 'path' | 'query' | 'header' | 'body';

/** A reason to answer 400 PARAM_ERROR, naming the field and where it was. */
export interface ParamProblem {
  field: string;
  location: Location;
  message: string;
  /** The rule broken (required, maxLength, …), when it was a rule. */
  issue?: string;
}

export interface ReadRequest {
  /** Path + query + body fields in one object, as the client's request object. */
  flat: Record<string, unknown>;
  /** The JSON body as sent (ciphertext still in place); {} when the operation has none. */
  body: Record<string, unknown>;
}

export function readRequest(
  meta: OperationMeta,
  pathValues: Record<string, string>,
  target: string,
  raw: Buffer,
  /** Every value of each header, by lower-case name (node's `headersDistinct`: repeats kept apart). */
  headers: Readonly<Record<string, readonly string[] | undefined>>,
): ReadRequest | { problem: ParamProblem } {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(pathValues)) {
    if (CONTROL.test(value)) return { problem: controlProblem(name, 'path') };
    flat[name] = typed(value, meta.request.properties[name]);
  }
  // The spec's own header parameters (an idempotency key, …) are fields of the
  // request like any other; the runtime's headers were checked before this.
  for (const name of meta.headerParams) {
    const values = headers[name.toLowerCase()];
    if (values && values.length > 1) return { problem: { field: name, location: 'header', message: `header ${name} appears more than once`, issue: 'repeated' } };
    const value = values?.[0];
    // As the client checks it (url.ts headerFields): node reads header bytes as latin1, so anything past ASCII arrives changed.
    if (value !== undefined && !HEADER_VALUE.test(value)) return { problem: { field: name, location: 'header', message: `${name} must be printable ASCII`, issue: 'headerValue' } };
    if (value !== undefined) flat[name] = typed(value, meta.request.properties[name]);
  }
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  for (const pair of query ? query.split('&') : []) {
    // The client writes name=value with `=` and `&` inside a value percent-encoded: any other shape is not its.
    const [k = '', v, extra] = pair.split('=', 3);
    if (v === undefined || extra !== undefined) return { problem: { field: k, location: 'query', message: `query part ${JSON.stringify(pair.slice(0, 64))} is not one name=value`, issue: 'syntax' } };
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(k);
      value = decodeURIComponent(v);
    } catch {
      return { problem: { field: k, location: 'query', message: 'query is not valid percent-encoding' } };
    }
    if (!meta.queryParams.includes(name)) return { problem: { field: name, location: 'query', message: `unknown query parameter ${name}` } };
    if (Object.prototype.hasOwnProperty.call(flat, name)) return { problem: { field: name, location: 'query', message: `query parameter ${name} appears twice`, issue: 'repeated' } };
    if (CONTROL.test(value)) return { problem: controlProblem(name, 'query') };
    flat[name] = typed(value, meta.request.properties[name]);
  }
  let body: Record<string, unknown> = {};
  if (meta.bodyParams) {
    const json = parseStrictJson(raw);
    if ('problem' in json) return { problem: { field: json.field, location: 'body', message: json.problem, issue: json.issue } };
    const parsed = json.value;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: { field: '(body)', location: 'body', message: 'body must be a JSON object' } };
    body = parsed as Record<string, unknown>;
    for (const name of Object.keys(body)) {
      if (!meta.bodyParams.includes(name)) return { problem: { field: name, location: 'body', message: `${name} is not a body field of this API` } };
      flat[name] = body[name];
    }
  } else if (raw.length > 0) {
    return { problem: { field: '(body)', location: 'body', message: 'this API takes no body' } };
  }
  const issues = validate(flat, meta.request, { encrypted: { mode: 'ciphertext' } });
  const first = issues[0];
  if (first) return { problem: { field: first.path, location: locationOf(meta, first.path), message: `${first.path} ${first.message}`, issue: first.rule } };
  return { flat, body };
}

/**
 * The plaintext rules of the encrypted fields (pattern, enum, format, the OAEP
 * limit), on the request with those fields decrypted: on the wire they were
 * only checked for being ciphertext.
 */
export function checkPlaintext(meta: OperationMeta, input: Record<string, unknown>, oaepLimit: number): ParamProblem | undefined {
  if (meta.encrypted.length === 0 && !meta.encryptedQuery) return undefined;
  const first = validate(input, meta.request, { encrypted: { mode: 'plaintext', oaepLimit } })[0];
  return first && { field: first.path, location: locationOf(meta, first.path), message: `${first.path} ${first.message}`, issue: first.rule };
}

/** The marked paths of the flat request: the encrypted query parameters, then the body's. */
export function encryptedPaths(meta: OperationMeta): readonly string[] {
  return meta.encryptedQuery ? [...meta.encryptedQuery, ...meta.encrypted] : meta.encrypted;
}

/** Which part of the request a field path (`a.b[0].c`) belongs to. */
export function locationOf(meta: OperationMeta, path: string): Location {
  const top = /^[^.[]*/.exec(path)![0];
  if (meta.pathParams.includes(top)) return 'path';
  if (meta.queryParams.includes(top)) return 'query';
  if (meta.headerParams.includes(top)) return 'header';
  return 'body';
}

// Path and query values travel as text; the client wrote numbers and booleans
// with String(), so only that form reads back: `10`, never `1e1`, `010`,
// `+10` or `10.0` (the strict reading: WeChat's pages show plain digits). A
// value that does not read back stays text, and the rule refuses it as the wrong type.
function typed(value: string, rule: Rule | undefined): unknown {
  if (rule?.type === 'integer' && /^-?(0|[1-9][0-9]*)$/.test(value) && value !== '-0') return Number(value);
  if (rule?.type === 'number' && value !== '' && String(Number(value)) === value) return Number(value);
  if (rule?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}


function controlProblem(field: string, location: Location): ParamProblem {
  return { field, location, message: `${field} holds a control character`, issue: 'controlCharacter' };
}
