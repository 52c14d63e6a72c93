// `audit PAGE… --apply`: what the pages state, written into the spec files in
// place. Each finding's edits (compare.ts) are made with the yaml package's
// Document API on the file and at the place the fact is written (a shared
// schema in another file included). The yaml package re-lays out some lines
// it did not change (flow lists `[a, b]` against `{ a }` padding), so the new
// text is the old text with only the lines the edits changed replaced: a line
// diff between the document as parsed and as edited, laid onto the file.
// Left alone, and listed: places that record a deliberate choice (a
// deviation or a # DECISION comment), findings only a person can act on
// (a status, an operation the spec lacks), and two pages that want different
// values at one place.
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { diffArrays } from 'diff';
import { isCollection, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SourceFile } from '../bundle.js';
import type { Json, LoadedSpec } from '../load.js';
import type { AuditResult } from './audit.js';
import { bare, type Finding } from './compare.js';
import { addMovedOperations, type AddedOperation, type MovedResult } from './moved.js';
import type { Path, SpecEdit } from './spec-edit.js';

export interface AppliedChange {
  page: string;
  kind: Finding['kind'];
  where: string;
  /** Where the fact was written before the change: "spec/cards.yaml:12". */
  place: string;
  /** What changed: `body.attach: maxLength 256 → 512`. */
  message: string;
}

export interface LeftAlone {
  page: string;
  kind: Finding['kind'];
  where: string;
  place?: string;
  why: string;
}

export interface ApplyResult {
  /** With --add-moved: the operations added beside the ones that moved (written before `changed`). */
  added: AddedOperation[];
  changed: AppliedChange[];
  left: LeftAlone[];
  /** The spec files rewritten, as named in messages. */
  files: string[];
  /** What the pages' copies lack or do not show (gaps, 属性 without rows): not compared, so not applied. */
  notCompared: { page: string; note: string }[];
}

interface Planned {
  finding: Finding;
  page: string;
  edits: { edit: SpecEdit; file: SourceFile; at: Path }[];
}

/**
 * Writes the findings of `result` that --apply makes into the spec's files;
 * nothing when a page could not be read. `moved`: what --add-moved did not
 * add, and why (a page whose operation moved is otherwise left alone).
 */
export function applyAudit(spec: LoadedSpec, result: AuditResult, write = true, moved?: MovedResult): ApplyResult {
  const out: ApplyResult = { added: [], changed: [], left: [], files: [], notCompared: [] };
  const place = (f: Finding) => `${f.specFile ?? spec.file}${f.specLine !== undefined ? `:${f.specLine}` : ''}`;
  const planned: Planned[] = [];
  for (const r of result.pages) {
    for (const f of r.findings) {
      const left = (why: string) => out.left.push({ page: r.file, kind: f.kind, where: f.where, ...(f.specLine !== undefined ? { place: place(f) } : {}), why });
      if (f.deliberate) left(`${f.deliberate.by === 'deviation' ? 'x-wechatpay-doc-deviation' : '# DECISION'} at ${f.deliberate.place}: ${f.deliberate.reason}`);
      else if (f.kind === 'operation-missing') left(movedWhy(r.file, f, moved));
      else if (!f.edits) left(`a person makes this change: ${f.message}`);
      else planned.push({ finding: f, page: r.file, edits: f.edits.map((edit) => ({ edit, ...locate(spec, edit.at) })) });
    }
    for (const note of r.notes) out.notCompared.push({ page: r.file, note });
  }
  if (result.exitCode === 2) {
    for (const p of planned) out.left.push({ page: p.page, kind: p.finding.kind, where: p.finding.where, place: place(p.finding), why: 'not written: a page could not be read, so nothing is applied' });
    return out;
  }
  const kept = dropConflicts(planned, out, place);
  const edits = kept.flatMap((p) => p.edits);
  out.files = rewrite([...new Set(edits.map((e) => e.file))], write, () => {
    // List entries go last, from the end, so earlier removals do not move later ones.
    const removals = edits.filter((e) => e.edit.op === 'remove-item').sort((a, b) => Number(b.at[b.at.length - 1]) - Number(a.at[a.at.length - 1]));
    for (const e of edits.filter((e) => e.edit.op !== 'remove-item')) edit(e.file.doc, e.edit, e.at);
    for (const e of removals) edit(e.file.doc, e.edit, e.at);
  });
  for (const p of kept) out.changed.push({ page: p.page, kind: p.finding.kind, where: p.finding.where, place: place(p.finding), message: done(p.finding) });
  return out;
}

