// Page vs spec, one operation: every difference as a sentence a maintainer
// acts on, with where to edit the spec; what the spec deliberately overrides
// (x-wechatpay-doc-deviation) is honoured and listed, not reported as drift.
import { isDeepStrictEqual } from 'node:util';
import type { Json } from '../load.js';
import type { Page, PageError, PageField, PageGap, Section } from './page.js';
import { descriptionOf, errorOf, errorSnippet, fieldSnippet, paramOf, paramSnippet, schemaOf } from './snippet.js';
import type { ErrorDocModel } from '../model.js';
import type { Aspect, SpecField, SpecOperation } from './spec-side.js';
import type { SpecEdit } from './spec-edit.js';

export type FindingKind =
  | 'field-added'
  | 'field-removed'
  | 'required'
  | 'type'
  | 'maxLength'
  | 'enum'
  | 'enum-meaning'
  | 'description'
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
  /** The place records a deliberate choice (a deviation or a DECISION comment): review it; --apply leaves it alone. */
  deliberate?: Deliberate;
  /** What --apply writes for this finding; absent when a person has to make the change. */
  edits?: SpecEdit[];
}

export interface Deliberate {
  by: 'deviation' | 'decision';
  /** The deviation's reason or the DECISION comment's text. */
  reason: string;
  /** Where it is written: "spec line 12" or "spec/cards.yaml:12". */
  place: string;
}

/** The DECISION comment nearest to these places of the spec (see decisions.ts). */
export type Decide = (places: (readonly (string | number)[] | undefined)[]) => { text: string; file?: string; line: number } | undefined;

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
  /** The DECISION recorded at the first of these places that has one, as a finding's `deliberate`. */
  decision(places: (readonly (string | number)[] | undefined)[]): Deliberate | undefined;
}

function places(locate: Locate, decide: Decide): Place {
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
    decision: (at) => {
      const d = decide(at);
      if (!d) return undefined;
      return { by: 'decision', reason: d.text, place: d.file ? `${d.file}:${d.line}` : `spec line ${d.line}` };
    },
  };
}

