// Reads the spec YAML, keeping positions so every later error can name a line.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { SpecError } from './spec-error.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface LoadedSpec {
  /** The file name as given, for messages. */
  file: string;
  text: string;
  root: JsonObject;
  /** 1-based line of the node at this JSON path, or of its nearest ancestor that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined;
  /** A SpecError pointing at `path`. */
  error(path: readonly (string | number)[], message: string): SpecError;
}

export function loadSpec(file: string, text = readText(file)): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw new SpecError(file, line, `YAML syntax error: ${first.message.split('\n')[0]}`);
  }
  const root = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new SpecError(file, 1, 'the spec must be a YAML mapping (an OpenAPI document)');

  const lineOf = (path: readonly (string | number)[]) => findLine(doc, lineCounter, path);
  return {
    file,
    text,
    root: root as JsonObject,
    lineOf,
    error: (path, message) => new SpecError(file, lineOf(path), message),
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError(file, undefined, `cannot read the spec: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function findLine(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    // Collections and (with keepScalar) scalars carry their source range.
    if (range) return lc.linePos(range[0]).line;
  }
  return undefined;
}