/**
 * Runs `change` on the documents of `files`, then writes each file whose
 * text changed (see merge); returns their labels. Every file's new text is
 * made first, so a file that cannot be edited in place stops the run before
 * anything is written.
 */
function rewrite(files: SourceFile[], write: boolean, change: () => void): string[] {
  const before = files.map((file) => ({ file, old: render(file.doc) }));
  change();
  const texts = before.map(({ file, old }) => ({ file, text: merge(file.text, old, render(file.doc)) }));
  const written: string[] = [];
  for (const { file, text } of texts) {
    if (text === file.text) continue;
    if (write) writeFileSync(file.abs, text);
    file.text = text;
    written.push(file.label);
  }
  return written;
}

/** Why a page whose operation the spec lacks was left alone. */
function movedWhy(page: string, f: Finding, moved: MovedResult | undefined): string {
  const refused = moved?.refused.find((r) => r.page === page);
  if (refused) return `not added: ${refused.why}`;
  const same = Array.isArray(f.spec) ? (f.spec as { operationId: string; method: string; path: string }[]) : [];
  if (same.length === 1 && !moved) return `not added: the page's operation moved from ${same[0]!.operationId} (${same[0]!.method} ${same[0]!.path}); --add-moved adds it beside that one, which stays`;
  return `a person makes this change: ${f.message}`;
}

function locate(spec: LoadedSpec, at: Path): { file: SourceFile; at: Path } {
  const o = spec.origin(at);
  return { file: o.file, at: o.at };
}

