// `audit PAGE… --apply --add-moved`: a page whose operation moved (the spec
// has no operation at the page's method and path, and exactly one operation
// whose recorded page has the page's title) gets a new operation beside the
// old one, which stays for the callers that still call it.
//
// The new operation is a copy of the old one (the same YAML node, comments,
// $refs and decisions included) at the page's method and path, under its own
// operationId: the old id + `Moved` (`Moved2`, `Moved3`… when that is taken),
// so the same spec and page always give the same name. Its path parameters
// follow the page's path: those the path no longer names are dropped, those
// it newly names are taken from the page's path table. apply.ts then audits
// the page against the copy and writes whatever else the page states, as for
// any page; so the copy ends up typed from the page wherever the page speaks,
// and keeps the old operation's facts where it is silent (encryption marks,
// the properties of a collapsed 属性, deviations).
//
// Where it is written: beside the old operation, in the file the old one is
// written in. A new path gets its path item right after the old path's (in
// the root's `paths`; or, when the old path item is in another file, after
// it in that file, with a `$ref` to it in the root's `paths`); a path the
// spec already has gets the method in its path item, when that item is
// written in the old operation's file (its `$ref`s are relative to it).
import { Alias, isMap, isScalar, isSeq, Pair, Scalar, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { pointer } from '../bundle.js';
import type { LoadedSpec } from '../load.js';
import { METHODS, readOperations, type OperationModel } from '../model.js';
import { deref, isObject, lookup } from '../refs.js';
import type { AuditResult } from './audit.js';
import { parsePage, type Page } from './page.js';
import { paramOf } from './snippet.js';
import { findOperation } from './spec-side.js';

export interface AddedOperation {
  page: string;
  operationId: string;
  method: string;
  path: string;
  /** The operation it was copied from, which stays. */
  from: { operationId: string; method: string; path: string };
  /** Where the copy is written: "spec/membercard.yaml:230" (set once the files are written and read again). */
  place: string;
}

export interface MovedResult {
  added: AddedOperation[];
  /** Pages whose operation-missing finding names a moved operation that was not added, and why. */
  refused: { page: string; why: string }[];
}

/** The operations whose recorded page has this title (audit.ts lists them in the operation-missing finding). */
export function sameTitle(ops: OperationModel[], title: string): OperationModel[] {
  return ops.filter((o) => o.docTitle === title);
}

/** Adds, in the files' documents (not written), the new operation of each page whose operation moved. */
export function addMovedOperations(spec: LoadedSpec, result: AuditResult, pages: { file: string; text: string }[]): MovedResult {
  const out: MovedResult = { added: [], refused: [] };
  const ops = readOperations(spec);
  const taken = new Set([...ops.map((o) => o.operationId), ...webhookIds(spec)]);
  const done = new Set<string>();
  for (const r of result.pages) {
    if (!r.findings.some((f) => f.kind === 'operation-missing') || !r.page) continue;
    const refuse = (why: string) => out.refused.push({ page: r.file, why });
    const same = sameTitle(ops, r.page.title);
    if (same.length !== 1) {
      if (same.length > 1) refuse(`${same.length} operations have a page titled 《${r.page.title}》 (${same.map((o) => o.operationId).join(', ')}): a person chooses which one moved`);
      continue;
    }
    const key = `${r.page.method} ${r.page.path}`;
    if (done.has(key)) {
      refuse(`another page given is added at ${key} already`);
      continue;
    }
    const text = pages.find((p) => p.file === r.file)?.text;
    const page = text === undefined ? undefined : parsePage(text);
    if (!page) continue;
    const id = freeId(same[0]!.operationId, taken);
    const why = copy(spec, ops, same[0]!, page, id);
    if (why) {
      refuse(why);
      continue;
    }
    taken.add(id);
    done.add(key);
    const old = same[0]!;
    out.added.push({ page: r.file, operationId: id, method: page.method, path: page.path, from: { operationId: old.operationId, method: old.method, path: old.path }, place: spec.origin(old.at).file.label });
  }
  return out;
}

/** `invalidateUserCardMoved`, or with a number when that is taken. */
function freeId(old: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `${old}Moved${n > 1 ? n : ''}`;
    if (!taken.has(id)) return id;
  }
}

