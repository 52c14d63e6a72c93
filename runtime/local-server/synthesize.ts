// A response body made from the response schema alone, for an operation with
// neither a handler nor an example in the spec. Deterministic: the same rule
// gives the same value. Every property is filled (optional ones too, so the
// client sees the whole shape), arrays get their minimum item count (at least
// one when allowed), strings are their field's name cut to maxLength (or the
// first enum value, or a value of their format, or a string made from their
// pattern), numbers their minimum, and a nullable field gets a value, not null.
import { validate, type Rule } from '../validate.js';
import { patternMaker, UnsupportedPattern, type Expansion } from './pattern.js';

const FORMATTED = { 'date-time': '2025-01-01T08:00:00+08:00', date: '2025-01-01', uri: 'https://example.com/' } as const;
const PLAIN = { encrypted: { mode: 'plaintext', oaepLimit: Infinity } } as const;

/** Thrown when no value is found for a rule (a pattern no string could be made for), naming the field. */
export class CannotSynthesize extends Error {
  constructor(readonly path: string, why: string) {
    super(`${path || '(body)'}: ${why}`);
  }
}

export function synthesize(rule: Rule, path = '', name = 'value'): unknown {
  switch (rule.type) {
    case 'any':
      return {};
    case 'boolean':
      return rule.enum ? rule.enum[0] : true;
    case 'integer':
    case 'number': {
      if (rule.enum) return rule.enum[0];
      const low = rule.minimum ?? Math.min(0, rule.maximum ?? 0);
      return rule.type === 'integer' ? Math.ceil(low) : low;
    }
    case 'string':
      return synthesizeString(rule, path, name);
    case 'array': {
      const count = Math.max(rule.minItems ?? 0, Math.min(1, rule.maxItems ?? 1));
      return Array.from({ length: count }, (_, i) => synthesize(rule.items, `${path}[${i}]`, name));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(rule.properties)) out[key] = synthesize(child, path ? `${path}.${key}` : key, key);
      return out;
    }
  }
}

function synthesizeString(rule: Extract<Rule, { type: 'string' }>, path: string, name: string): string {
  // The plaintext is what is checked here (an encrypted field's maxLength is its ciphertext's, so it holds a fortiori).
  const { encrypted: _encrypted, ...plain } = rule;
  const fits = (s: string) => validate(s, plain, PLAIN).length === 0;
  if (rule.enum) {
    const found = rule.enum.find(fits);
    if (found === undefined) throw new CannotSynthesize(path, 'no value of its enum fits its rule');
    return found;
  }
  // Cut to maxLength, then repeated up to minLength, in characters.
  const fit = (s: string) => {
    const chars = [...s].slice(0, rule.maxLength ?? Infinity);
    while (chars.length > 0 && chars.length < (rule.minLength ?? 0)) chars.push(...chars.slice(0, (rule.minLength ?? 0) - chars.length));
    return chars.join('');
  };
  const found = (rule.format ? [FORMATTED[rule.format]] : [name, 'a', '1', 'A', '0', 'a1', '']).map(fit).find(fits);
  if (found !== undefined) return found;
  if (rule.pattern === undefined || rule.format) throw new CannotSynthesize(path, 'no value found for its rule');
  return fromPattern(rule.pattern, fits, path);
}

// More repetitions each time, for a minLength the shortest string misses.
const GROWTH = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256];

/** A string made from the pattern that passes `fits` (the pattern itself and the lengths), or why none was found. */
function fromPattern(pattern: string, fits: (s: string) => boolean, path: string): string {
  let maker: (e: Expansion) => string;
  try {
    maker = patternMaker(pattern);
  } catch (e) {
    if (!(e instanceof UnsupportedPattern)) throw e;
    throw new CannotSynthesize(path, `cannot make a string for pattern ${pattern} (${e.message})`);
  }
  for (const last of [false, true]) {
    for (const grow of GROWTH) {
      const made = maker({ grow, last });
      if (fits(made)) return made;
    }
  }
  throw new CannotSynthesize(path, `no value found for pattern ${pattern} within its length limits`);
}
