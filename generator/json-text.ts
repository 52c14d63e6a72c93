// JSON data in generated TypeScript, as the text of a String.raw template:
// pretty-printed over many lines, so that `check` shows a changed rule as the
// one line that changed, and read with JSON.parse when first needed.
//
// The layout is prettier's for the same value: a value stays on one line when
// that line fits in the width, else each entry goes on its own line. Values
// with a toJSON (a rule reference) print as what it returns, as in JSON.stringify.

const WIDTH = 120;

/**
 * `value` as the body of a String.raw template: JSON text, in which a backtick
 * and a `${` (the only text that would end the template or start a
 * substitution; they can only occur inside JSON strings) are written as the
 * JSON escapes \u0060 and \u0024. String.raw keeps every backslash as it is,
 * so the template's value is exactly this JSON, and JSON.parse reads back
 * `value`.
 */
export function jsonTemplateText(value: unknown, indent = ''): string {
  return prettyJson(value, indent).replace(/`/g, '\\u0060').replace(/\$\{/g, '\\u0024{');
}

/** JSON text of `value`, laid out in WIDTH columns, starting at the column of `indent` (a line's own indent). */
export function prettyJson(value: unknown, indent = ''): string {
  return print(plain(value), indent, 0);
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

// `used`: the columns the line already holds before the value (its key) and after it (a comma).
function print(value: Plain, indent: string, used: number): string {
  const flat = oneLine(value);
  if (indent.length + used + flat.length <= WIDTH || typeof value !== 'object' || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + print(v, inner, 1)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${print(v, inner, JSON.stringify(k).length + 3)}`).join(',\n')}\n${indent}}`;
}

function oneLine(value: Plain): string {
  if (Array.isArray(value)) return value.length ? `[${value.map(oneLine).join(', ')}]` : '[]';
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

// Through toJSON, as JSON.stringify would go; a number JSON cannot carry is a
// mistake to report, not a null to write silently.
function plain(value: unknown): Plain {
  const v = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${v} cannot be written as JSON`);
    return v;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  throw new Error(`a ${typeof v} cannot be written as JSON`);
}
