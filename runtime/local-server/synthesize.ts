// A response body made from the response schema alone, for an operation with
// neither a handler nor an example in the spec. Deterministic: the same rule
// gives the same value. Every property is filled (optional ones too, so the
// client sees the whole shape), arrays get their minimum item count (at least
// one when allowed), and strings are their field's name cut to maxLength.
import { validate, type Rule } from '../validate.js';

const DATE_TIME = '2025-01-01T08:00:00+08:00';

/** Thrown when no value is found for a rule (a string pattern none of the candidates matches). */
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
      return true;
    case 'integer':
    case 'number': {
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
  const candidates = rule.enum ? [...rule.enum] : rule.format === 'date-time' ? [DATE_TIME] : [name, 'a', '1', 'A', '0', 'a1', ''];
  const fit = (s: string) => [...s].slice(0, rule.maxLength ?? Infinity).join('');
  const found = candidates.map(rule.enum ? (s: string) => s : fit).find((s) => validate(s, { ...rule, encrypted: undefined } as Rule, { encrypted: { mode: 'ciphertext' } }).length === 0);
  if (found === undefined) throw new CannotSynthesize(path, `no value found for ${rule.pattern !== undefined ? `pattern ${rule.pattern}` : 'its rule'}`);
  return found;
}
