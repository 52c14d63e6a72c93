// Reading the source description: the root file and every file it reaches by
// a relative `$ref`, each parsed once, with positions kept so every finding
// of the report can name a file and a line.
//
// References are resolved here and nowhere else. Besides JSON pointers
// (`file.yaml#/a/b`, `#/a/b`), the community description writes
// `file.yaml#Name` (no slash) for a top-level entry of a file of shared
// definitions; that is read as `file.yaml#/Name`. A reference that leaves the
// description (a URL) or points at nothing is returned as a reason, never
// thrown: the caller reports it at the operation that uses it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { SourceFile } from '../bundle.js';
import type { Json, JsonObject } from '../load.js';

export type At = (string | number)[];
export type { SourceFile };

/** A place in the source: the file and the JSON path inside it. */
export interface Place {
  file: SourceFile;
  at: At;
}

export interface Target extends Place {
  value: Json;
}

export class SourceReader {
  readonly root: SourceFile;
  private readonly byAbs = new Map<string, SourceFile | string>();
  private readonly base: string;

  /** Throws only when the root file itself cannot be read or parsed. */
  constructor(rootPath: string) {
    const abs = path.resolve(rootPath);
    this.base = path.dirname(abs);
    const root = this.load(abs);
    if (typeof root === 'string') throw new Error(`${rootPath}: ${root}`);
    this.root = root;
  }

  /** Every file read so far, by label. */
  get files(): SourceFile[] {
    return [...this.byAbs.values()].filter((f): f is SourceFile => typeof f !== 'string');
  }

  /** The target of `ref` written in `from`, or the reason it has none. */
  resolve(ref: string, from: SourceFile): Target | string {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    let fragment = hash < 0 ? '' : ref.slice(hash + 1);
    if (/^[a-z][a-z\d+.-]*:/i.test(filePart)) return `${ref} leaves the description (only relative files are read)`;
    const file = filePart === '' ? from : this.load(path.resolve(path.dirname(from.abs), decodeURIComponent(filePart)));
    if (typeof file === 'string') return `${ref}: ${file}`;
    // The community's `file.yaml#Name`: a top-level entry by name.
    if (fragment !== '' && !fragment.startsWith('/')) fragment = `/${fragment}`;
    const at = fragment === '' ? [] : fragment.slice(1).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
    const value = lookup(file.value, at);
    if (value === undefined) return `${ref}: ${file.label} has nothing at #${fragment}`;
    return { file, at, value };
  }

  /** `file:line` of a place, for the report. */
  where(place: Place): string {
    // Keys are matched as text: the community writes `200:`, a number to YAML.
    let node: unknown = place.file.doc.contents;
    let offset = (node as { range?: number[] } | null)?.range?.[0];
    for (const key of place.at) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(key));
        next = pair?.value;
        offset = (pair?.key as { range?: number[] } | null)?.range?.[0] ?? offset;
      } else if (isSeq(node)) next = node.items[Number(key)];
      if (next === undefined || next === null) break;
      node = next;
      offset = (node as { range?: number[] }).range?.[0] ?? offset;
    }
    return offset === undefined ? place.file.label : `${place.file.label}:${place.file.lineCounter.linePos(offset).line}`;
  }

  private load(abs: string): SourceFile | string {
    const known = this.byAbs.get(abs);
    if (known !== undefined) return known;
    let result: SourceFile | string;
    try {
      const text = readFileSync(abs, 'utf8');
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      const first = doc.errors[0];
      const label = path.relative(this.base, abs).split(path.sep).join('/');
      result = first
        ? `${label}:${lineCounter.linePos(first.pos[0]).line}: YAML syntax error: ${first.message.split('\n')[0]}`
        : { label, abs, doc, lineCounter, text, value: doc.toJS({ maxAliasCount: 1000 }) as Json };
    } catch (e) {
      result = `cannot read ${path.relative(this.base, abs)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    this.byAbs.set(abs, result);
    return result;
  }
}

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function lookup(root: Json, at: At): Json | undefined {
  let node: Json | undefined = root;
  for (const key of at) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  return node;
}

/** A `$ref` object: its reference, or undefined for any other node. */
export function refOf(node: Json | undefined): string | undefined {
  return isObject(node) && typeof node['$ref'] === 'string' ? node['$ref'] : undefined;
}
