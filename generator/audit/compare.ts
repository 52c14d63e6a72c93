// Page vs spec, one operation: every difference as a sentence a maintainer
// acts on, with where to edit the spec; what the spec deliberately overrides
// (x-wechatpay-doc-deviation) is honoured and listed, not reported as drift.
import { isDeepStrictEqual } from 'node:util';
import type { Json } from '../load.js';
import type { Page, PageError, PageField, PageGap, Section } from './page.js';
import { fieldSnippet, errorSnippet, paramSnippet } from './snippet.js';
import type { ErrorDocModel } from '../model.js';
import type { Aspect, SpecField, SpecOperation } from './spec-side.js';

export type FindingKind =
  | 'field-added'
  | 'field-removed'
  | 'required'
  | 'type'
  | 'maxLength'
  | 'enum'
  | 'error-added'
  | 'error-removed'
  | 'error-remedy'
  | 'updated'
  | 'status'
  | 'source'
  | 'operation-missing';

export interface Finding {
  kind: FindingKind;
  /** e.g. `body.valid_date_information.type`, `errors.business`, `doc`. */
  where: string;
  message: string;
  page?: Json;
  spec?: Json;
  /** Spec line to edit … */
  specLine?: number;
  /** … in this file, when the spec spans several files and it is not the root file. */
  specFile?: string;
  /** Ready-to-paste YAML for the spec. */
  snippet?: string;
}

export interface Honoured {
  where: string;
  aspect: Aspect | 'code';
  page: Json;
  spec: Json;
  reason: string;
}

export interface Comparison {
  findings: Finding[];
  honoured: Honoured[];
  /** What the audit could not compare, and why. */
  notes: string[];
}

/** Where a JSON path of the spec is written: the line, and the file when it is not the root file. */
export type Locate = (at: readonly (string | number)[]) => { file?: string; line: number | undefined };

/**
 * Where to edit, for findings and messages: `spec(at)` reads "spec line 12"
 * (root file) or "spec/cards.yaml:12"; `line(at)` reads "line 12" or
 * "spec/cards.yaml:12"; `fields(at)` are the finding's specLine and specFile.
 */
interface Place {
  spec(at: readonly (string | number)[] | undefined): string;
  line(at: readonly (string | number)[] | undefined): string;
  fields(at: readonly (string | number)[] | undefined): { specLine?: number; specFile?: string };
}

function places(locate: Locate): Place {
  const find = (at: readonly (string | number)[] | undefined) => (at ? locate(at) : { line: undefined });
  const say = (at: readonly (string | number)[] | undefined, word: string) => {
    const l = find(at);
    return l.file ? `${l.file}:${l.line ?? '?'}` : `${word}${l.line ?? '?'}`;
  };
  return {
    spec: (at) => say(at, 'spec line '),
    line: (at) => say(at, 'line '),
    fields: (at) => {
      const l = find(at);
      return { ...(l.line !== undefined ? { specLine: l.line } : {}), ...(l.file ? { specFile: l.file } : {}) };
    },
  };
}

export function compare(page: Page, op: SpecOperation, locate: Locate): Comparison {
  const out: Comparison = { findings: [], honoured: [], notes: [] };
  const loc = places(locate);

  if (!op.doc.updated || page.updated > op.doc.updated) {
    out.findings.push({
      kind: 'updated',
      where: 'doc',
      message: `the page was updated ${page.updated}; the spec records ${op.doc.updated ?? 'no date'}. Once the spec matches the page, set x-wechatpay-doc.updated: "${page.updated}".`,
      page: page.updated,
      spec: op.doc.updated ?? null,
      ...loc.fields([...op.at, 'x-wechatpay-doc']),
    });
  }

  const gapIn = (section: Exclude<Section, 'response'>) => (page.truncated.includes(section) ? page.gaps.find((g) => g.section === section) : undefined);
  for (const section of ['header', 'path', 'query'] as const) {
    compareFields(section, page.params[section], op.params[section], { kind: 'param', in: section, at: [...op.at, 'parameters'] }, out, loc, gapIn(section));
  }
  compareFields('body', page.params.body, op.params.body, { kind: 'property', at: op.bodyAt ?? [...op.at, 'requestBody'] }, out, loc, gapIn('body'));

  if (!page.response) {
    out.notes.push(`response: not compared: the copy of the page has no 应答参数 (it ends in gaps), so the spec's ${op.response.noBody ? `${op.response.status} with no body` : `${op.response.status} and its ${op.response.fields.length} fields`} stand unchecked.`);
  } else if (page.response.status !== op.response.status || page.response.noBody !== op.response.noBody) {
    const say = (r: { status: number; noBody: boolean }) => `${r.status}${r.noBody ? ' with no body' : ''}`;
    out.findings.push({
      kind: 'status',
      where: 'response',
      message: `the page answers ${say(page.response)}; the spec answers ${say(op.response)}. Change the operation's responses.`,
      page: say(page.response),
      spec: say(op.response),
      ...loc.fields([...op.at, 'responses']),
    });
  } else if (!page.response.noBody) {
    compareFields('response', page.response.fields, op.response.fields, { kind: 'property', at: op.response.at ?? [...op.at, 'responses'] }, out, loc);
  }

  const errors = page.errors;
  if (errors) for (const table of ['common', 'business'] as const) compareErrors(table, errors[table], op.errors[table], [...op.at, 'x-wechatpay-errors', table], out, loc);
  else out.notes.push(`errors: not compared: the copy of the page has no 错误码 table (it ends in gaps); the spec documents ${op.errors.common.length + op.errors.business.length}.`);
  for (const g of page.gaps) out.notes.push(`line ${g.line}: [gap: ${g.what}]: the copy lacks this part of WeChat's page.`);
  return out;
}

