// The request headers WeChat checks besides Authorization: Accept,
// Content-Type when there is a body, and Wechatpay-Serial when the body
// carries encrypted fields (which key it names is checked by wechatpay-keys.ts).
// Each read by its HTTP syntax, strictly, in one pass: a list element that
// merely contains `application/json` is not it.
import type { OperationMeta } from '../call.js';

/** Why the headers are not acceptable (answered 400 INVALID_REQUEST), naming the header. */
export interface HeaderProblem {
  message: string;
  field: string;
  issue: string;
}

/** Headers that may appear once: node keeps only the first of some and joins others with `, `. */
const SINGLE = ['accept', 'content-type', 'wechatpay-serial'] as const;
const NAMES: Record<(typeof SINGLE)[number], string> = { accept: 'Accept', 'content-type': 'Content-Type', 'wechatpay-serial': 'Wechatpay-Serial' };

/** `h` is node's `headersDistinct`: every value of each header, by lower-case name. Undefined when acceptable. */
export function checkHeaders(h: Readonly<Record<string, readonly string[] | undefined>>, meta: OperationMeta, hasBody: boolean): HeaderProblem | undefined {
  for (const name of SINGLE) {
    if ((h[name]?.length ?? 0) > 1) return { message: `${NAMES[name]} appears more than once`, field: NAMES[name], issue: 'repeated' };
  }
  const accept = h.accept?.[0];
  if (accept === undefined || !acceptsJson(accept)) return { message: 'Accept must be application/json', field: 'Accept', issue: 'mediaType' };
  if (hasBody && !isJsonContentType(h['content-type']?.[0] ?? '')) return { message: 'Content-Type must be application/json (charset, if given, utf-8)', field: 'Content-Type', issue: 'mediaType' };
  if (meta.wechatpaySerialRequired && !h['wechatpay-serial']?.[0]) return { message: 'Wechatpay-Serial is required: the body carries encrypted fields', field: 'Wechatpay-Serial', issue: 'missing' };
  return undefined;
}

// RFC 9110: token, and a parameter's value a token or a quoted string.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM = new RegExp(`^(${TOKEN})=(${TOKEN}|"[^"\\\\]*")$`);
const MEDIA_RANGE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);

interface MediaType {
  type: string;
  subtype: string;
  params: Map<string, string>;
}

/** `type/subtype; name=value; …`, names and types lower-cased, or undefined when it is not that. */
function mediaType(text: string): MediaType | undefined {
  const [range = '', ...rest] = text.split(';');
  const m = MEDIA_RANGE.exec(range.trim());
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const part of rest) {
    const p = PARAM.exec(part.trim());
    if (!p) return undefined;
    const value = p[2]!.startsWith('"') ? p[2]!.slice(1, -1) : p[2]!;
    params.set(p[1]!.toLowerCase(), value);
  }
  return { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params };
}

/**
 * Some element of the list is `application/json`, `application/*` or `*\/*`
 * with a weight other than 0. A list with an element that is not a media
 * range at all is refused whole (the strict reading).
 */
export function acceptsJson(accept: string): boolean {
  let json = false;
  for (const element of accept.split(',')) {
    if (element.trim() === '') continue;
    const range = mediaType(element);
    if (!range) return false;
    const q = range.params.get('q');
    if (q !== undefined && !/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(q)) return false;
    const matches = (range.type === 'application' && (range.subtype === 'json' || range.subtype === '*')) || (range.type === '*' && range.subtype === '*');
    if (matches && (q === undefined || Number(q) > 0)) json = true;
  }
  return json;
}

/** `application/json`, with at most a `charset=utf-8` parameter: the body is read as UTF-8 and nothing else. */
export function isJsonContentType(contentType: string): boolean {
  const t = mediaType(contentType);
  if (!t || t.type !== 'application' || t.subtype !== 'json') return false;
  for (const [name, value] of t.params) if (name !== 'charset' || value.toLowerCase() !== 'utf-8') return false;
  return true;
}
