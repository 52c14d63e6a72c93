// The `# DECISION:` comments of the spec: a maintainer's recorded choice where
// a page disagrees with itself or is silent. The audit reads the comment block
// written just above a key (or a list entry) and, when it opens with
// `# DECISION`, treats the place as deliberate: a difference there is reported
// as "review the decision", and --apply leaves it alone.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { LoadedSpec, JsonPath } from '../load.js';

export interface Decision {
  /** The comment's text, without the `#` marks, on one line. */
  text: string;
  file: string;
  line: number;
}

/** The DECISION comment written above the key or entry at this JSON path of the bundle, if any. */
export function decisionAt(spec: LoadedSpec, at: JsonPath): Decision | undefined {
  const { file, at: inFile } = spec.origin(at);
  const line = keyLine(file.doc.contents as Node | null, inFile, file.lineCounter.linePos.bind(file.lineCounter));
  if (line === undefined) return undefined;
  const lines = file.text.split(/\r?\n/);
  const block: number[] = [];
  for (let i = line - 2; i >= 0 && lines[i]!.trim().startsWith('#'); i--) block.unshift(i);
  const start = block.findIndex((i) => /^#\s*DECISION\b/.test(lines[i]!.trim()));
  if (start < 0) return undefined;
  const text = block
    .slice(start)
    .map((i) => lines[i]!.trim().replace(/^#\s?/, ''))
    .join(' ')
    .replace(/^DECISION:?\s*/, '')
    .replace(/\s+/g, ' ');
  return { text, file: file.label, line: block[start]! + 1 };
}

/** The first DECISION among these places, nearest first. */
export function firstDecision(spec: LoadedSpec, places: (JsonPath | undefined)[]): Decision | undefined {
  for (const p of places) {
    const d = p && decisionAt(spec, p);
    if (d) return d;
  }
  return undefined;
}

/** 1-based line of the key (in a mapping) or the entry (in a list) at `at`. */
function keyLine(root: Node | null, at: JsonPath, linePos: (offset: number) => { line: number }): number | undefined {
  let node: Node | null | undefined = root;
  let line: number | undefined;
  for (const key of at) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
      if (!pair) return undefined;
      const range = (pair.key as Node | null)?.range;
      line = range ? linePos(range[0]).line : undefined;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      line = item?.range ? linePos(item.range[0]).line : undefined;
      node = item;
    } else return undefined;
  }
  return line;
}