type Target = { kind: 'param'; in: string; at: (string | number)[] } | { kind: 'property'; at: (string | number)[] };

/** `gap`: the table is cut by a gap in the copy, so the spec's rows beyond the page's are not reported as removed. */
function compareFields(where: string, page: PageField[], spec: SpecField[], target: Target, out: Comparison, loc: Place, gap?: PageGap): void {
  const matched = new Set<SpecField>();
  // In the one-field-per-line layout nothing marks where an object's rows end,
  // so a row the spec lacks at this level may be a property of the last
  // object shown with `属性`.
  let lastObject: { page: PageField; spec: SpecField } | undefined;
  for (const p of page) {
    let s = spec.find((f) => f.name === p.name && !matched.has(f));
    let w = `${where}.${p.name}`;
    if (!s && lastObject?.page.collapsed) {
      const nested = lastObject.spec.properties?.find((f) => f.name === p.name);
      if (nested) {
        s = nested;
        w = `${where}.${lastObject.page.name}.${p.name}`;
      }
    }
    if (!s) {
      const snippet = target.kind === 'param' ? paramSnippet(p, target.in) : fieldSnippet(p);
      const into = target.kind === 'param' ? `the operation's parameters` : `the properties at`;
      out.findings.push({
        kind: 'field-added',
        where: w,
        message: `${w}: on the page (${describe(p)}), not in the spec. Add it to ${into} ${loc.spec(target.at)}${p.required && target.kind === 'property' ? `, and to that schema's \`required\` list` : ''}:`,
        page: describe(p),
        ...loc.fields(target.at),
        snippet,
      });
      continue;
    }
    matched.add(s);
    if (s.community) {
      out.findings.push({
        kind: 'source',
        where: w,
        message: `${w}: the page now states this field (${describe(p)}); the spec takes it from the community description (${loc.spec(s.at)}). Take the page's facts and remove x-wechatpay-source: community.`,
        page: describe(p),
        spec: 'x-wechatpay-source: community',
        ...loc.fields(s.at),
      });
    }
    compareField(w, p, s, out, loc);
    if (p.type === 'object' || p.type.startsWith('array[')) lastObject = { page: p, spec: s };
  }
  const unseen = spec.filter((s) => !matched.has(s));
  if (gap && unseen.length) {
    const community = unseen.filter((s) => s.community).length;
    out.notes.push(
      `${where}: the copy of the page has a gap at line ${gap.line} (${gap.what}); the spec's ${unseen.length} further field${unseen.length > 1 ? 's' : ''} (${unseen.map((s) => s.name).join(', ')}) ${unseen.length > 1 ? 'are' : 'is'} not compared${community ? `, ${community === unseen.length ? 'all' : community} marked x-wechatpay-source: community` : ''}.`,
    );
    return;
  }
  for (const s of unseen) {
    out.findings.push({
      kind: 'field-removed',
      where: `${where}.${s.name}`,
      message: `${where}.${s.name}: in the spec (${loc.line(s.at)}), not on the page. Remove it from the spec, or record why it stays.`,
      spec: s.name,
      ...loc.fields(s.at),
    });
  }
}

