// WeChat's conventions as the community description writes them, mapped to
// what the generator enforces, one schema at a time (its members are already
// converted). Every change is either counted under its rule (a convention) or
// reported at its line (a repair or a drop), never made silently.
//
// - `format: rfc3339` is RFC 3339 date-time: `date-time`. `format: url` is `uri`.
// - `format: base64` is the community's mark for an encrypted field (every
//   such field under /v3/ names personal data: 姓名, 手机号, 证件号…): the
//   string travels RSA-OAEP encrypted and base64 encoded, so it becomes
//   `x-wechatpay-encryption: rsa-oaep-sha1`. In a request the client encrypts
//   it with WeChat's public key, which the operation names in its
//   Wechatpay-Serial header (see operations.ts); in a response WeChat has
//   encrypted it with the merchant's key.
// - Whole numbers: `type: number` with `format: integer|int32|int64` is an
//   integer; `format: integer` on an integer says nothing more and goes;
//   unsigned formats (`uint32`, `uint64`, `uint` and the typo `unit32`) are
//   `int64` with `minimum: 0`; `float` on a number is `double`.
// - Any other format (`MediaId`, `jsonObjectLike`…) is dropped and listed.
// - Description bugs: `required` naming a property that is not there loses
//   that name; a type spelt `stringde` is `string`. Both are reported.
import type { Json, JsonObject } from '../load.js';
import { FORMATS, KEYWORDS, type SchemaType } from '../keywords.js';

export const ENCRYPTION = 'x-wechatpay-encryption';

export interface Notes {
  /** A convention applied: counted under `rule`. */
  mapped(rule: string): void;
  repaired(message: string): void;
  dropped(message: string): void;
}

const TYPE_TYPOS: Record<string, SchemaType> = { stringde: 'string', 'string ': 'string', int: 'integer' };
const STRING_FORMATS: Record<string, string> = { rfc3339: 'date-time', url: 'uri' };
const WHOLE_FORMATS = new Set(['integer', 'int32', 'int64']);
const UNSIGNED_FORMATS = new Set(['uint', 'uint32', 'uint64', 'unit32']);

/** Applies the conventions to one schema (not a `$ref`), in place. */
export function applyConventions(s: JsonObject, notes: Notes): void {
  const t = s['type'];
  if (typeof t === 'string' && TYPE_TYPOS[t]) {
    notes.repaired(`type ${t} read as ${TYPE_TYPOS[t]}`);
    s['type'] = TYPE_TYPOS[t];
  }
  mapFormat(s, notes);
  if (s['type'] === 'object') repairRequired(s, notes);
}

function mapFormat(s: JsonObject, notes: Notes): void {
  const format = s['format'];
  if (format === undefined) return;
  const type = s['type'];
  if (typeof format !== 'string') {
    delete s['format'];
    return notes.dropped(`format ${JSON.stringify(format)} (not a string)`);
  }
  if (type === 'string' && format === 'base64') {
    delete s['format'];
    s[ENCRYPTION] = 'rsa-oaep-sha1';
    return notes.mapped('format base64 → x-wechatpay-encryption: rsa-oaep-sha1');
  }
  if (type === 'string' && STRING_FORMATS[format]) {
    s['format'] = STRING_FORMATS[format];
    return notes.mapped(`format ${format} → ${STRING_FORMATS[format]}`);
  }
  if (type === 'number' && WHOLE_FORMATS.has(format)) {
    s['type'] = 'integer';
    if (format === 'integer') delete s['format'];
    return notes.mapped(`type number, format ${format} → type integer${format === 'integer' ? '' : `, format ${format}`}`);
  }
  if (type === 'integer' && format === 'integer') {
    delete s['format'];
    return notes.mapped('type integer, format integer → type integer');
  }
  if ((type === 'integer' || type === 'number') && UNSIGNED_FORMATS.has(format)) {
    s['type'] = 'integer';
    s['format'] = 'int64';
    if (s['minimum'] === undefined) s['minimum'] = 0;
    return notes.mapped(`format ${format} → type integer, format int64, minimum 0`);
  }
  if (type === 'number' && format === 'float') {
    s['format'] = 'double';
    return notes.mapped('type number, format float → format double');
  }
  if ((FORMATS[type as SchemaType] ?? []).includes(format)) return;
  delete s['format'];
  notes.dropped(`format ${format} on a ${String(type ?? 'typeless')} schema (the generator cannot enforce it)`);
}

/** `required` keeps only names of properties that exist. */
function repairRequired(s: JsonObject, notes: Notes): void {
  const req = s['required'];
  if (req === undefined) return;
  if (!Array.isArray(req)) {
    delete s['required'];
    return notes.repaired(`required: ${JSON.stringify(req)} on an object is not a list of names: left out`);
  }
  const props = s['properties'];
  const has = (n: Json) => typeof n === 'string' && props !== null && typeof props === 'object' && !Array.isArray(props) && Object.hasOwn(props, n);
  const missing = req.filter((n) => !has(n));
  if (missing.length === 0) return;
  notes.repaired(`required names ${missing.map((m) => JSON.stringify(m)).join(', ')}, not ${missing.length > 1 ? 'properties' : 'a property'} of the object: removed from required`);
  const kept = req.filter(has);
  if (kept.length) s['required'] = kept;
  else delete s['required'];
}

/** The keywords the generator reads on a schema of this type, beside the annotations. */
export function supportedKeywords(type: SchemaType): readonly string[] {
  return ['type', ...KEYWORDS[type], 'default', 'nullable'];
}
