// `changes --base REV`: what a change of the spec means for the callers of
// the generated client. The client is a function of the spec, so the two
// specs are compared as the client reads them (the operations' fields with
// required, type, maxLength and enum, as spec-side.ts reads them), and each
// difference is classified:
//   - breaking: a caller's code that compiled and worked may now fail to
//     compile or be refused (a new required request field, a limit
//     tightened, a request enum value removed, a field removed, a type
//     changed, an answer's field no longer required, an operation removed
//     or moved);
//   - attention: compiles, but code may be wrong (a new value in an answer's
//     enum breaks an exhaustive `switch`);
//   - compatible: an optional field or a request enum value added, a limit
//     loosened, a description reworded, an operation added.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { LoadedSpec } from '../load.js';
import { readOperations } from '../model.js';
import { findOperation, type SpecField, type SpecOperation } from './spec-side.js';

export type Impact = 'breaking' | 'attention' | 'compatible';

export interface Change {
  impact: Impact;
  operationId: string;
  /** `body.member_tag`, `response.card_type`, `operation`. */
  where: string;
  what: string;
}

export interface ChangeReport {
  changes: Change[];
  /** major for anything breaking, minor for additions, patch otherwise (nothing, or wording). */
  semver: 'major' | 'minor' | 'patch';
}

/** Throws a SpecError when either spec is broken, as `generate` would. */
export function compareSpecs(base: LoadedSpec, head: LoadedSpec): ChangeReport {
  const before = readOperations(base);
  const after = readOperations(head);
  const changes: Change[] = [];
  for (const b of before) {
    const same = after.find((a) => a.method === b.method && a.path === b.path);
    const renamed = same && same.operationId !== b.operationId;
    const moved = !same ? after.find((a) => a.operationId === b.operationId) : undefined;
    if (moved) changes.push({ impact: 'breaking', operationId: b.operationId, where: 'operation', what: `moved from ${b.method} ${b.path} to ${moved.method} ${moved.path}: a client built before calls the old path` });
    else if (!same) changes.push({ impact: 'breaking', operationId: b.operationId, where: 'operation', what: `removed (${b.method} ${b.path})` });
    else {
      if (renamed) changes.push({ impact: 'breaking', operationId: b.operationId, where: 'operation', what: `renamed to ${same.operationId}: callers call client.${b.operationId}` });
      compareOperation(findOperation(base, before, b.method, b.path)!, findOperation(head, after, same.method, same.path)!, changes);
    }
  }
  for (const a of after) {
    if (!before.some((b) => (b.method === a.method && b.path === a.path) || b.operationId === a.operationId)) changes.push({ impact: 'compatible', operationId: a.operationId, where: 'operation', what: `added (${a.method} ${a.path})` });
  }
  // Wording alone is a patch; anything a caller can use or must handle, a minor; anything breaking, a major.
  const semver = changes.some((c) => c.impact === 'breaking') ? 'major' : changes.some((c) => !/ reworded$/.test(c.what)) ? 'minor' : 'patch';
  return { changes, semver };
}

function compareOperation(b: SpecOperation, a: SpecOperation, out: Change[]): void {
  const id = b.operationId;
  for (const section of ['header', 'path', 'query', 'body'] as const) compareFields(id, section, b.params[section], a.params[section], 'request', out);
  if (b.response.status !== a.response.status || b.response.noBody !== a.response.noBody) {
    out.push({ impact: 'breaking', operationId: id, where: 'response', what: `answers ${a.response.status}${a.response.noBody ? ' with no body' : ''} instead of ${b.response.status}${b.response.noBody ? ' with no body' : ''}` });
  }
  compareFields(id, 'response', b.response.fields, a.response.fields, 'response', out);
}

function compareFields(id: string, where: string, before: SpecField[], after: SpecField[], side: 'request' | 'response', out: Change[]): void {
  const push = (impact: Impact, w: string, what: string) => out.push({ impact, operationId: id, where: w, what });
  for (const b of before) {
    const a = after.find((f) => f.name === b.name);
    const w = `${where}.${b.name}`;
    if (!a) {
      push('breaking', w, side === 'request' ? 'removed: a caller that sends it no longer compiles' : 'removed from the answer: a caller that reads it no longer compiles');
      continue;
    }
    compareField(id, w, b, a, side, out);
  }
  for (const a of after) {
    if (before.some((f) => f.name === a.name)) continue;
    const w = `${where}.${a.name}`;
    if (side === 'request') push(a.required ? 'breaking' : 'compatible', w, a.required ? `new required field (${a.type}): every call must send it` : `new optional field (${a.type})`);
    else push('compatible', w, `new field in the answer (${a.type})`);
  }
}