export function compare(page: Page, op: SpecOperation, locate: Locate, decide: Decide = () => undefined): Comparison {
  const out: Comparison = { findings: [], honoured: [], notes: [] };
  const loc = places(locate, decide);

  if (!op.doc.updated || page.updated > op.doc.updated) {
    out.findings.push({
      kind: 'updated',
      where: 'doc',
      message: `the page was updated ${page.updated}; the spec records ${op.doc.updated ?? 'no date'}. Once the spec matches the page, set x-wechatpay-doc.updated: "${page.updated}".`,
      page: page.updated,
      spec: op.doc.updated ?? null,
      ...loc.fields([...op.at, 'x-wechatpay-doc']),
      edits: [{ op: 'set', at: [...op.at, 'x-wechatpay-doc', 'updated'], value: page.updated }],
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

/** What a finding says: the fact, then what to do — or, at a deliberate place, that the choice there is to be reviewed instead. */
function say(fact: string, todo: string, deliberate: Deliberate | undefined): string {
  if (!deliberate) return `${fact} ${todo}`;
  const what = deliberate.by === 'deviation' ? 'a deliberate difference (x-wechatpay-doc-deviation' : 'a decision (# DECISION';
  return `${fact} The spec records ${what} at ${deliberate.place}: ${deliberate.reason}). Review that choice against the page before changing anything; --apply leaves it alone.`;
}

/** `gap`: the table is cut by a gap in the copy, so the spec's rows beyond the page's are not reported as removed. */
function compareFields(where: string, page: PageField[], spec: SpecField[], target: Target, out: Comparison, loc: Place, gap?: PageGap): void {
  const matched = new Set<SpecField>();
  // A property the page adds goes after the one the page lists before it.
  let previous: string | undefined;
  // In the one-field-per-line layout nothing marks where an object's rows end,
  // so a row the spec lacks at this level may be a property of the last
  // object shown with `属性`.
  let lastObject: { page: PageField; spec: SpecField } | undefined;
  // The object whose `properties` the target is: its `required` list, and any DECISION written on it.
  const objectAt = target.kind === 'property' && target.at[target.at.length - 1] === 'properties' ? target.at.slice(0, -1) : undefined;
  const fromObject: Finding[] = [];
  const objectDecision = () => loc.decision(objectAt ? [[...objectAt, 'required'], [...objectAt, 'properties']] : []);
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
      const edits: SpecEdit[] | undefined =
        target.kind === 'param'
          ? [{ op: 'append', at: target.at, value: paramOf(p, target.in) }]
          : objectAt
            ? [{ op: 'insert', at: target.at, key: p.name, value: schemaOf(p), ...(previous !== undefined ? { after: previous } : {}) }, ...(p.required ? [{ op: 'list-add' as const, at: [...objectAt, 'required'], value: p.name }] : [])]
            : undefined;
      const deliberate = objectDecision();
      out.findings.push({
        kind: 'field-added',
        where: w,
        message: say(`${w}: on the page (${describe(p)}), not in the spec.`, `Add it to ${into} ${loc.spec(target.at)}${p.required && target.kind === 'property' ? `, and to that schema's \`required\` list` : ''}:`, deliberate),
        page: describe(p),
        ...loc.fields(target.at),
        snippet,
        ...(deliberate ? { deliberate } : {}),
        ...(edits ? { edits } : {}),
      });
      previous = p.name;
      continue;
    }
    matched.add(s);
    if (w === `${where}.${p.name}`) previous = p.name;
    if (s.community) {
      const deliberate = fieldDecision(s, loc);
      // A mark on this object covers its other fields too: it moves onto those the page does not state (below).
      const onObject = !s.communityAt && objectAt !== undefined && isDeepStrictEqual(s.communityFrom, objectAt);
      const finding: Finding = {
        kind: 'source',
        where: w,
        message: say(
          `${w}: the page now states this field (${describe(p)}); the spec takes it from the community description (${loc.spec(s.at)}).`,
          s.communityAt
            ? "Take the page's facts and remove x-wechatpay-source: community."
            : onObject
              ? `Take the page's facts, and move x-wechatpay-source: community from the object (${loc.spec(s.communityFrom)}) onto the fields the page does not state.`
              : `Take the page's facts; the x-wechatpay-source: community mark is on the response or the operation (${loc.spec(s.communityFrom)}), so move it onto the fields the page does not state, by hand.`,
          deliberate,
        ),
        page: describe(p),
        spec: 'x-wechatpay-source: community',
        ...loc.fields(s.at),
        ...(deliberate ? { deliberate } : {}),
        ...(s.communityAt ? { edits: [{ op: 'delete' as const, at: [...s.communityAt, 'x-wechatpay-source'] }] } : {}),
      };
      if (onObject) fromObject.push(finding);
      out.findings.push(finding);
    }
    compareField(w, p, s, out, loc);
    if (p.type === 'object' || p.type.startsWith('array[')) lastObject = { page: p, spec: s };
  }
  const unseen = spec.filter((s) => !matched.has(s));
  for (const f of fromObject) {
    f.edits = [{ op: 'delete', at: [...objectAt!, 'x-wechatpay-source'] }, ...unseen.filter((s) => !s.communityAt).map((s): SpecEdit => ({ op: 'set', at: [...s.at, 'x-wechatpay-source'], value: 'community' }))];
  }
  if (gap && unseen.length) {
    const community = unseen.filter((s) => s.community).length;
    out.notes.push(
      `${where}: the copy of the page has a gap at line ${gap.line} (${gap.what}); the spec's ${unseen.length} further field${unseen.length > 1 ? 's' : ''} (${unseen.map((s) => s.name).join(', ')}) ${unseen.length > 1 ? 'are' : 'is'} not compared${community ? `, ${community === unseen.length ? 'all' : community} marked x-wechatpay-source: community` : ''}.`,
    );
    return;
  }
  for (const s of unseen) {
    const deliberate = fieldDecision(s, loc) ?? objectDecision();
    const edits: SpecEdit[] | undefined =
      target.kind === 'param'
        ? s.listAt && [{ op: 'remove-item', at: s.listAt }]
        : [{ op: 'delete', at: s.at }, ...(s.required ? [{ op: 'list-remove' as const, at: s.places.required, value: s.name }] : [])];
    out.findings.push({
      kind: 'field-removed',
      where: `${where}.${s.name}`,
      message: say(`${where}.${s.name}: in the spec (${loc.line(s.at)}), not on the page.`, 'Remove it from the spec, or record why it stays.', deliberate),
      spec: s.name,
      ...loc.fields(s.at),
      ...(deliberate ? { deliberate } : {}),
      ...(edits ? { edits } : {}),
    });
  }
}

/**
 * A DECISION written on the field or its entry in the parameters list; with
 * `schema`, also one on the shared schema it uses, which covers the schema's
 * constraints but not this use of it (whether it is listed, required, how
 * its page describes it).
 */
function fieldDecision(s: SpecField, loc: Place, schema = false): Deliberate | undefined {
  return loc.decision([s.at, s.listAt, schema ? s.shared?.at : undefined]);
}

/** The page's type word as schema keywords, for the types --apply can write: a scalar, or an array of scalars. */
function typeEdits(s: SpecField, pageType: string): SpecEdit[] | undefined {
  const scalar = (t: string | undefined) => t !== undefined && ['string', 'integer', 'number', 'boolean'].includes(t);
  const item = pageType.match(/^array\[(\w+)\]$/)?.[1];
  const was = s.type.match(/^array\[(\w+)\]$/)?.[1];
  if (!(scalar(pageType) || scalar(item)) || !(scalar(s.type) || scalar(was))) return undefined;
  const typeAt = s.places.type;
  const itemsAt = [...typeAt.slice(0, -1), 'items'];
  if (item) return [{ op: 'set', at: typeAt, value: 'array' }, { op: 'set', at: itemsAt, value: { type: item } }];
  return [{ op: 'set', at: typeAt, value: pageType }, ...(was ? [{ op: 'delete' as const, at: itemsAt }] : [])];
}

function compareField(w: string, p: PageField, s: SpecField, out: Comparison, loc: Place): void {
  const at = loc.fields(s.at);
  // Constraints of a shared schema are edited where it is defined, for every field that uses it.
  const inSchema = s.shared ? `in components.schemas.${s.shared.name} (${loc.spec(s.shared.at)}; shared, so check the other fields that use it)` : `(${loc.spec(s.at)})`;
  // A place that records a deliberate choice: a deviation (for any aspect) or a DECISION comment.
  const placeDeliberate = (aspect: Aspect | 'description'): Deliberate | undefined => {
    // A description is of this use of the field (see spec-side.ts), as is whether it is required.
    if (aspect === 'description') return fieldDecision(s, loc);
    // A deviation is recorded for one aspect (and the page's value then); a DECISION comment covers the place.
    const dev = s.deviations.find((d) => d.aspect === aspect);
    if (dev) return { by: 'deviation', reason: `the page said ${JSON.stringify(dev.page)}; ${dev.reason}`, place: loc.spec(s.at) };
    return aspect === 'required' ? (fieldDecision(s, loc) ?? loc.decision([s.places.required])) : fieldDecision(s, loc, true);
  };
  const differ = (aspect: Aspect | 'description' | 'enum-meaning', pageValue: Json, specValue: Json, finding: (deliberate: Deliberate | undefined) => Finding) => {
    if (isDeepStrictEqual(pageValue, specValue)) return;
    const dev = s.deviations.find((d) => d.aspect === aspect && isDeepStrictEqual(d.page, pageValue));
    if (dev) {
      out.honoured.push({ where: w, aspect: aspect as Aspect, page: pageValue, spec: specValue, reason: dev.reason });
      return;
    }
    const deliberate = placeDeliberate(aspect === 'enum-meaning' ? 'enum' : aspect);
    out.findings.push({ ...finding(deliberate), ...(deliberate ? { deliberate } : {}) });
  };
  const req = (r: boolean) => (r ? '必填' : '选填');
  // A parameter says `required: true` itself; a property is listed in its object's `required`.
  const isParam = isDeepStrictEqual(s.places.required, [...s.at, 'required']);
  differ('required', req(p.required), req(s.required), (d) => ({
    kind: 'required',
    where: w,
    message: say(
      `${w}: the page says ${req(p.required)}, the spec has it ${s.required ? 'required' : 'optional'} (${loc.line(s.at)}).`,
      `${p.required ? 'Add it to' : 'Remove it from'} the \`required\` list${s.at.includes('parameters') ? ' (`required:` of the parameter)' : ''}.`,
      d,
    ),
    page: req(p.required),
    spec: req(s.required),
    ...at,
    edits: isParam
      ? [p.required ? { op: 'set', at: s.places.required, value: true } : { op: 'delete', at: s.places.required }]
      : [{ op: p.required ? 'list-add' : 'list-remove', at: s.places.required, value: s.name }],
  }));
  differ('type', p.type, s.type, (d) => {
    const edits = typeEdits(s, p.type);
    return {
      kind: 'type',
      where: w,
      message: say(`${w}: type ${s.type} → ${p.type} on the page.`, `Change it ${inSchema}${edits ? '' : ' (by hand: --apply writes only scalar types and arrays of them)'}.`, d),
      page: p.type,
      spec: s.type,
      ...at,
      ...(edits ? { edits } : {}),
    };
  });
  differ('maxLength', p.maxLength ?? null, s.maxLength ?? null, (d) => ({
    kind: 'maxLength',
    where: w,
    message:
      p.maxLength === undefined
        ? say(`${w}: max length ${s.maxLength} → none: the page no longer states one.`, `Remove maxLength ${inSchema}.`, d)
        : say(`${w}: max length ${s.maxLength ?? 'none'} → ${p.maxLength}.`, `Set maxLength: ${p.maxLength} ${inSchema}.`, d),
    page: p.maxLength ?? null,
    spec: s.maxLength ?? null,
    ...at,
    edits: [p.maxLength === undefined ? { op: 'delete', at: s.places.maxLength } : { op: 'set', at: s.places.maxLength, value: p.maxLength }],
  }));
  const pageEnum = p.enum?.map((e) => e.value) ?? null;
  differ('enum', pageEnum, s.enum ?? null, (d) => {
    const added = (pageEnum ?? []).filter((v) => !s.enum?.includes(v));
    const removed = (s.enum ?? []).filter((v) => !pageEnum?.includes(v));
    const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
    const meanings = (p.enum ?? []).filter((e) => added.includes(e.value));
    return {
      kind: 'enum',
      where: w,
      message: parts.length
        ? say(`${w}: 可选取值 ${parts.join('; ')}.`, `Update enum and x-enumDescriptions ${inSchema}${meanings.length ? ':' : '.'}`, d)
        : say(`${w}: 可选取值 reordered to ${pageEnum?.join(', ')}.`, `Reorder the enum ${inSchema}.`, d),
      page: pageEnum,
      spec: s.enum ?? null,
      ...at,
      ...(meanings.length && !d ? { snippet: meanings.map((e) => `${e.value}: ${e.meaning}`).join('\n') + '\n' } : {}),
      edits: enumEdits(s, p),
    };
  });
  // The meaning of each value both sides list.
  const changed = (p.enum ?? []).filter((e) => s.enum?.includes(e.value) && norm(e.meaning) !== norm(s.enumMeanings?.[e.value] ?? ''));
  if (changed.length) {
    differ('enum-meaning', changed.map((e) => e.meaning), changed.map((e) => s.enumMeanings?.[e.value] ?? null), (d) => ({
      kind: 'enum-meaning',
      where: w,
      message: say(
        `${w}: the meaning of ${changed.map((e) => `${e.value} changed from ${JSON.stringify(s.enumMeanings?.[e.value] ?? null)} to ${JSON.stringify(e.meaning)}`).join('; ')}.`,
        `Update x-enumDescriptions ${inSchema}.`,
        d,
      ),
      page: Object.fromEntries(changed.map((e) => [e.value, e.meaning])),
      spec: Object.fromEntries(changed.map((e) => [e.value, s.enumMeanings?.[e.value] ?? null])),
      ...at,
      edits: changed.map((e) => ({ op: 'set', at: [...s.places.schema, 'x-enumDescriptions', e.value], value: e.meaning })),
    }));
  }
  // The 【title】 and text, when the page gives any.
  const text = descriptionOf(p);
  // A schema that two pages word differently records the other page's text as a deviation.
  const dev = s.deviations.find((d) => d.aspect === 'description');
  if (text && bare(text) !== bare(s.description ?? '') && dev && typeof dev.page === 'string' && bare(dev.page) === bare(text)) {
    out.honoured.push({ where: w, aspect: 'description', page: text, spec: s.description ?? null, reason: dev.reason });
  } else if (text && bare(text) !== bare(s.description ?? '')) {
    const title = (d: string | undefined) => d?.match(/^\s*【([^】]*)】/)?.[1];
    const titleChanged = p.title !== undefined && p.title !== title(s.description);
    differ('description', norm(text), norm(s.description ?? ''), (d) => ({
      kind: 'description',
      where: w,
      message: say(
        titleChanged
          ? `${w}: the title changed from 【${title(s.description) ?? ''}】 to 【${p.title}】.`
          : `${w}: the description changed from ${JSON.stringify(norm(s.description ?? ''))} to ${JSON.stringify(norm(text))}.`,
        `Set its description ${loc.spec(s.places.description)}.`,
        d,
      ),
      page: text,
      spec: s.description ?? null,
      ...loc.fields(s.places.description),
      edits: [{ op: 'set', at: s.places.description, value: text }],
    }));
  }
  if (p.properties) compareFields(w, p.properties, s.properties ?? [], { kind: 'property', at: s.propertiesAt ?? s.at }, out, loc);
  else if (p.collapsed && s.properties?.length) out.notes.push(`${w}: the page shows 属性 without listing the properties, so the spec's ${s.properties.length} are not compared.`);
}

/** The enum as the page lists it, with a meaning for each added value and none for a removed one. */
function enumEdits(s: SpecField, p: PageField): SpecEdit[] {
  const enumAt = [...s.places.schema, 'enum'];
  const meaningsAt = [...s.places.schema, 'x-enumDescriptions'];
  if (!p.enum?.length) return [{ op: 'delete', at: enumAt }, ...(s.enumMeanings ? [{ op: 'delete' as const, at: meaningsAt }] : [])];
  const edits: SpecEdit[] = [{ op: 'set', at: enumAt, value: p.enum.map((e) => e.value) }];
  if (!s.enumMeanings) return [...edits, { op: 'set', at: meaningsAt, value: Object.fromEntries(p.enum.map((e) => [e.value, e.meaning])) }];
  let previous: string | undefined;
  for (const e of p.enum) {
    if (!s.enum?.includes(e.value)) edits.push({ op: 'insert', at: meaningsAt, key: e.value, value: e.meaning, ...(previous !== undefined ? { after: previous } : {}) });
    previous = e.value;
  }
  for (const v of s.enum ?? []) if (!p.enum.some((e) => e.value === v) && s.enumMeanings[v] !== undefined) edits.push({ op: 'delete', at: [...meaningsAt, v] });
  return edits;
}

/** Spacing and a closing full stop are not wording: the copy's spaces come
 * from the browser's layout (【A】 或【B】 reads as 【A】或【B】), and pages that
 * share a field end its text with or without 。. */
export function bare(t: string): string {
  return t.replace(/\s+/g, '').replace(/[。.]$/, '');
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function compareErrors(table: 'common' | 'business', page: PageError[], spec: ErrorDocModel[], at: (string | number)[], out: Comparison, loc: Place): void {
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
        edits: [{ op: 'append', at, value: errorOf(p) }],
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
        edits: [{ op: 'set', at: [...s.at, 'solution'], value: p.solution }],
      });
    }
  }
  for (const s of left) {
    const deliberate: Deliberate | undefined = s.deviation ? { by: 'deviation', reason: `the page said ${JSON.stringify(s.deviation.page)}; ${s.deviation.reason}`, place: loc.spec(s.at) } : loc.decision([s.at]);
    out.findings.push({
      kind: 'error-removed',
      where,
      message: say(`${where}: ${label(s)} is in the spec (${loc.line(s.at)}), no longer on the page.`, 'Remove it.', deliberate),
      spec: { status: s.status, code: s.code, description: s.description },
      ...loc.fields(s.at),
      ...(deliberate ? { deliberate } : {}),
      edits: [{ op: 'remove-item', at: s.at }],
    });
  }
}

function describe(p: PageField): string {
  return `${p.required ? '必填' : '选填'} ${p.type}${p.maxLength !== undefined ? `(${p.maxLength})` : ''}${p.title ? ` 【${p.title}】` : ''}`;
}
