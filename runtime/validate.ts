// Validation of a request against the rules the generator derives from the
// spec. The rules are data (a small subset of JSON Schema); this module is the
// one interpreter, used by the client before sending and by the local server
// on what arrives.
import type { ValidationIssue } from './errors.js';

export type Rule = (
  | {
      readonly type: 'string';
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly enum?: readonly string[];
      /** A JavaScript regular expression, compiled with the `u` flag, unanchored (as JSON Schema's `pattern`). */
      readonly pattern?: string;
      readonly format?: 'date-time' | 'date' | 'uri';
      /** Marked `x-wechatpay-encryption`: travels as OAEP ciphertext. */
      readonly encrypted?: true;
    }
  | { readonly type: 'integer' | 'number'; readonly minimum?: number; readonly maximum?: number; readonly enum?: readonly number[] }
  | { readonly type: 'boolean'; readonly enum?: readonly boolean[] }
  | {
      readonly type: 'object';
      /** Objects are closed: a name not listed here is refused (a request never drops a field silently). */
      readonly properties: { readonly [name: string]: Rule };
      readonly required?: readonly string[];
      /** Only on notification data (what WeChat sends): names not in `properties` are kept as they came, not refused. */
      readonly additionalProperties?: true;
    }
  | { readonly type: 'array'; readonly items: Rule; readonly maxItems?: number; readonly minItems?: number }
  | { readonly type: 'any' }
) & {
  /** null is a value of the field (`type: [T, "null"]` or `nullable: true`). */
  readonly nullable?: true;
};

export interface ValidateOptions {
  /**
   * How to treat a string marked encrypted.
   * - `plaintext` (the client before encrypting, the local server after decrypting): every rule
   *   applies to the plaintext, except `maxLength`, which the pages give for the ciphertext WeChat
   *   receives; instead the plaintext must fit one OAEP block of `oaepLimit` bytes.
   * - `ciphertext` (the local server, on what arrived on the wire): the value must be base64
   *   ciphertext within `maxLength`; the plaintext rules wait until it is decrypted.
   */
  encrypted: { mode: 'plaintext'; oaepLimit: number } | { mode: 'ciphertext' };
}

// RFC 3339 date-time, as the pages require (yyyy-MM-DDTHH:mm:ss+TIMEZONE, optional fraction);
// the day is then checked against the month's real length.
const DATE_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// An absolute URI (RFC 3986): a scheme, then no white space or control characters.
const URI = /^[A-Za-z][A-Za-z\d+.-]*:[^\s\u0000-\u001f\u007f]+$/;
const BASE64 = /^(?:[A-Za-z\d+/]{4})*(?:[A-Za-z\d+/]{2}==|[A-Za-z\d+/]{3}=)?$/;
const patterns = new Map<string, RegExp>();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every rule `value` breaks, with its path; an empty list when it is valid. */
export function validate(value: unknown, rule: Rule, options: ValidateOptions, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(value, rule, options, path, issues);
  return issues;
}