function compareField(id: string, w: string, b: SpecField, a: SpecField, side: 'request' | 'response', out: Change[]): void {
  const push = (impact: Impact, where: string, what: string) => out.push({ impact, operationId: id, where, what });
  if (b.type !== a.type) push('breaking', w, `type ${b.type} → ${a.type}`);
  if (b.required !== a.required) {
    const tighter = side === 'request' ? a.required : !a.required;
    push(tighter ? 'breaking' : 'compatible', w, a.required ? 'now required' : 'now optional');
  }
  if (b.maxLength !== a.maxLength) {
    const tighter = a.maxLength !== undefined && (b.maxLength === undefined || a.maxLength < b.maxLength);
    // The client checks a request's lengths before sending; an answer's length limits nothing a caller writes.
    push(side === 'request' && tighter ? 'breaking' : 'compatible', w, `max length ${b.maxLength ?? 'none'} → ${a.maxLength ?? 'none'}`);
  }
  if (!isDeepStrictEqual(b.enum ?? null, a.enum ?? null)) {
    const added = (a.enum ?? []).filter((v) => !b.enum?.includes(v));
    const removed = (b.enum ?? []).filter((v) => !a.enum?.includes(v));
    if (b.enum && !a.enum) push(side === 'request' ? 'compatible' : 'attention', w, 'no longer an enum: any string');
    else if (!b.enum && a.enum) push(side === 'request' ? 'breaking' : 'compatible', w, `now one of ${a.enum.join(', ')}`);
    else {
      if (removed.length) push(side === 'request' ? 'breaking' : 'compatible', w, `enum value${removed.length > 1 ? 's' : ''} ${removed.join(', ')} removed`);
      if (added.length) push(side === 'request' ? 'compatible' : 'attention', w, `enum value${added.length > 1 ? 's' : ''} ${added.join(', ')} added${side === 'response' ? ': an exhaustive switch over it no longer covers every value' : ''}`);
    }
  }
  const meanings = Object.keys(a.enumMeanings ?? {}).filter((v) => b.enumMeanings?.[v] !== undefined && b.enumMeanings[v] !== a.enumMeanings![v]);
  if (meanings.length) push('compatible', w, `meaning of ${meanings.join(', ')} reworded`);
  if ((b.description ?? '') !== (a.description ?? '')) push('compatible', w, 'description reworded');
  if (b.properties || a.properties) compareFields(id, w, b.properties ?? [], a.properties ?? [], side, out);
}

/** The report as Markdown, fit for the body of a pull request. */
export function formatChanges(report: ChangeReport, base: string): string {
  const out = [`## What this change means for callers (against ${base})`, ''];
  if (report.changes.length === 0) return [...out, 'No change to the generated client’s operations or fields.', '', 'Suggested version bump: **patch**.'].join('\n');
  out.push(`Suggested version bump: **${report.semver}**.`, '');
  const heads: Record<Impact, string> = { breaking: 'Breaking for callers', attention: 'Needs attention (compiles, may be wrong)', compatible: 'Compatible' };
  for (const impact of ['breaking', 'attention', 'compatible'] as const) {
    const list = report.changes.filter((c) => c.impact === impact);
    if (!list.length) continue;
    out.push(`### ${heads[impact]} (${list.length})`, '');
    for (const c of list) out.push(`- \`${c.operationId}\` ${c.where === 'operation' ? '' : `\`${c.where}\`: `}${c.what}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/**
 * The spec as it was at git revision `rev`: every file under the spec's
 * folder at that revision, written to a temp folder (removed before this
 * returns) and loaded from there, so `$ref`s between the files resolve as
 * they did then.
 */
export function loadAtRevision(specFile: string, rev: string, load: (file: string) => LoadedSpec): LoadedSpec {
  const abs = path.resolve(specFile);
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const top = git(path.dirname(abs), 'rev-parse', '--show-toplevel').trim();
  const dir = path.relative(top, path.dirname(abs));
  const tmp = mkdtempSync(path.join(tmpdir(), 'wxp-changes-'));
  try {
    const files = git(top, 'ls-tree', '-r', '--name-only', rev, '--', dir === '' ? '.' : dir)
      .split('\n')
      .filter(Boolean);
    for (const f of files) {
      mkdirSync(path.join(tmp, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(tmp, f), execFileSync('git', ['show', `${rev}:${f}`], { cwd: top, maxBuffer: 64 << 20 }));
    }
    return load(path.join(tmp, dir, path.basename(abs)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
