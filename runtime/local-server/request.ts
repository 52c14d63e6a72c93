// What arrived, read the way WeChat reads it: path values and query values
// (converted to the type their rule names), the JSON body, every field
// validated against the spec with the location it came from.
import type { OperationMeta } from '../call.js';
import { validate, type Rule } from '../validate.js';

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
  headers: Readonly<Record<string, string | string[] | undefined>>,
): ReadRequest | { problem: ParamProblem } {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(pathValues)) flat[name] = typed(value, meta.request.properties[name]);
  // The spec's own header parameters (an idempotency key, …) are fields of the
  // request like any other; the runtime's headers were checked before this.
  for (const name of meta.headerParams) {
    const value = headers[name.toLowerCase()];
    if (Array.isArray(value)) return { problem: { field: name, location: 'header', message: `header ${name} appears more than once` } };
    if (value !== undefined) flat[name] = typed(value, meta.request.properties[name]);
  }
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  for (const pair of query ? query.split('&') : []) {
    const [k = '', v = ''] = pair.split('=', 2);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(k);
      value = decodeURIComponent(v);
    } catch {
      return { problem: { field: k, location: 'query', message: 'query is not valid percent-encoding' } };
    }
    if (!meta.queryParams.includes(name)) return { problem: { field: name, location: 'query', message: `unknown query parameter ${name}` } };
    if (name in flat) return { problem: { field: name, location: 'query', message: `query parameter ${name} appears twice` } };
    flat[name] = typed(value, meta.request.properties[name]);
  }
  let body: Record<string, unknown> = {};
  if (meta.bodyParams) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { problem: { field: '(body)', location: 'body', message: 'body is not valid JSON' } };
    }
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
  if (meta.encrypted.length === 0) return undefined;
  const first = validate(input, meta.request, { encrypted: { mode: 'plaintext', oaepLimit } })[0];
  return first && { field: first.path, location: locationOf(meta, first.path), message: `${first.path} ${first.message}`, issue: first.rule };
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
// with String(). A value that does not read back stays text, and the rule refuses it.
function typed(value: string, rule: Rule | undefined): unknown {
  if ((rule?.type === 'integer' || rule?.type === 'number') && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return Number(value);
  if (rule?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
