// Reads the spec so every later error can name a file and a line. A spec may
// span several files: bundle.ts follows every `$ref` to
// another file at load time and builds one document, so the rest of the
// generator sees a single document whose references are all `#/…`, while
// `locate`, `lineOf` and `error` name the file and line each part was written in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAILSAFE_SCHEMA, load as loadYaml, Type } from 'js-yaml';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { bundle, findLine, type Origin, type SourceFile } from './bundle.js';
import { SpecError } from './spec-error.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type JsonPath = readonly (string | number)[];

export interface LoadedSpec {
  /** The root file's name as given, for messages. */
  file: string;
  /** The root file's text. */
  text: string;
  /** Every file the spec was read from, the root first, as named in messages. */
  files: string[];
  /** The whole spec as one document; every `$ref` in it is internal (`#/…`). */
  root: JsonObject;
  /** File and 1-based line of the node at this JSON path of `root`, or of its nearest ancestor that exists. */
  locate(path: JsonPath): { file: string; line: number | undefined };
  /** The parsed file and the path within it where the node at this JSON path of `root` is (or would be) written. */
  origin(path: JsonPath): Origin;
  /** The parsed files, the root first. */
  sources: SourceFile[];
  /** The line alone (see `locate`). */
  lineOf(path: JsonPath): number | undefined;
  /** A SpecError pointing at `path`, in the file that path was written in. */
  error(path: JsonPath, message: string): SpecError;
  /** Mistakes met while reading the files and following their `$ref`s to other files (each reference on its own); the rest of the checks add theirs (generate.ts). */
  refusals: SpecError[];
}

export interface LoadOptions {
  /**
   * Checks the root file before any `$ref` is followed (the OpenAPI version:
   * a Swagger document is told to convert, not told about its references).
   * It throws to stop, or returns refusals to report beside the others.
   */
  before?: (root: JsonObject, error: (path: JsonPath, message: string) => SpecError) => SpecError[];
}

/**
 * A YAML syntax error or an unreadable root file stops here (there is nothing
 * to check yet); a mistake in another file or in a reference to one is one
 * of `refusals`, and the rest of the spec is still read.
 */
export function loadSpec(file: string, text = readText(file), options: LoadOptions = {}): LoadedSpec {
  const rootFile = parseSource(file, text, path.resolve(file));
  const top = rootFile.value;
  if (top === null || typeof top !== 'object' || Array.isArray(top)) throw new SpecError(file, 1, 'the spec must be a YAML mapping (an OpenAPI document)');
  const early = options.before?.(top, (p, message) => new SpecError(file, findLine(rootFile, p), message, { at: p })) ?? [];
  const b = bundle(rootFile, (abs, label, from) => parseSource(label, readText(abs, label, from), abs));
  const locate = (p: JsonPath) => {
    const o = b.locate(p);
    return { file: o.file.label, line: findLine(o.file, o.at) };
  };
  return {
    file,
    text,
    files: b.files.map((f) => f.label),
    root: b.root,
    locate,
    origin: (p) => b.locate(p),
    sources: b.files,
    lineOf: (p) => locate(p).line,
    error: (p, message) => {
      const where = locate(p);
      return new SpecError(where.file, where.line, message, { at: p });
    },
    refusals: [...early, ...b.refusals],
  };
}

/**
 * Parses one file of the spec (YAML or JSON); a syntax error names its line.
 *
 * Two parsers, one meaning. The `yaml` library keeps every node's position,
 * which an error needs, but builds a node tree costing about ten times the
 * time and memory of the value on a large spec; js-yaml builds the value
 * alone, several times faster. So js-yaml reads the value, with YAML 1.2's
 * core schema as `yaml` resolves it (CORE below), and the positioned tree is
 * built only when a line is first asked for (a refusal, or the audit). Every
 * input on which the two could disagree takes the `yaml` library alone, as
 * before: a syntax error (so its message is the same), anchors and aliases
 * (`yaml` bounds how far they expand), an explicit tag, a key that is null or
 * a collection, or a document that is not a mapping.
 */
function parseSource(label: string, text: string, abs: string): SourceFile {
  const value = quickParse(text);
  if (value === undefined) {
    const { doc, lineCounter } = parsePositioned(label, text);
    return { label, abs, doc, lineCounter, text, value: doc.toJS({ maxAliasCount: 1000 }) as Json };
  }
  let positions: { doc: Document; lineCounter: LineCounter } | undefined;
  const positioned = () => (positions ??= parsePositioned(label, text));
  return {
    label,
    abs,
    text,
    value,
    get doc() {
      return positioned().doc;
    },
    get lineCounter() {
      return positioned().lineCounter;
    },
  };
}

function parsePositioned(label: string, text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw new SpecError(label, line, `YAML syntax error: ${first.message.split('\n')[0]}`);
  }
  return { doc, lineCounter };
}

// The plain scalars of YAML 1.2's core schema, as the `yaml` library (2.x)
// resolves them, in its order. Their tags are the generator's own, so an
// explicit `!!int` in a spec is unknown to js-yaml and takes the `yaml` library.
const scalar = (name: string, test: RegExp, construct: (s: string) => Json) =>
  new Type(`tag:wechatpay-membercard-generator,core:${name}`, { kind: 'scalar', resolve: (s: unknown) => typeof s === 'string' && test.test(s), construct });
const CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    scalar('intOct', /^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)),
    scalar('int', /^[-+]?[0-9]+$/, (s) => parseInt(s, 10)),
    scalar('intHex', /^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)),
    scalar('floatNaN', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)),
    scalar('floatExp', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat),
    scalar('float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat),
  ],
});

// A collection as a key (`? ` or a flow collection before `:`), which js-yaml flattens and `yaml` prints.
const COMPLEX_KEY = /(?:^|[\s,[{])\?(?:[ \t]|$)|^[ \t]*(?:- +)*[[{].*[\]}][ \t]*:(?:[ \t]|$)|[[{,][ \t]*[[{]/m;

/** The file's value by js-yaml, or undefined where it could differ from the `yaml` library's (see parseSource). */
function quickParse(text: string): JsonObject | undefined {
  if (COMPLEX_KEY.test(text)) return undefined;
  let anchored = false;
  let value: unknown;
  try {
    value = loadYaml(text, {
      schema: CORE,
      listener(event, state) {
        if (event === 'close' && (state as { anchor?: string | null }).anchor != null) anchored = true;
      },
    });
  } catch {
    return undefined;
  }
  if (anchored || value === null || typeof value !== 'object' || Array.isArray(value) || hasNullKey(value as Json)) return undefined;
  return value as JsonObject;
}

/** A null key: js-yaml names it `null`, the `yaml` library ``. A key written `null` (quoted) takes the slow path too. */
function hasNullKey(node: Json): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasNullKey);
  for (const key in node) if (key === 'null' || hasNullKey(node[key]!)) return true;
  return false;
}

/** `from`: the `$ref` that asked for another file, named when that file cannot be read. */
function readText(file: string, label = file, from?: { file: string; line: number | undefined }): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    if (from) throw new SpecError(from.file, from.line, `$ref to ${label}: cannot read that file (${why})`);
    throw new SpecError(file, undefined, `cannot read the spec: ${why}`);
  }
}
