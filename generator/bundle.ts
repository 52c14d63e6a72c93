// A spec spread over several files, bundled into one document at load time.
//
// Two kinds of reference to another file:
// - at a slot of the root file (`paths./x`, `webhooks.x`, `components.<kind>.<Name>`),
//   the referenced content is put in that place, as if written there;
// - anywhere else, the reference is rewritten to point inside the bundle:
//   into the root file itself, into content placed at a slot, or to a
//   component of the other file (`other.yaml#/components/schemas/Name`), which
//   is then added to the root's components under the same name.
// A `#/…` reference written in another file means that file, as in OpenAPI,
// and is rewritten the same way. So the rest of the generator sees one
// document whose references are all internal, and names stay names (a shared
// schema is one named type, wherever it is written).
//
// Every object and array of the bundle remembers the file and JSON path it
// was built from, so errors name the file and line a part was written in.
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { Json, JsonObject, JsonPath } from './load.js';
import { SpecError } from './spec-error.js';

type At = (string | number)[];

/** One parsed file of the spec. */
export interface SourceFile {
  /** As named in messages: the root as given, the others relative to it (`spec/card-templates.yaml`). */
  label: string;
  /** Absolute path: each file is read once. */
  abs: string;
  doc: Document;
  lineCounter: LineCounter;
  value: Json;
  /** The file's text as read (the audit's --apply writes edits back into it). */
  text: string;
}

/** Where a part of the bundle was written. */
export interface Origin {
  file: SourceFile;
  at: At;
}

/** Reads another file of the spec; `from` is the `$ref` that asked for it, for the message if it cannot be read. */
export type ReadFile = (abs: string, label: string, from: { file: string; line: number | undefined }) => SourceFile;

export interface Bundle {
  root: JsonObject;
  /** Each reference that could not be followed (the part it stands for is left empty), with the file that could not be read. */
  refusals: SpecError[];
  files: SourceFile[];
  /** Where the node at this path of the bundle was written (its nearest ancestor's place, extended by the rest of the path). */
  locate(path: JsonPath): Origin;
}

export function bundle(rootFile: SourceFile, read: ReadFile): Bundle {
  // A spec in one file with nothing to rewrite is its own bundle: every part
  // is written where it stands, so no copy (of a large spec, the biggest
  // thing the generator holds) and no table of origins are needed.
  if (isObject(rootFile.value) && selfContained(rootFile.value)) {
    return { root: rootFile.value, files: [rootFile], refusals: [], locate: (p) => ({ file: rootFile, at: [...p] }) };
  }
  const b = new Bundler(rootFile, read);
  const root = b.run();
  return { root, files: b.files, refusals: b.refusals, locate: (p) => b.locate(root, p) };
}