function check(value: unknown, rule: Rule, o: ValidateOptions, path: string, out: ValidationIssue[]): void {
  const fail = (r: string, message: string): void => {
    out.push({ path: path || "(request)", rule: r, message });
  };
  if (value === null && rule.nullable) return;
  switch (rule.type) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') return fail('type', `must be a string, got ${describe(value)}`);
      // UTF-8 cannot carry a lone surrogate: it would be replaced by U+FFFD (or break URL encoding).
      if (LONE_SURROGATE.test(value)) return fail('encoding', 'is not well-formed Unicode: it holds a lone surrogate');
      if (rule.encrypted) {
        if (o.encrypted.mode === 'ciphertext') {
          if (value === '' || !BASE64.test(value)) fail('ciphertext', 'must be base64 RSA-OAEP ciphertext');
          else if (rule.maxLength !== undefined && value.length > rule.maxLength) fail('maxLength', `must be at most ${rule.maxLength} characters of ciphertext, got ${value.length}`);
          return;
        }
        const bytes = Buffer.byteLength(value, 'utf8');
        if (bytes > o.encrypted.oaepLimit) fail('encryptedLength', `is encrypted with RSA-OAEP and may be at most ${o.encrypted.oaepLimit} bytes of UTF-8, got ${bytes}`);
      }
      // An encrypted field's maxLength is its ciphertext's (checked above on the wire); minLength is the plaintext's.
      const max = rule.encrypted ? undefined : rule.maxLength;
      if (max !== undefined || rule.minLength !== undefined) {
        const length = codePoints(value);
        if (max !== undefined && length > max) fail('maxLength', `must be at most ${max} characters, got ${length}`);
        if (rule.minLength !== undefined && length < rule.minLength) fail('minLength', `must be at least ${rule.minLength} characters, got ${length}`);
      }
      if (rule.enum && !rule.enum.includes(value)) fail('enum', `must be one of ${rule.enum.join(', ')}`);
      if (rule.pattern !== undefined && !regex(rule.pattern).test(value)) fail('pattern', `must match ${rule.pattern}`);
      if (rule.format !== undefined && !FORMAT_CHECKS[rule.format](value)) fail('format', FORMAT_MESSAGES[rule.format]);
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('type', `must be ${article(rule.type)}, got ${describe(value)}`);
      if (rule.type === 'integer' && !Number.isSafeInteger(value)) return fail('type', `must be an integer, got ${value}`);
      if (rule.maximum !== undefined && value > rule.maximum) fail('maximum', `must be at most ${rule.maximum}, got ${value}`);
      if (rule.minimum !== undefined && value < rule.minimum) fail('minimum', `must be at least ${rule.minimum}, got ${value}`);
      if (rule.enum && !rule.enum.includes(value)) fail('enum', `must be one of ${rule.enum.join(', ')}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('type', `must be a boolean, got ${describe(value)}`);
      else if (rule.enum && !rule.enum.includes(value)) fail('enum', `must be ${rule.enum.join(' or ')}`);
      return;
    case 'array': {
      if (!Array.isArray(value)) return fail('type', `must be an array, got ${describe(value)}`);
      if (rule.maxItems !== undefined && value.length > rule.maxItems) fail('maxItems', `must have at most ${rule.maxItems} items, got ${value.length}`);
      if (rule.minItems !== undefined && value.length < rule.minItems) fail('minItems', `must have at least ${rule.minItems} items, got ${value.length}`);
      for (let i = 0; i < value.length; i++) check(value[i], rule.items, o, `${path}[${i}]`, out);
      return;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('type', `must be an object, got ${describe(value)}`);
      const record = value as Record<string, unknown>;
      for (const name of rule.required ?? []) {
        if (record[name] === undefined) out.push({ path: join(path, name), rule: 'required', message: 'is required' });
      }
      for (const name of Object.keys(record)) {
        const child = rule.properties[name];
        const at = join(path, name);
        if (child) {
          if (record[name] !== undefined) check(record[name], child, o, at, out);
        } else if (rule.additionalProperties !== true) {
          out.push({ path: at, rule: 'unknownField', message: 'is not a field of this request' });
        }
      }
      return;
    }
  }
}

const FORMAT_CHECKS: Record<'date-time' | 'date' | 'uri', (s: string) => boolean> = {
  'date-time': (s) => {
    const m = DATE_TIME.exec(s);
    return m !== null && realDay(m);
  },
  date: (s) => {
    const m = DATE.exec(s);
    return m !== null && realDay(m);
  },
  uri: (s) => URI.test(s),
};

const FORMAT_MESSAGES = {
  'date-time': 'must be an RFC 3339 date-time on a real calendar day, such as 2015-05-20T13:29:35+08:00',
  date: 'must be a date YYYY-MM-DD on a real calendar day, such as 2015-05-20',
  uri: 'must be an absolute URI with a scheme, such as https://example.com/a, without spaces',
};

// m[1..3]: year, month, day as matched; February has 29 days in leap years.
function realDay(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

// maxLength counts characters as the pages do ("最长10个中文字"), so code points, not UTF-16 units.
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

function regex(pattern: string): RegExp {
  let r = patterns.get(pattern);
  if (!r) patterns.set(pattern, (r = new RegExp(pattern, 'u')));
  return r;
}

// The type, never the value: values may be personal data.
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function article(type: string): string {
  return type === 'integer' ? 'an integer' : 'a number';
}
