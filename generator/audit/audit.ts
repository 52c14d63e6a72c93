// `audit PAGE.txt…`: each page read, matched to the spec's operation by method
// and path, and compared. Exit 0 when every page agrees, 1 when one differs,
// 2 when one cannot be read (then it says which part).
import type { LoadedSpec } from '../load.js';
import { readOperations, type OperationModel } from '../model.js';
import { compare, type Finding, type Honoured } from './compare.js';
import { PageParseError, parsePage } from './page.js';
import { firstDecision } from './decisions.js';
import { sameTitle } from './moved.js';
import { findOperation } from './spec-side.js';

export interface PageAudit {
  file: string;
  status: 'agree' | 'differ' | 'unparsable';
  /** Why the page could not be read. */
  error?: { part: string; line?: number; message: string };
  page?: { title: string; updated: string; method: string; path: string };
  operationId?: string;
  findings: Finding[];
  honoured: Honoured[];
  notes: string[];
}

export interface AuditResult {
  spec: string;
  pages: PageAudit[];
  exitCode: 0 | 1 | 2;
}

/** Throws a SpecError when the spec itself is broken, as `generate` would. */
export function audit(spec: LoadedSpec, pages: { file: string; text: string }[]): AuditResult {
  const ops = readOperations(spec);
  const results = pages.map(({ file, text }) => auditPage(spec, ops, file, text));
  const exitCode = results.some((r) => r.status === 'unparsable') ? 2 : results.some((r) => r.status === 'differ') ? 1 : 0;
  return { spec: spec.file, pages: results, exitCode };
}

function auditPage(spec: LoadedSpec, ops: OperationModel[], file: string, text: string): PageAudit {
  const empty = { findings: [], honoured: [], notes: [] };
  let page;
  try {
    page = parsePage(text);
  } catch (e) {
    if (!(e instanceof PageParseError)) throw e;
    return { file, status: 'unparsable', error: { part: e.part, ...(e.line ? { line: e.line } : {}), message: e.message }, ...empty };
  }
  const summary = { title: page.title, updated: page.updated, method: page.method, path: page.path };
  const op = findOperation(spec, ops, page.method, page.path);
  if (!op) {
    const same = sameTitle(ops, page.title);
    const missing: Finding = {
      kind: 'operation-missing',
      where: 'operation',
      message: `the spec has no operation ${page.method} ${page.path}. Add it under paths, with the page's parameters, response and errors.${sameTitleSentence(same, page.title)}`,
      page: `${page.method} ${page.path}`,
      // The operations the page may have moved from, as data (moved.ts adds the page's beside the one, with --add-moved).
      ...(same.length ? { spec: same.map((o) => ({ operationId: o.operationId, method: o.method, path: o.path })) } : {}),
    };
    return { file, status: 'differ', page: summary, ...empty, findings: [missing] };
  }
  const result = compare(
    page,
    op,
    (at) => {
      const l = spec.locate(at);
      return l.file === spec.file ? { line: l.line } : l;
    },
    (at) => {
      const d = firstDecision(spec, at);
      return d && (d.file === spec.file ? { text: d.text, line: d.line } : d);
    },
  );
  return { file, status: result.findings.length ? 'differ' : 'agree', page: summary, operationId: op.operationId, ...result };
}

/** The operations whose recorded page has this title: WeChat may have moved the operation, or replaced it. */
function sameTitleSentence(same: OperationModel[], title: string): string {
  if (same.length === 0) return '';
  const list = same.map((o) => `${o.operationId} (${o.method} ${o.path}${o.docUpdated ? `, page updated ${o.docUpdated}` : ''})`).join(', ');
  return ` The spec's ${list} ha${same.length > 1 ? 've' : 's'} a page with the same title 《${title}》: WeChat may have moved that operation to this path, or added this one beside it. Check both pages before editing ${same.length > 1 ? 'them' : 'it'}${same.length === 1 ? `; audit --apply --add-moved adds this operation as a copy of ${same[0]!.operationId}, brought to the page, beside it` : ''}.`;
}

export function formatAudit(result: AuditResult): string {
  const out: string[] = [];
  for (const r of result.pages) {
    if (r.status === 'unparsable') {
      out.push(`${r.file}: cannot read the page: ${r.error!.message}. Nothing was compared.`, '');
      continue;
    }
    const p = r.page!;
    const head = `${r.file} → ${r.operationId ?? '(no operation)'} (${p.method} ${p.path}), page 《${p.title}》 updated ${p.updated}`;
    out.push(r.findings.length ? `${head}: ${r.findings.length} difference${r.findings.length > 1 ? 's' : ''}` : `${head}: agrees with the spec`);
    r.findings.forEach((f, i) => {
      out.push(`  ${i + 1}. ${f.message}`);
      if (f.snippet) out.push(...f.snippet.trimEnd().split('\n').map((l) => `       ${l}`));
    });
    if (r.honoured.length) {
      out.push('  deliberate differences the spec records (x-wechatpay-doc-deviation), not drift:');
      for (const h of r.honoured) out.push(`   - ${h.where}: the page says ${JSON.stringify(h.page)}, the spec ${JSON.stringify(h.spec)}: ${h.reason}`);
    }
    if (r.notes.length) {
      out.push('  not compared:');
      for (const n of r.notes) out.push(`   - ${n}`);
    }
    out.push('');
  }
  const differ = result.pages.filter((r) => r.status === 'differ').length;
  const unreadable = result.pages.filter((r) => r.status === 'unparsable').length;
  const n = result.pages.length;
  out.push(
    unreadable
      ? `${unreadable} of ${n} page${n > 1 ? 's' : ''} could not be read${differ ? `, ${differ} differ${differ > 1 ? '' : 's'}` : ''} (exit 2).`
      : differ
        ? `${differ} of ${n} page${n > 1 ? 's' : ''} differ${differ > 1 ? '' : 's'} from ${result.spec} (exit 1).`
        : `${n === 1 ? 'The page agrees' : `All ${n} pages agree`} with ${result.spec}.`,
  );
  return out.join('\n');
}