/** 1-based line of the node at `at` in `file`, or of its nearest ancestor that exists. */
export function findLine(file: SourceFile, at: JsonPath): number | undefined {
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? file.doc.contents : file.doc.getIn(at.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    // Collections and (with keepScalar) scalars carry their source range.
    if (range) return file.lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/** `#/a/b~1c` for the path [a, 'b/c']. */
export function pointer(at: JsonPath): string {
  return `#/${at.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

interface Target extends Origin {
  value: Json;
}

interface Mount {
  /** Content written here … */
  file: SourceFile;
  at: At;
  /** … lives here in the bundle. */
  root: At;
}

class Bundler {
  readonly files: SourceFile[];
  readonly refusals: SpecError[] = [];
  private readonly byAbs = new Map<string, SourceFile>();
  private readonly origins = new WeakMap<object, Origin>();
  private readonly mounts: Mount[] = [];
  private readonly hoists: Mount[] = [];

  constructor(
    private readonly rootFile: SourceFile,
    private readonly read: ReadFile,
  ) {
    this.files = [rootFile];
    this.byAbs.set(rootFile.abs, rootFile);
  }

  run(): JsonObject {
    const top = this.rootFile.value as JsonObject;
    // Slots first, so that a reference met anywhere can map into any of them.
    for (const slot of slots(top)) {
      const node = lookup(top, slot);
      if (!isExternalRef(node, this.rootFile, this.rootFile)) continue;
      // A slot whose reference fails is refused again, at the same place, when it is built below.
      this.collect(slot, () => {
        const t = this.follow(this.resolve((node as JsonObject)['$ref'] as string, { file: this.rootFile, at: [...slot, '$ref'] }));
        this.mounts.push({ file: t.file, at: t.at, root: slot });
      });
    }
    const root = this.build(top, { file: this.rootFile, at: [] }, []) as JsonObject;
    for (let h = this.hoists.shift(); h; h = this.hoists.shift()) {
      const [, kind, name] = h.root as [string, string, string];
      const components = this.container(root, 'components', { file: this.rootFile, at: ['components'] });
      const group = this.container(components, kind, { file: this.rootFile, at: ['components', kind] });
      group[name] = this.build(lookup(h.file.value, h.at) ?? null, { file: h.file, at: h.at }, h.root);
    }
    return root;
  }

  locate(root: JsonObject, p: JsonPath): Origin {
    let node: Json | undefined = root;
    let origin = this.origins.get(root)!;
    const rest: (string | number)[] = [];
    for (const key of p) {
      const child: Json | undefined = rest.length === 0 && isObject(node) ? node[key] : rest.length === 0 && Array.isArray(node) ? node[Number(key)] : undefined;
      const o = child !== null && typeof child === 'object' ? this.origins.get(child) : undefined;
      if (o) origin = o;
      else rest.push(key);
      node = child;
    }
    return { file: origin.file, at: [...origin.at, ...rest] };
  }

  /** A copy of `value` (written at `origin`) for the bundle path `rootAt`, with every reference made internal. */
  private build(value: Json, origin: Origin, rootAt: At, inlining: string[] = []): Json {
    if (Array.isArray(value)) {
      const out = value.map((v, i) => this.build(v, { file: origin.file, at: [...origin.at, i] }, [...rootAt, i]));
      this.origins.set(out, origin);
      return out;
    }
    if (!isObject(value)) return value;
    if (isExternalRef(value, origin.file, this.rootFile)) {
      // A reference that cannot be followed is refused at its place and stands for nothing: the operation,
      // webhook or component it is in is refused, and every other part of the spec is still checked.
      const out = this.collect(rootAt, () => this.buildRef(value, origin, rootAt, inlining));
      if (out !== undefined) return out;
      const empty: JsonObject = {};
      this.origins.set(empty, origin);
      return empty;
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      // Assigned to a plain object, this key would set its prototype: the entry would vanish from the spec.
      if (k === '__proto__') {
        this.collect([...rootAt, k], () => {
          throw this.error({ file: origin.file, at: [...origin.at, k] }, 'a key cannot be __proto__: in JavaScript it names the prototype of every object, so the generator would lose it');
        });
        continue;
      }
      out[k] = this.build(v, { file: origin.file, at: [...origin.at, k] }, [...rootAt, k]);
    }
    this.origins.set(out, origin);
    return out;
  }

  /** Runs `f`; a SpecError it throws is recorded at the bundle path `rootAt`. */
  private collect<T>(rootAt: At, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      this.refusals.push(new SpecError(e.file, e.line, e.detail, { at: rootAt }));
      return undefined;
    }
  }

  private buildRef(value: JsonObject, origin: Origin, rootAt: At, inlining: string[]): Json {
    const refAt: Origin = { file: origin.file, at: [...origin.at, '$ref'] };
    const ref = value['$ref'] as string;
    if (isSlot(rootAt)) {
      const extra = Object.keys(value).find((k) => k !== '$ref');
      if (extra !== undefined) throw this.error(refAt, `$ref ${ref}: put ${extra} in the referenced file; keys beside a $ref to another file are not merged`);
      const t = this.follow(this.resolve(ref, refAt));
      const key = `${t.file.abs}${pointer(t.at)}`;
      if (inlining.includes(key)) throw this.error(refAt, `$ref ${ref} refers back to itself`);
      return this.build(t.value, t, rootAt, [...inlining, key]);
    }
    const t = this.resolve(ref, refAt);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' ? pointer(this.mapToRoot(t, ref, refAt)) : this.build(v, { file: origin.file, at: [...origin.at, k] }, [...rootAt, k]);
    }
    this.origins.set(out, origin);
    return out;
  }

  /** Where the content a reference points to lives in the bundle. */
  private mapToRoot(t: Target, ref: string, refAt: Origin): At {
    if (t.file === this.rootFile) return t.at;
    let best: Mount | undefined;
    for (const m of this.mounts) if (m.file === t.file && startsWith(t.at, m.at) && (!best || m.at.length > best.at.length)) best = m;
    if (best) return [...best.root, ...t.at.slice(best.at.length)];
    if (t.at.length >= 3 && t.at[0] === 'components') {
      const rootAt = t.at.slice(0, 3);
      const [, kind, name] = rootAt as [string, string, string];
      const taken = lookup(this.rootFile.value, rootAt) !== undefined || this.mounts.some((m) => startsWith(m.root, rootAt));
      if (taken) throw this.error(refAt, `$ref ${ref}: ${t.file.label} and the root file both define components.${kind}.${name}; rename one of them`);
      const mount = { file: t.file, at: rootAt, root: rootAt };
      this.mounts.push(mount);
      this.hoists.push(mount);
      return t.at;
    }
    throw this.error(
      refAt,
      `$ref ${ref} points into ${t.file.label} at ${pointer(t.at)}, which is neither a component (#/components/<kind>/<Name>) nor placed in the root file's paths or components; refer to a component of that file`,
    );
  }

  /** The file and path a reference written at `refAt` points to; an error at the reference when it does not resolve. */
  private resolve(ref: string, refAt: Origin): Target {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    if (/^[a-z][a-z\d+.-]*:/i.test(filePart)) throw this.error(refAt, `unsupported $ref ${JSON.stringify(ref)}: only references to files of the spec (a relative path) and inside them (#/...) are supported`);
    if (fragment !== '' && !fragment.startsWith('/')) throw this.error(refAt, `unsupported $ref ${JSON.stringify(ref)}: the part after # must be a JSON pointer (#/...)`);
    const file = filePart === '' ? refAt.file : this.file(filePart, refAt);
    const at = fragment === '' ? [] : fragment.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const value = lookup(file.value, at);
    if (value === undefined) throw this.error(refAt, `$ref ${ref} does not resolve: ${file.label} has nothing at ${pointer(at)}`);
    return { file, at, value };
  }

  /** A target that is itself only a reference to another file, followed to the end. */
  private follow(t: Target): Target {
    const seen = new Set([`${t.file.abs}${pointer(t.at)}`]);
    while (isExternalRef(t.value, t.file, this.rootFile) && Object.keys(t.value as JsonObject).length === 1) {
      const ref = (t.value as JsonObject)['$ref'] as string;
      const refAt = { file: t.file, at: [...t.at, '$ref'] };
      t = this.resolve(ref, refAt);
      const key = `${t.file.abs}${pointer(t.at)}`;
      if (seen.has(key)) throw this.error(refAt, `$ref ${ref} leads back to where the chain of references started: a loop`);
      seen.add(key);
    }
    return t;
  }

  private file(relative: string, refAt: Origin): SourceFile {
    const abs = path.resolve(path.dirname(refAt.file.abs), relative);
    const known = this.byAbs.get(abs);
    if (known) return known;
    const label = path.normalize(path.join(path.dirname(refAt.file.label), relative));
    const file = this.read(abs, label, { file: refAt.file.label, line: findLine(refAt.file, refAt.at) });
    this.byAbs.set(abs, file);
    this.files.push(file);
    return file;
  }

  private container(parent: JsonObject, key: string, origin: Origin): JsonObject {
    const existing = parent[key];
    if (isObject(existing)) return existing;
    const made: JsonObject = {};
    this.origins.set(made, origin);
    parent[key] = made;
    return made;
  }

  private error(at: Origin, message: string): SpecError {
    return new SpecError(at.file.label, findLine(at.file, at.at), message);
  }
}

/** The places of the root file whose content may be another file's: path items, webhooks, components. */
function slots(top: JsonObject): At[] {
  const out: At[] = [];
  for (const key of ['paths', 'webhooks']) if (isObject(top[key])) for (const name of Object.keys(top[key])) out.push([key, name]);
  const components = top['components'];
  if (isObject(components)) {
    for (const [kind, group] of Object.entries(components)) if (isObject(group)) for (const name of Object.keys(group)) out.push(['components', kind, name]);
  }
  return out;
}

/**
 * No reference out of the file, no `__proto__` key (which the Bundler
 * refuses) and no object in two places (a YAML alias: the bundle's copy
 * separates them, so a change to one is not a change to the other).
 */
function selfContained(root: JsonObject): boolean {
  const seen = new Set<object>();
  const walk = (node: Json): boolean => {
    if (node === null || typeof node !== 'object') return true;
    if (seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.every(walk);
    const ref = node['$ref'];
    if (typeof ref === 'string' && !ref.startsWith('#')) return false;
    for (const key of Object.keys(node)) if (key === '__proto__' || !walk(node[key]!)) return false;
    return true;
  };
  return walk(root);
}

function isSlot(at: At): boolean {
  return (at.length === 2 && (at[0] === 'paths' || at[0] === 'webhooks')) || (at.length === 3 && at[0] === 'components');
}

/** A reference that leaves the root file: to another file, or `#/…` written in another file. */
function isExternalRef(node: Json | undefined, where: SourceFile, rootFile: SourceFile): boolean {
  if (!isObject(node) || typeof node['$ref'] !== 'string') return false;
  return !(node['$ref'].startsWith('#') && where === rootFile);
}

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lookup(root: Json, at: JsonPath): Json | undefined {
  let node: Json | undefined = root;
  for (const key of at) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  return node;
}

function startsWith(at: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= at.length && prefix.every((k, i) => String(k) === String(at[i]));
}
