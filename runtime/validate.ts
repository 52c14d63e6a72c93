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

/** Every rule `value` breaks, with its path; an empty list when it is valid. */
export function validate(value: unknown, rule: Rule, options: ValidateOptions, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checker(rule)(value, options, path, undefined, issues);
  return issues;
}

// Each rule is turned once into a function that checks a value against it:
// every request and notification is then checked without re-reading the
// rule's shape field by field. A value's path is its parent's path and its
// own name, spelt out only for an issue or for a value with children.
type Check = (value: unknown, o: ValidateOptions, parent: string, name: string | undefined, out: ValidationIssue[]) => void;

const checkers = new WeakMap<Rule, Check>();

function checker(rule: Rule): Check {
  let check = checkers.get(rule);
  if (!check) checkers.set(rule, (check = compile(rule)));
  return check;
}

function compile(rule: Rule): Check {
  const check = compileType(rule);
  if (!rule.nullable) return check;
  return (value, o, parent, name, out) => {
    if (value !== null) check(value, o, parent, name, out);
  };
}

function compileType(rule: Rule): Check {
  switch (rule.type) {
    case 'any':
      return () => undefined;
    case 'string':
      return compileString(rule);
    case 'integer':
    case 'number': {
      const { type, minimum, maximum } = rule;
      const values = rule.enum;
      return (value, _o, parent, name, out) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) return fail(out, parent, name, 'type', `must be ${article(type)}, got ${describe(value)}`);
        if (type === 'integer' && !Number.isSafeInteger(value)) return fail(out, parent, name, 'type', `must be an integer, got ${value}`);
        if (maximum !== undefined && value > maximum) fail(out, parent, name, 'maximum', `must be at most ${maximum}, got ${value}`);
        if (minimum !== undefined && value < minimum) fail(out, parent, name, 'minimum', `must be at least ${minimum}, got ${value}`);
        if (values && !values.includes(value)) fail(out, parent, name, 'enum', `must be one of ${values.join(', ')}`);
      };
    }
    case 'boolean': {
      const values = rule.enum;
      return (value, _o, parent, name, out) => {
        if (typeof value !== 'boolean') fail(out, parent, name, 'type', `must be a boolean, got ${describe(value)}`);
        else if (values && !values.includes(value)) fail(out, parent, name, 'enum', `must be ${values.join(' or ')}`);
      };
    }
    case 'array': {
      const { maxItems, minItems } = rule;
      const items = rule.items;
      return (value, o, parent, name, out) => {
        if (!Array.isArray(value)) return fail(out, parent, name, 'type', `must be an array, got ${describe(value)}`);
        if (maxItems !== undefined && value.length > maxItems) fail(out, parent, name, 'maxItems', `must have at most ${maxItems} items, got ${value.length}`);
        if (minItems !== undefined && value.length < minItems) fail(out, parent, name, 'minItems', `must have at least ${minItems} items, got ${value.length}`);
        const path = pathOf(parent, name);
        const check = checker(items);
        for (let i = 0; i < value.length; i++) check(value[i], o, `${path}[${i}]`, undefined, out);
      };
    }
    case 'object': {
      const required = rule.required ?? [];
      const open = rule.additionalProperties === true;
      // Children are looked up when first needed: a rule may refer to itself.
      let children: Map<string, Check> | undefined;
      return (value, o, parent, name, out) => {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(out, parent, name, 'type', `must be an object, got ${describe(value)}`);
        const record = value as Record<string, unknown>;
        const path = pathOf(parent, name);
        for (const field of required) {
          if (record[field] === undefined) out.push({ path: join(path, field), rule: 'required', message: 'is required' });
        }
        children ??= new Map(Object.entries(rule.properties).map(([field, child]) => [field, checker(child)]));
        for (const field of Object.keys(record)) {
          const check = children.get(field);
          if (check) {
            const v = record[field];
            if (v !== undefined) check(v, o, path, field, out);
          } else if (!open) {
            out.push({ path: join(path, field), rule: 'unknownField', message: 'is not a field of this request' });
          }
        }
      };
    }
  }
}

function compileString(rule: Rule & { type: 'string' }): Check {
  const { encrypted, minLength: min, enum: values, format, pattern } = rule;
  const cipherMax = rule.maxLength;
  // An encrypted field's maxLength is its ciphertext's (checked on the wire); minLength is the plaintext's.
  const max = encrypted ? undefined : rule.maxLength;
  const matches = pattern === undefined ? undefined : new RegExp(pattern, 'u');
  const formatCheck = format === undefined ? undefined : FORMAT_CHECKS[format];
  return (value, o, parent, name, out) => {
    if (typeof value !== 'string') return fail(out, parent, name, 'type', `must be a string, got ${describe(value)}`);
    // UTF-8 cannot carry a lone surrogate: it would be replaced by U+FFFD (or break URL encoding).
    if (!(value as unknown as WellFormed).isWellFormed()) return fail(out, parent, name, 'encoding', 'is not well-formed Unicode: it holds a lone surrogate');
    if (encrypted) {
      if (o.encrypted.mode === 'ciphertext') {
        if (value === '' || !BASE64.test(value)) fail(out, parent, name, 'ciphertext', 'must be base64 RSA-OAEP ciphertext');
        else if (cipherMax !== undefined && value.length > cipherMax) fail(out, parent, name, 'maxLength', `must be at most ${cipherMax} characters of ciphertext, got ${value.length}`);
        return;
      }
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > o.encrypted.oaepLimit) fail(out, parent, name, 'encryptedLength', `is encrypted with RSA-OAEP and may be at most ${o.encrypted.oaepLimit} bytes of UTF-8, got ${bytes}`);
    }
    // Code points are counted only when the UTF-16 length cannot decide: a string has between length/2 and length of them.
    if (max !== undefined && value.length > max) {
      const length = codePoints(value);
      if (length > max) fail(out, parent, name, 'maxLength', `must be at most ${max} characters, got ${length}`);
    }
    if (min !== undefined && value.length < 2 * min) {
      const length = codePoints(value);
      if (length < min) fail(out, parent, name, 'minLength', `must be at least ${min} characters, got ${length}`);
    }
    if (values && !values.includes(value)) fail(out, parent, name, 'enum', `must be one of ${values.join(', ')}`);
    if (matches && !matches.test(value)) fail(out, parent, name, 'pattern', `must match ${pattern}`);
    if (formatCheck && !formatCheck(value)) fail(out, parent, name, 'format', FORMAT_MESSAGES[format!]);
  };
}

function pathOf(parent: string, name: string | undefined): string {
  return name === undefined ? parent : join(parent, name);
}

function fail(out: ValidationIssue[], parent: string, name: string | undefined, rule: string, message: string): void {
  out.push({ path: pathOf(parent, name) || '(request)', rule, message });
}

// String.prototype.isWellFormed (Node 20+; ES2024, past this project's ES2023 lib).
interface WellFormed {
  isWellFormed(): boolean;
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
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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

// The type, never the value: values may be personal data.
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function article(type: string): string {
  return type === 'integer' ? 'an integer' : 'a number';
}
