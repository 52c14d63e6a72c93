// Marked field paths (`a.b[].c`, `tags[]`) and a copy-on-write walk over them.
// The generator writes these paths from the spec's encryption marker.

/** A path split into steps: a property name, or `[]` for every item of an array. */
export type FieldPath = readonly string[];

const compiled = new Map<string, FieldPath>();

export function parseFieldPath(path: string): FieldPath {
  let steps = compiled.get(path);
  if (!steps) {
    steps = path.split('.').flatMap((part) => {
      const name = part.replace(/(\[\])+$/, '');
      const arrays = (part.length - name.length) / 2;
      return [...(name ? [name] : []), ...Array<string>(arrays).fill('[]')];
    });
    compiled.set(path, steps);
  }
  return steps;
}

/**
 * Returns a copy of `root` in which every string found at one of `paths` is
 * replaced by `map(value, concretePath)`. Only the containers on those paths
 * are copied; the caller's object is never mutated. Absent fields are skipped.
 * With `ownRoot`, `root` itself is an object the caller has just made: its
 * own fields are replaced in place, and only the containers below are copied.
 */
export function mapStringsAt(root: unknown, paths: readonly string[], map: (value: string, path: string) => string, ownRoot = false): unknown {
  let out = root;
  for (const path of paths) out = mapAt(out, parseFieldPath(path), 0, '', map, ownRoot);
  return out;
}

function mapAt(node: unknown, steps: FieldPath, i: number, at: string, map: (value: string, path: string) => string, own = false): unknown {
  if (i === steps.length) return typeof node === 'string' ? map(node, at) : node;
  const step = steps[i]!;
  if (step === '[]') {
    if (!Array.isArray(node)) return node;
    let copy: unknown[] | undefined;
    for (let k = 0; k < node.length; k++) {
      const next = mapAt(node[k], steps, i + 1, `${at}[${k}]`, map);
      if (next !== node[k]) (copy ??= node.slice())[k] = next;
    }
    return copy ?? node;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const record = node as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, step)) return node;
  const next = mapAt(record[step], steps, i + 1, at ? `${at}.${step}` : step, map);
  if (next === record[step]) return node;
  if (!own) return { ...record, [step]: next };
  record[step] = next;
  return record;
}