function compareField(w: string, p: PageField, s: SpecField, out: Comparison, loc: Place): void {
  const at = loc.fields(s.at);
  // Constraints of a shared schema are edited where it is defined, for every field that uses it.
  const inSchema = s.shared ? `in components.schemas.${s.shared.name} (${loc.spec(s.shared.at)}; shared, so check the other fields that use it)` : `(${loc.spec(s.at)})`;
  const differ = (aspect: Aspect, pageValue: Json, specValue: Json, finding: () => Finding) => {
    if (isDeepStrictEqual(pageValue, specValue)) return;
    const dev = s.deviations.find((d) => d.aspect === aspect && isDeepStrictEqual(d.page, pageValue));
    if (dev) out.honoured.push({ where: w, aspect, page: pageValue, spec: specValue, reason: dev.reason });
    else out.findings.push(finding());
  };
  const req = (r: boolean) => (r ? '必填' : '选填');
  differ('required', req(p.required), req(s.required), () => ({
    kind: 'required',
    where: w,
    message: `${w}: the page says ${req(p.required)}, the spec has it ${s.required ? 'required' : 'optional'} (${loc.line(s.at)}). ${p.required ? 'Add it to' : 'Remove it from'} the \`required\` list${s.at.includes('parameters') ? ' (`required:` of the parameter)' : ''}.`,
    page: req(p.required),
    spec: req(s.required),
    ...at,
  }));
  differ('type', p.type, s.type, () => ({
    kind: 'type',
    where: w,
    message: `${w}: type ${s.type} → ${p.type} on the page. Change it ${inSchema}.`,
    page: p.type,
    spec: s.type,
    ...at,
  }));
  differ('maxLength', p.maxLength ?? null, s.maxLength ?? null, () => ({
    kind: 'maxLength',
    where: w,
    message:
      p.maxLength === undefined
        ? `${w}: max length ${s.maxLength} → none: the page no longer states one. Remove maxLength ${inSchema}.`
        : `${w}: max length ${s.maxLength ?? 'none'} → ${p.maxLength}. Set maxLength: ${p.maxLength} ${inSchema}.`,
    page: p.maxLength ?? null,
    spec: s.maxLength ?? null,
    ...at,
  }));
  const pageEnum = p.enum?.map((e) => e.value) ?? null;
  differ('enum', pageEnum, s.enum ?? null, () => {
    const added = (pageEnum ?? []).filter((v) => !s.enum?.includes(v));
    const removed = (s.enum ?? []).filter((v) => !pageEnum?.includes(v));
    const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
    const meanings = (p.enum ?? []).filter((e) => added.includes(e.value));
    return {
      kind: 'enum',
      where: w,
      message: parts.length
        ? `${w}: 可选取值 ${parts.join('; ')}. Update enum and x-enumDescriptions ${inSchema}${meanings.length ? ':' : '.'}`
        : `${w}: 可选取值 reordered to ${pageEnum?.join(', ')}: reorder the enum ${inSchema}.`,
      page: pageEnum,
      spec: s.enum ?? null,
      ...at,
      ...(meanings.length ? { snippet: meanings.map((e) => `${e.value}: ${e.meaning}`).join('\n') + '\n' } : {}),
    };
  });
  if (p.properties) compareFields(w, p.properties, s.properties ?? [], { kind: 'property', at: s.propertiesAt ?? s.at }, out, loc);
  else if (p.collapsed && s.properties?.length) out.notes.push(`${w}: the page shows 属性 without listing the properties, so the spec's ${s.properties.length} are not compared.`);
}

function compareErrors(table: 'common' | 'business', page: PageError[], spec: ErrorDocModel[], at: (string | number)[], out: Comparison, loc: Place): void {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const left = [...spec];
  const where = `errors.${table}`;
  const label = (e: { status: number; code: string; description: string }) => `${e.status} ${e.code} "${norm(e.description)}"`;
  for (const p of page) {
    const same = (s: ErrorDocModel) => s.status === p.status && norm(s.description) === norm(p.description);
    let i = left.findIndex((s) => same(s) && s.code === p.code);
    const viaDeviation = i < 0 ? left.findIndex((s) => same(s) && s.deviation?.page === p.code) : -1;
    if (viaDeviation >= 0) {
      const s = left[viaDeviation]!;
      out.honoured.push({ where: `${where}: ${label(s)}`, aspect: 'code', page: p.code, spec: s.code, reason: s.deviation!.reason });
      i = viaDeviation;
    }
    if (i < 0) {
      out.findings.push({
        kind: 'error-added',
        where,
        message: `${where}: ${label(p)} is on the page, not in the spec. Add it to x-wechatpay-errors.${table} (${loc.spec(at)}):`,
        page: { status: p.status, code: p.code, description: p.description, solution: p.solution },
        ...loc.fields(at),
        snippet: errorSnippet(p),
      });
      continue;
    }
    const s = left.splice(i, 1)[0]!;
    if (norm(s.solution) !== norm(p.solution)) {
      out.findings.push({
        kind: 'error-remedy',
        where,
        message: `${where}: ${label(p)}: the remedy changed from "${norm(s.solution)}" to "${norm(p.solution)}" (${loc.spec(s.at)}).`,
        page: p.solution,
        spec: s.solution,
        ...loc.fields(s.at),
      });
    }
  }
  for (const s of left) {
    out.findings.push({
      kind: 'error-removed',
      where,
      message: `${where}: ${label(s)} is in the spec (${loc.line(s.at)}), no longer on the page. Remove it.`,
      spec: { status: s.status, code: s.code, description: s.description },
      ...loc.fields(s.at),
    });
  }
}

function describe(p: PageField): string {
  return `${p.required ? '必填' : '选填'} ${p.type}${p.maxLength !== undefined ? `(${p.maxLength})` : ''}${p.title ? ` 【${p.title}】` : ''}`;
}
