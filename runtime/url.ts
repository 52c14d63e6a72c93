// The request line. Path parameters are one percent-encoded segment each;
// query values are encoded once. Only RFC 3986 unreserved characters stay
// as they are, so no HTTP stack (node:http, undici's URL parser) rewrites the
// string we signed: what is signed is byte for byte what is sent.
import type { ValidationIssue } from './errors.js';

const SUB_DELIMS = /[!'()*]/;
// C0 controls, DEL and C1 controls: the local server refuses them in a path or
// query value (no identifier or code WeChat takes holds one), so the client
// refuses them first, before signing.
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** What a header value may hold: printable ASCII (node reads header bytes as latin1). */
export const HEADER_VALUE = /^[\x20-\x7e]*$/;

export function encodeComponent(value: string): string {
  const encoded = encodeURIComponent(value);
  // The usual value has none of these: skip the replace and its callback.
  return SUB_DELIMS.test(encoded) ? encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : encoded;
}

export interface RequestLine {
  pathWithQuery: string;
  issues: ValidationIssue[];
}

/**
 * Fills `/a/{x}/b` from `values`, then appends `?k=v&…` for `query` names in
 * order, skipping absent optional ones. A path value that is empty, `.` or
 * `..` is an issue: a URL parser would drop or collapse that segment.
 */
export function requestLine(template: string, pathNames: readonly string[], queryNames: readonly string[], values: Record<string, unknown>): RequestLine {
  const issues: ValidationIssue[] = [];
  for (const name of pathNames) {
    const value = String(values[name] ?? '');
    if (value === '' || value === '.' || value === '..') {
      issues.push({ path: name, rule: 'pathSegment', message: 'must be a non-empty path segment other than "." and ".."' });
    } else if (CONTROL.test(value)) {
      issues.push({ path: name, rule: 'controlCharacter', message: 'must not hold a control character' });
    }
  }
  const { parts, order } = compiled(template, pathNames);
  let path = parts[0]!;
  for (let j = 0; j < order.length; j++) path += encodeComponent(String(values[pathNames[order[j]!]!] ?? '')) + parts[j + 1]!;
  let sep = '?';
  const keys = queryKeys(queryNames);
  for (let i = 0; i < queryNames.length; i++) {
    const value = values[queryNames[i]!];
    if (value === undefined) continue;
    if (typeof value === 'string' && CONTROL.test(value)) issues.push({ path: queryNames[i]!, rule: 'controlCharacter', message: 'must not hold a control character' });
    path += sep + keys[i]! + encodeComponent(String(value));
    sep = '&';
  }
  return { pathWithQuery: path, issues };
}

// A template cut once at its parameters, so that a call only encodes and joins:
// parts[0] value parts[1] value … parts[n], the values being pathNames[order[j]].
// A name's first `{name}` is filled; a `{name}` not in pathNames stays as it is.
interface Template {
  readonly template: string;
  readonly parts: readonly string[];
  readonly order: readonly number[];
}

// By the pathNames array, which is one per operation (generated metadata).
const templates = new WeakMap<readonly string[], Template>();
const queryNameKeys = new WeakMap<readonly string[], readonly string[]>();

function compiled(template: string, pathNames: readonly string[]): Template {
  const known = templates.get(pathNames);
  if (known?.template === template) return known;
  const found = pathNames
    .map((name, i) => ({ i, at: template.indexOf(`{${name}}`), end: template.indexOf(`{${name}}`) + name.length + 2 }))
    .filter((f) => f.at >= 0)
    .sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  const order: number[] = [];
  let from = 0;
  for (const f of found) {
    // A name listed twice fills its placeholder once.
    if (f.at < from) continue;
    parts.push(template.slice(from, f.at));
    order.push(f.i);
    from = f.end;
  }
  parts.push(template.slice(from));
  const t: Template = { template, parts, order };
  templates.set(pathNames, t);
  return t;
}

// `name=` for each query name, encoded once.
function queryKeys(queryNames: readonly string[]): readonly string[] {
  let keys = queryNameKeys.get(queryNames);
  if (!keys) queryNameKeys.set(queryNames, (keys = queryNames.map((name) => `${encodeComponent(name)}=`)));
  return keys;
}

/**
 * The caller's header parameters that are present, as strings. A value with
 * a character HTTP cannot carry in a header (a line break, anything outside
 * printable ASCII) is an issue, reported before anything is signed.
 */
export function headerFields(names: readonly string[], values: Record<string, unknown>, issues: ValidationIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = values[name];
    if (value === undefined) continue;
    const text = String(value);
    if (!HEADER_VALUE.test(text)) issues.push({ path: name, rule: 'headerValue', message: 'must be printable ASCII: it travels as an HTTP header' });
    else out[name] = text;
  }
  return out;
}