/** Two pages (or two findings) that want different values at one place: neither is written. Equal edits are made once. */
function dropConflicts(planned: Planned[], out: ApplyResult, place: (f: Finding) => string): Planned[] {
  const wants = new Map<string, { value: Json | undefined; by: Planned[] }>();
  for (const p of planned) {
    for (const e of p.edits) {
      if (e.edit.op !== 'set' && e.edit.op !== 'delete') continue;
      const key = `${e.file.abs}#${JSON.stringify(e.at)}`;
      // Texts equal but for spacing or a closing 。 are the same wording (see bare).
      const value = e.edit.op === 'set' ? (typeof e.edit.value === 'string' ? bare(e.edit.value) : e.edit.value) : undefined;
      const w = wants.get(key);
      if (!w) wants.set(key, { value, by: [p] });
      else {
        if (!isDeepStrictEqual(w.value, value)) w.value = CONFLICT;
        w.by.push(p);
      }
    }
  }
  const conflicted = new Set<Planned>();
  for (const w of wants.values()) if (w.value === CONFLICT) for (const p of w.by) conflicted.add(p);
  const seen = new Set<string>();
  const kept: Planned[] = [];
  for (const p of planned) {
    if (conflicted.has(p)) {
      out.left.push({ page: p.page, kind: p.finding.kind, where: p.finding.where, place: place(p.finding), why: `the pages given disagree on this place (${[...new Set([...wants.values()].filter((w) => w.value === CONFLICT && w.by.includes(p)).flatMap((w) => w.by.map((b) => b.page)))].join(', ')}); a person chooses` });
      continue;
    }
    // The same edit from two pages (a shared schema both use): made once.
    const edits = p.edits.filter((e) => {
      const key = `${e.file.abs}#${JSON.stringify(e.at)}#${e.edit.op === 'set' || e.edit.op === 'delete' ? e.edit.op : JSON.stringify(e.edit)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    kept.push({ ...p, edits });
  }
  return kept;
}
const CONFLICT = Symbol('conflict') as unknown as Json;

function edit(doc: Document, e: SpecEdit, at: Path): void {
  switch (e.op) {
    case 'set': {
      const node = doc.getIn(at, true) as Node | undefined;
      if (isScalar(node) && (e.value === null || typeof e.value !== 'object')) node.value = e.value;
      else if (isSeq(node) && Array.isArray(e.value)) node.items = e.value.map((v) => doc.createNode(v));
      else setIn(doc, at, doc.createNode(e.value));
      return;
    }
    case 'delete':
      if (doc.hasIn(at)) doc.deleteIn(at);
      return;
    case 'insert': {
      const map = doc.getIn(at, true) as Node | undefined;
      if (!isMap(map)) {
        setIn(doc, at, doc.createNode({ [e.key]: e.value }));
        return;
      }
      const pair = doc.createPair(e.key, e.value) as Pair;
      const after = e.after === undefined ? -1 : map.items.findIndex((p) => keyOf(p) === e.after);
      map.items.splice(e.after === undefined ? 0 : after < 0 ? map.items.length : after + 1, 0, pair);
      return;
    }
    case 'list-add': {
      const list = doc.getIn(at, true) as Node | undefined;
      if (isSeq(list)) {
        if (!list.items.some((i) => isScalar(i) && i.value === e.value)) list.items.push(doc.createNode(e.value));
        return;
      }
      // A new `required` goes before the object's `properties`, as the spec writes it.
      const parent = doc.getIn(at.slice(0, -1), true) as YAMLMap | undefined;
      const node = doc.createNode([e.value], { flow: true });
      if (!isMap(parent)) return setIn(doc, at, node);
      const i = parent.items.findIndex((p) => keyOf(p) === 'properties');
      parent.items.splice(i < 0 ? parent.items.length : i, 0, doc.createPair(String(at[at.length - 1]), node) as Pair);
      return;
    }
    case 'list-remove': {
      const list = doc.getIn(at, true) as Node | undefined;
      if (!isSeq(list)) return;
      list.items = list.items.filter((i) => !(isScalar(i) && i.value === e.value));
      if (list.items.length === 0) doc.deleteIn(at);
      return;
    }
    case 'append': {
      const list = doc.getIn(at, true) as YAMLSeq | undefined;
      if (!isSeq(list)) return setIn(doc, at, doc.createNode([e.value]));
      list.items.push(like(doc, e.value, list.items[list.items.length - 1] as Node | undefined));
      return;
    }
    case 'remove-item': {
      const list = doc.getIn(at.slice(0, -1), true) as Node | undefined;
      if (isSeq(list)) list.items.splice(Number(at[at.length - 1]), 1);
      return;
    }
  }
}

/** A new list entry written like the one before it: a flow mapping stays one, and each value keeps that entry's quoting. */
function like(doc: Document, value: Json, previous: Node | undefined): Node {
  const node = doc.createNode(value, { flow: isCollection(previous) && previous.flow === true }) as Node;
  if (isMap(node) && isMap(previous)) {
    for (const pair of node.items) {
      const before = previous.items.find((p) => keyOf(p) === keyOf(pair))?.value;
      if (isScalar(pair.value) && isScalar(before) && typeof pair.value.value === typeof before.value && before.type !== undefined) pair.value.type = before.type;
    }
  }
  return node;
}

function setIn(doc: Document, at: Path, node: unknown): void {
  doc.setIn(at, node);
}

function keyOf(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

/** The document as text, lines unfolded, flow lists unpadded (`[a, b]`, as the spec writes them; see padBraces). */
function render(doc: Document): string {
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * The file's text with the lines that changed from `before` (the document as
 * parsed, rendered) to `after` (as edited, rendered) replaced, and every other
 * line kept as the file has it. The two renderings are line for line the file
 * (the yaml package keeps lines; it only re-pads some); when they are not, the
 * file cannot be edited in place and this says so.
 */
function merge(original: string, before: string, after: string): string {
  const orig = original.split('\n');
  const old = before.split('\n');
  if (old.length !== orig.length) throw new ApplyError(`cannot edit the spec in place: the yaml package lays it out in ${old.length} lines, the file has ${orig.length}`);
  const braces = /^\s*(- )?\{ /m.test(original);
  const out: string[] = [];
  let i = 0;
  for (const part of diffArrays(old, after.split('\n'))) {
    if (part.added) out.push(...part.value.map((l) => (braces ? padBraces(l) : l)));
    else if (part.removed) i += part.value.length;
    else {
      out.push(...orig.slice(i, i + part.value.length));
      i += part.value.length;
    }
  }
  return out.join('\n');
}

/** `- {a: 1}` as `- { a: 1 }`, for a file that pads its flow mappings (and not its flow lists). */
function padBraces(line: string): string {
  return line.replace(/^(\s*(?:- |[\w-]+: ))\{(?! )(.*[^ ])\}$/, '$1{ $2 }');
}

export class ApplyError extends Error {
  override name = 'ApplyError';
}

/**
 * Audit, apply, and audit again: the spec files are written, reloaded and
 * checked as `generate` would; when the result is not a spec the generator
 * accepts, every file is put back as it was and the error is thrown.
 * `addMoved`: first add the operation of each page whose operation moved
 * (moved.ts), write and reload, then apply as for any page.
 */
export function auditAndApply(
  specFile: string,
  pages: { file: string; text: string }[],
  load: (file: string) => LoadedSpec,
  run: (spec: LoadedSpec, pages: { file: string; text: string }[]) => AuditResult,
  options: { addMoved?: boolean } = {},
): { before: AuditResult; applied: ApplyResult; after: AuditResult } {
  let spec = load(specFile);
  const before = run(spec, pages);
  const originals = spec.sources.map((f) => ({ abs: f.abs, text: f.text }));
  const restore = () => {
    for (const o of originals) writeFileSync(o.abs, o.text);
  };
  // The audit the changes are made from: before, or after the moved operations were added.
  let from = before;
  let moved: MovedResult | undefined;
  let addedFiles: string[] = [];
  if (options.addMoved && before.exitCode !== 2) {
    const s = spec;
    let result: MovedResult = { added: [], refused: [] };
    addedFiles = rewrite(s.sources, true, () => {
      result = addMovedOperations(s, before, pages);
    });
    moved = result;
    if (addedFiles.length) {
      try {
        spec = load(specFile);
        from = run(spec, pages);
      } catch (e) {
        restore();
        throw e;
      }
    }
  }
  const applied = applyAudit(spec, from, true, moved);
  // Where each added operation is written, in the spec as reloaded.
  const reloaded = spec;
  applied.added = (moved?.added ?? []).map((a) => {
    const l = reloaded.locate(['paths', a.path, a.method.toLowerCase()]);
    return { ...a, place: `${l.file}:${l.line ?? '?'}` };
  });
  applied.files = [...new Set([...addedFiles, ...applied.files])];
  if (applied.files.length === 0) return { before, applied, after: before };
  let after: AuditResult;
  try {
    after = run(load(specFile), pages);
  } catch (e) {
    restore();
    throw e;
  }
  // An edit of a shared schema reaches every field that uses it: when one of
  // those now differs from its page, the pages disagree through the schema,
  // and a person chooses. Nothing is written.
  const key = (page: string, f: Finding) => `${page}\0${f.kind}\0${f.where}`;
  const had = new Set(from.pages.flatMap((p) => p.findings.map((f) => key(p.file, f))));
  const knock = after.pages.flatMap((p) => p.findings.filter((f) => !had.has(key(p.file, f))).map((f) => ({ page: p.file, f })));
  if (knock.length === 0) return { before, applied, after };
  restore();
  const why = `not written: the changes would make ${knock.map((k) => `${k.f.where} of ${k.page}`).join(', ')} differ from its page (a schema they share); a person chooses`;
  const unwritten = [
    ...applied.added.map((a) => ({ page: a.page, kind: 'operation-missing' as const, where: 'operation', why })),
    ...applied.changed.map((c) => ({ page: c.page, kind: c.kind, where: c.where, place: c.place, why })),
  ];
  return { before, applied: { ...applied, added: [], changed: [], files: [], left: [...unwritten, ...applied.left] }, after: before };
}

export function formatApply(applied: ApplyResult, after: AuditResult): string {
  const out: string[] = [];
  if (applied.added.length) {
    out.push(`added ${applied.added.length} operation${applied.added.length > 1 ? 's' : ''} beside the one${applied.added.length > 1 ? 's' : ''} that moved:`);
    for (const a of applied.added) out.push(`  ${a.place} (${a.page}): ${a.operationId} (${a.method} ${a.path}), a copy of ${a.from.operationId} (${a.from.method} ${a.from.path}) brought to the page`);
  }
  if (applied.changed.length) {
    out.push(`applied ${applied.changed.length} change${applied.changed.length > 1 ? 's' : ''} to ${applied.files.join(', ')}:`);
    for (const c of applied.changed) out.push(`  ${c.place} (${c.page}): ${c.message}`);
  } else if (!applied.added.length) out.push('nothing applied.');
  if (applied.left.length) {
    out.push(`left alone (${applied.left.length}):`);
    for (const l of applied.left) out.push(`  ${l.place ?? l.page}: ${l.where} (${l.kind}): ${l.why}`);
  }
  if (applied.notCompared.length) {
    out.push('not compared, so not applied:');
    for (const n of applied.notCompared) out.push(`  ${n.page}: ${n.note}`);
  }
  const remaining = after.pages.reduce((n, p) => n + p.findings.length, 0);
  for (const a of applied.added) out.push(`${a.from.operationId} stays, so the callers that call it still compile: remove it by hand once they call ${a.operationId} (changes then reports it removed, breaking).`);
  if (!applied.changed.length && !applied.added.length) out.push(remaining ? `the audit finds ${remaining} difference${remaining > 1 ? 's' : ''}, none of which --apply makes (see above).` : 'the pages agree with the spec.');
  else out.push(remaining ? `after the changes the audit still finds ${remaining} difference${remaining > 1 ? 's' : ''} (those left alone above); regenerate (npm run generate) for the rest.` : 'after the changes the audit finds no difference: regenerate (npm run generate) and run the tests.');
  return out.join('\n');
}

/** What an applied finding changed, in one line: the place, the aspect, the spec's value before and the page's now. */
function done(f: Finding): string {
  const say = (v: unknown) => {
    const t = v === undefined || v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
    return t.length > 60 ? `${t.slice(0, 57)}…` : t;
  };
  switch (f.kind) {
    case 'field-added':
      return `${f.where}: added (${say(f.page)})`;
    case 'field-removed':
      return `${f.where}: removed`;
    case 'error-added':
      return `${f.where}: added ${say(f.page)}`;
    case 'error-removed':
      return `${f.where}: removed ${say(f.spec)}`;
    case 'source':
      return `${f.where}: now the page's fact (x-wechatpay-source: community removed there)`;
    case 'updated':
      return `x-wechatpay-doc.updated: ${say(f.spec)} → ${say(f.page)}`;
    default:
      return `${f.where}: ${f.kind === 'required' ? '' : `${f.kind} `}${say(f.spec)} → ${say(f.page)}`;
  }
}