function webhookIds(spec: LoadedSpec): string[] {
  const hooks = spec.root['webhooks'];
  if (!isObject(hooks)) return [];
  return Object.values(hooks).flatMap((item) => (isObject(item) ? Object.values(item).flatMap((op) => (isObject(op) && typeof op['operationId'] === 'string' ? [op['operationId']] : [])) : []));
}

type Path = (string | number)[];

/** Writes the copy of `old` at the page's method and path into the documents; the reason when it cannot. */
function copy(spec: LoadedSpec, ops: OperationModel[], old: OperationModel, page: Page, id: string): string | undefined {
  const method = page.method.toLowerCase();
  const itemAt: Path = old.at.slice(0, -1);
  const oldOp = spec.origin(old.at);
  const file = oldOp.file;
  const oldOpNode = file.doc.getIn(oldOp.at, true);
  if (!isMap(oldOpNode)) return `the operation ${old.operationId} is not a mapping in ${file.label}`;
  const paths = spec.root['paths'];
  const existing = isObject(paths) ? paths[page.path] : undefined;
  const template = [...page.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  // The old operation's path parameters, each with the list entry it is
  // written at: those the copy carries (its own, and its path item's when the
  // path item is copied too) stay when the page's path names them; the
  // others the path names come from the page's path table.
  const pathParams = findOperation(spec, ops, old.method, old.path)!.params.path;
  const carried = pathParams.filter((p) => p.listAt && (startsWith(p.listAt, old.at) || (existing === undefined && startsWith(p.listAt, [...itemAt, 'parameters']))));
  const declaredElsewhere = existing !== undefined ? pathLevelNames(spec, ['paths', page.path, 'parameters']) : [];
  const have = new Set([...carried.filter((p) => template.includes(p.name)).map((p) => p.name), ...declaredElsewhere]);
  const rows = template.filter((n) => !have.has(n)).map((name) => ({ name, row: page.params.path.find((f) => f.name === name) }));
  const unlisted = rows.find((r) => !r.row);
  if (unlisted) return `the page's path names {${unlisted.name}}, and its path table does not list it`;

  let opCopy: YAMLMap;
  let itemCopy: YAMLMap | undefined;
  if (existing !== undefined) {
    // The page's path has a path item already: the method goes into it.
    const target = spec.origin(['paths', page.path]);
    if (target.file !== file) return `the page's path ${page.path} is written in ${target.file.label}, the operation ${old.operationId} in ${file.label}, whose $refs the copy would carry: a person copies it`;
    const item = file.doc.getIn(target.at, true);
    if (!isMap(item)) return `the path item of ${page.path} in ${target.file.label} is not a mapping`;
    opCopy = cloneNode(oldOpNode) as YAMLMap;
    const after = samePath(target.at, oldOp.at.slice(0, -1)) ? String(oldOp.at[oldOp.at.length - 1]) : undefined;
    insertAfter(item, after, method, opCopy);
  } else {
    // A new path item: the old one's, with only the moved method (and its path-level keys: parameters, summary…).
    const oldItem = file.doc.getIn(oldOp.at.slice(0, -1), true);
    if (!isMap(oldItem)) return `the path item of ${old.path} in ${file.label} is not a mapping`;
    itemCopy = cloneNode(oldItem) as YAMLMap;
    const oldMethod = String(oldOp.at[oldOp.at.length - 1]);
    itemCopy.items = itemCopy.items.filter((p) => !(METHODS as readonly string[]).includes(keyOf(p)) || keyOf(p) === oldMethod);
    const pair = itemCopy.items.find((p) => keyOf(p) === oldMethod)!;
    pair.key = new Scalar(method);
    opCopy = pair.value as YAMLMap;
    const rootPaths = spec.sources[0]!.doc.get('paths', true);
    if (!isMap(rootPaths)) return 'the root file has no `paths` mapping';
    if (file === spec.sources[0] && samePath(oldOp.at.slice(0, -1), ['paths', old.path])) {
      insertAfter(rootPaths, old.path, page.path, itemCopy, true);
    } else {
      // The old path item lives in another file, under a key the root's `paths` refers to.
      const ref = spec.sources[0]!.doc.getIn(['paths', old.path, '$ref']);
      const itemIn = oldOp.at.slice(0, -1);
      if (typeof ref !== 'string' || !ref.endsWith(pointer(itemIn))) return `the root's paths.${old.path} is not a $ref to ${file.label}${pointer(itemIn)}: a person copies it`;
      const parent = itemIn.length === 1 ? file.doc.contents : file.doc.getIn(itemIn.slice(0, -1), true);
      if (!isMap(parent)) return `the path item of ${old.path} in ${file.label} is not in a mapping`;
      const oldKey = String(itemIn[itemIn.length - 1]);
      let newKey = `${oldKey}-moved`;
      for (let n = 2; parent.has(newKey); n++) newKey = `${oldKey}-moved${n}`;
      insertAfter(parent, oldKey, newKey, itemCopy, true);
      // Written as the old path's $ref is (quoted or not).
      const refCopy = spec.sources[0]!.doc.createNode({ $ref: `${ref.slice(0, ref.indexOf('#'))}${pointer([...itemIn.slice(0, -1), newKey])}` }) as YAMLMap;
      const quoting = spec.sources[0]!.doc.getIn(['paths', old.path, '$ref'], true);
      if (isScalar(quoting) && quoting.type) (refCopy.items[0]!.value as Scalar).type = quoting.type;
      insertAfter(rootPaths, old.path, page.path, refCopy, false);
    }
  }
  opCopy.set('operationId', id);

  // Path parameters as the page's path names them.
  const drop = carried.filter((p) => !template.includes(p.name));
  // From the end of each list, so the indices of the others hold.
  for (const p of drop.sort((a, b) => Number(b.listAt![b.listAt!.length - 1]) - Number(a.listAt![a.listAt!.length - 1]))) {
    const inOp = startsWith(p.listAt!, old.at);
    const list = (inOp ? opCopy : itemCopy!).getIn(p.listAt!.slice(inOp ? old.at.length : itemAt.length, -1), true);
    if (isSeq(list)) list.items.splice(Number(p.listAt![p.listAt!.length - 1]), 1);
  }
  for (const { row } of rows) {
    let list = opCopy.get('parameters', true) as YAMLSeq | undefined;
    if (!isSeq(list)) {
      list = file.doc.createNode([]) as YAMLSeq;
      opCopy.set('parameters', list);
    }
    list.items.push(file.doc.createNode(paramOf(row!, 'path')) as Node);
  }
  return undefined;
}

/** A copy of the node: an anchored node becomes an alias of the original (a document holds each anchor once). */
function cloneNode(node: Node): Node {
  const copy = node.clone() as Node;
  visit(copy, {
    Node(_, n) {
      if ('anchor' in n && typeof n.anchor === 'string') return new Alias(n.anchor);
      return undefined;
    },
  });
  return copy;
}

function insertAfter(map: YAMLMap, after: string | undefined, key: string, value: unknown, blankLine = false): void {
  const i = after === undefined ? -1 : map.items.findIndex((p) => keyOf(p) === after);
  const k = new Scalar(key);
  if (blankLine) k.spaceBefore = true;
  map.items.splice(i < 0 ? map.items.length : i + 1, 0, new Pair(k, value));
}

function pathLevelNames(spec: LoadedSpec, at: Path): string[] {
  const list = lookup(spec.root, at.map(String));
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw, i) => {
    const { node } = deref(spec.root, raw, [...at, i]);
    return isObject(node) && node['in'] === 'path' && typeof node['name'] === 'string' ? [node['name']] : [];
  });
}

function keyOf(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

function startsWith(at: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((k, i) => String(at[i]) === String(k));
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && startsWith(a, b);
}
