// The request line. Path parameters are one percent-encoded segment each;
// query values are encoded once. Only RFC 3986 unreserved characters stay
// as they are, so no HTTP stack (node:http, undici's URL parser) rewrites the
// string we signed: what is signed is byte for byte what is sent.
import type { ValidationIssue } from './errors.js';

export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
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
  let path = template;
  for (const name of pathNames) {
    const value = String(values[name] ?? '');
    if (value === '' || value === '.' || value === '..') {
      issues.push({ path: name, rule: 'pathSegment', message: 'must be a non-empty path segment other than "." and ".."' });
    }
    path = path.replace(`{${name}}`, encodeComponent(value));
  }
  let sep = '?';
  for (const name of queryNames) {
    const value = values[name];
    if (value === undefined) continue;
    path += `${sep}${encodeComponent(name)}=${encodeComponent(String(value))}`;
    sep = '&';
  }
  return { pathWithQuery: path, issues };
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
    if (!/^[\x20-\x7e\t]*$/.test(text)) issues.push({ path: name, rule: 'headerValue', message: 'must be printable ASCII: it travels as an HTTP header' });
    else out[name] = text;
  }
  return out;
}
