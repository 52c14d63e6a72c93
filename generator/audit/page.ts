// Reads the text of a WeChat Pay doc page, as a person copies it from the
// browser, into the facts the audit compares. Two layouts are seen in practice
// and both are read here:
//   - one field per line: `name  必填 string(32)`, then its 【title】 text, then
//     `属性` (an object whose properties are not listed) or `可选取值` and
//     `• VALUE: meaning` lines;
//   - flattened: the same rows, but an object's properties are inlined into
//     one block after `属性 | |…`, ending at a line that ends with `|`, and
//     enum values run together (`PURCHASE\n: 付费NORMAL\n: 普通`).
// Anything the audit needs and cannot find is a PageError naming the part, so
// a half-read page is never reported as "no drift" — unless the text itself
// says what it lacks: a `[gap: …]` marks a part WeChat's page has and the
// copy does not. Such a page is compared for what it has, and every gap is
// listed as not compared (a section with a gap is never taken as complete).
// A header block (`source:`, `gaps:` …) that ends at a line `---` is skipped.

export type Section = 'header' | 'path' | 'query' | 'body' | 'response';

export interface PageField {
  name: string;
  required: boolean;
  /** As the page writes it: string, integer, boolean, object, array[object], … */
  type: string;
  maxLength?: number;
  /** The 【…】 text. */
  title?: string;
  /** The text after the title, for a ready-to-paste snippet. */
  description: string;
  /** Values of 可选取值 with their meanings; absent when the page lists none. An empty list is a 可选取值 heading with nothing under it. */
  enum?: { value: string; meaning: string }[];
  /** An object's properties when the page lists them; `collapsed` when it shows `属性` without them. */
  properties?: PageField[];
  collapsed?: boolean;
  /** 1-based line in the page. */
  line: number;
}

/** A part of WeChat's page that the copy lacks, as the copy marks it: `[gap: what]`. */
export interface PageGap {
  what: string;
  line: number;
  /** The table it interrupts, when it lies among the request parameters. */
  section?: Exclude<Section, 'response'>;
}

export interface PageError {
  status: number;
  code: string;
  description: string;
  solution: string;
  line: number;
}

export interface Page {
  title: string;
  /** 更新时间 as YYYY-MM-DD. */
  updated: string;
  method: string;
  path: string;
  params: Record<Exclude<Section, 'response'>, PageField[]>;
  /** The success status and its fields; `fields` is empty for 无应答包体. Null when the copy has a gap instead. */
  response: { status: number; fields: PageField[]; noBody: boolean } | null;
  /** Null when the copy has a gap instead of the 错误码 section. */
  errors: { common: PageError[]; business: PageError[] } | null;
  /** What the copy lacks; empty for a whole page. */
  gaps: PageGap[];
  /** The request tables that a gap interrupts: rows the spec has beyond them may be in the gap. */
  truncated: Exclude<Section, 'response'>[];
}

export class PageParseError extends Error {
  constructor(
    readonly part: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${part}${line ? ` (line ${line})` : ''}: ${detail}`);
    this.name = 'PageParseError';
  }
}

interface Line {
  text: string;
  no: number;
  /** Set on the entry that stands for a `[gap: …]` marker (its text is empty). */
  gap?: string;
}

// `name 必填 string(32)`; the name may carry a leading bullet.
const FIELD_ROW = /^(?:[•·]\s*)?([A-Za-z][A-Za-z0-9_-]*)\s+(必填|选填)\s+([a-z]+(?:\[[a-z]+\])?)(?:\((\d+)\))?$/;
// The same row inside a flattened block, where rows follow one another on one line.
const FIELD_IN_TEXT = /(?<=^|\s)([A-Za-z][A-Za-z0-9_-]*)\s+(必填|选填)\s+([a-z]+(?:\[[a-z]+\])?)(?:\((\d+)\))?(?=\s|$)/g;
// An enum value: upper snake case followed by a colon, `VALUE: meaning` or `VALUE\n: meaning`.
const ENUM_VALUE = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]*)\s*[::]\s*/g;
const SUBSECTION = /^(Header|path|query|body)\s+(?:HTTP头参数|路径参数|查询参数|包体参数)$/i;

export function parsePage(raw: string): Page {
  const lines = readLines(raw);
  if (lines.length === 0) throw new PageParseError('page', undefined, 'the file is empty');
  const text = lines.filter((l) => l.gap === undefined);
  const gaps: PageGap[] = lines.filter((l) => l.gap !== undefined).map((l) => ({ what: l.gap!, line: l.no }));

  const title = text[0]?.text ?? '';
  const updatedLine = text.find((l) => /^更新时间/.test(l.text));
  const date = updatedLine?.text.match(/^更新时间\s*[:：]\s*(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})/);
  if (!date) throw new PageParseError('更新时间', updatedLine?.no, `no date in the form 更新时间:YYYY.MM.DD${gaps.length ? ` (the text marks ${gaps.length} gap${gaps.length > 1 ? 's' : ''}: ${gaps[0]!.what})` : ''}`);
  const updated = `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}`;

  const methodLine = text.find((l) => /^请求方式/.test(l.text));
  const m = methodLine?.text.match(/^请求方式\s*[:：]\s*【\s*(GET|POST|PUT|PATCH|DELETE)\s*】\s*(\/\S+)/i);
  if (!m) throw new PageParseError('请求方式', methodLine?.no, 'no method and path in the form 请求方式:【POST】/v3/…');

  const at = (re: RegExp, from = 0) => lines.findIndex((l, i) => i >= from && re.test(l.text));
  const reqStart = at(/^请求参数$/);
  if (reqStart < 0) throw new PageParseError('请求参数', undefined, 'the request parameters section is missing');
  const resStart = at(/^应答参数$/, reqStart);
  const reqEnd = [at(/^请求示例$/, reqStart), resStart].find((i) => i >= 0) ?? lines.length;
  const request = readParams(lines.slice(reqStart + 1, reqEnd));
  for (const g of gaps) {
    const s = request.gaps.get(g.line);
    if (s) g.section = s;
  }
  const page = { title, updated, method: m[1]!.toUpperCase(), path: m[2]!, params: request.params, gaps, truncated: [...new Set(request.gaps.values())] };
  // A copy that ends early and says so: the response and the errors are gaps, not drift.
  if (resStart < 0 && gaps.length) return { ...page, response: null, errors: null };
  if (resStart < 0) throw new PageParseError('应答参数', lines[lines.length - 1]!.no, 'the response section is missing: the page looks truncated');
  const resEnd = at(/^应答示例$/, resStart);
  const errStart = at(/^错误码$/, resStart);
  // A copy that reaches past the 应答参数 table (its 应答示例 begins) and then
  // says it stops: the response is compared, the errors are a gap.
  const endsInGap = resEnd >= 0 && errStart < 0 && lines.slice(resEnd + 1).some((l) => l.gap !== undefined);
  if (resEnd < 0 || (errStart < 0 && !endsInGap)) throw new PageParseError(resEnd < 0 ? '应答示例' : '错误码', lines[lines.length - 1]!.no, 'the section is missing: the page looks truncated');

  const response = readResponse(lines.slice(resStart + 1, resEnd), lines.slice(resEnd + 1, errStart < 0 ? undefined : errStart));
  const errors = endsInGap ? null : readErrors(lines.slice(errStart + 1));
  return { ...page, response, errors };
}

/**
 * The page's lines, trimmed, empty ones dropped, numbered as in the file;
 * a header block ending at `---` skipped; each `[gap: …]` marker an entry of
 * its own (with the text before it on the same line kept as a line).
 */
function readLines(raw: string): Line[] {
  // Non-breaking and ideographic spaces are how the browser copies the tables' padding.
  const all = raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u3000\u200b]/g, ' ')
    .split('\n');
  const firstText = all.findIndex((l) => l.trim() !== '');
  const separator = all.findIndex((l) => l.trim() === '---');
  const skip = separator > 0 && /^source\s*:/i.test(all[firstText]?.trim() ?? '') ? separator + 1 : 0;
  const out: Line[] = [];
  all.forEach((raw, i) => {
    if (i < skip) return;
    const no = i + 1;
    let rest = raw;
    for (let g = rest.indexOf('[gap:'); g >= 0; g = rest.indexOf('[gap:')) {
      const end = rest.indexOf(']', g);
      const before = rest.slice(0, g).trim();
      if (before) out.push({ text: before, no });
      out.push({ text: '', no, gap: rest.slice(g + 5, end < 0 ? undefined : end).trim() });
      rest = end < 0 ? '' : rest.slice(end + 1);
    }
    if (rest.trim()) out.push({ text: rest.trim(), no });
  });
  return out;
}

/** The request tables, and for each gap among them (by line) the table it interrupts. */
function readParams(lines: Line[]): { params: Page['params']; gaps: Map<number, keyof Page['params']> } {
  const params: Page['params'] = { header: [], path: [], query: [], body: [] };
  const gaps = new Map<number, keyof Page['params']>();
  let current: keyof Page['params'] | undefined;
  let start = 0;
  const flush = (end: number) => {
    if (current) params[current].push(...readFields(lines.slice(start, end)));
  };
  lines.forEach((l, i) => {
    if (l.gap !== undefined) {
      if (current) gaps.set(l.no, current);
      return;
    }
    const sub = l.text.match(SUBSECTION);
    if (!sub) return;
    flush(i);
    current = sub[1]!.toLowerCase() as keyof Page['params'];
    start = i + 1;
  });
  flush(lines.length);
  if (!current && lines.some((l) => FIELD_ROW.test(l.text))) {
    throw new PageParseError('请求参数', lines[0]?.no, 'fields appear before any Header / path / query / body heading');
  }
  return { params, gaps };
}

function readResponse(lines: Line[], example: Line[]): Page['response'] {
  const statusOf = (ls: Line[]) => ls.map((l) => l.text.match(/^(\d{3})\s+[A-Za-z][A-Za-z ]*$/)).find(Boolean);
  if (lines.some((l) => /^无应答包体/.test(l.text))) {
    const status = statusOf(example);
    return { status: status ? Number(status[1]) : 204, fields: [], noBody: true };
  }
  const status = statusOf(lines);
  if (!status) throw new PageParseError('应答参数', lines[0]?.no, 'no status line such as "200 OK" and no 无应答包体');
  const fields = readFields(lines.slice(lines.findIndex((l) => l.text === status[0]) + 1));
  if (fields.length === 0) throw new PageParseError('应答参数', lines[0]?.no, 'a response status with no fields');
  return { status: Number(status[1]), fields, noBody: false };
}

/** The rows of one table (Header, path, query, body or the response), in order. */
function readFields(lines: Line[]): PageField[] {
  const fields: PageField[] = [];
  let field: PageField | undefined;
  let mode: 'text' | 'enum' = 'text';
  let enumText = '';
  const closeEnum = () => {
    if (field && mode === 'enum') field.enum = readEnum(enumText);
    mode = 'text';
    enumText = '';
  };
  for (let i = 0; i < lines.length; i++) {
    const { text, no, gap } = lines[i]!;
    if (gap !== undefined) {
      // The rest of this field (its 属性 rows, its enum, its text) may be in the gap.
      closeEnum();
      if (field && (field.type === 'object' || field.type.startsWith('array[')) && !field.properties) field.collapsed = true;
      continue;
    }
    const row = text.match(FIELD_ROW);
    if (row) {
      closeEnum();
      field = fieldFrom(row, no);
      fields.push(field);
      continue;
    }
    if (!field) {
      if (/^[•·]?\s*[A-Za-z][\w-]*\s+(必填|选填)/.test(text)) throw new PageParseError('field table', no, `cannot read the row "${text.slice(0, 60)}"`);
      continue;
    }
    if (/^属性/.test(text)) {
      closeEnum();
      if (!text.includes('|')) {
        field.collapsed = true;
        continue;
      }
      // Flattened: everything up to the line that ends with `|` belongs to this object.
      const block: string[] = [text.replace(/^属性[\s|]*/, '')];
      let end = i;
      while (!/\|\s*$/.test(block[block.length - 1]!)) {
        end++;
        if (end >= lines.length) throw new PageParseError('属性', no, `the properties of ${field.name} never end (no closing "|")`);
        block.push(lines[end]!.text);
      }
      field.properties = readInline(block.join('\n').replace(/\|\s*$/, ''), no);
      i = end;
      continue;
    }
    if (/^可选取值/.test(text)) {
      mode = 'enum';
      enumText = text.replace(/^可选取值[::]?/, '');
      continue;
    }
    if (mode === 'enum') {
      enumText += `\n${text}`;
      continue;
    }
    if (field.title === undefined && field.description === '') Object.assign(field, titled(text));
    else field.description = field.description ? `${field.description}\n${text}` : text;
  }
  closeEnum();
  return fields;
}

/** The rows inlined in a flattened `属性` block. */
function readInline(text: string, line: number): PageField[] {
  const rows = [...text.matchAll(FIELD_IN_TEXT)];
  return rows.map((row, k) => {
    const field = fieldFrom(row, line);
    let rest = text.slice(row.index + row[0].length, rows[k + 1]?.index ?? text.length).trim();
    const e = rest.search(/可选取值/);
    if (e >= 0) {
      field.enum = readEnum(rest.slice(e + '可选取值'.length));
      rest = rest.slice(0, e).trim();
    }
    return Object.assign(field, titled(rest));
  });
}

/** `【title】 text` → title and description; text without a title is all description. */
function titled(text: string): { title?: string; description: string } {
  const t = text.match(/^【([^】]*)】\s*([\s\S]*)$/);
  return t ? { title: t[1]!.trim(), description: t[2]!.trim() } : { description: text };
}

function readEnum(text: string): { value: string; meaning: string }[] {
  const hits = [...text.replace(/[•·]/g, ' ').matchAll(ENUM_VALUE)];
  return hits.map((h, k) => ({
    value: h[1]!,
    meaning: text
      .slice(h.index + h[0].length, hits[k + 1]?.index ?? text.length)
      .replace(/[•·]/g, '')
      .trim(),
  }));
}

function fieldFrom(row: RegExpMatchArray, line: number): PageField {
  const field: PageField = { name: row[1]!, required: row[2] === '必填', type: row[3]!, description: '', line };
  if (row[4] !== undefined) field.maxLength = Number(row[4]);
  return field;
}

function readErrors(lines: Line[]): Page['errors'] {
  const end = lines.findIndex((l) => /^(反馈|咨询|目录|置顶)$/.test(l.text));
  const body = end < 0 ? lines : lines.slice(0, end);
  const common = body.findIndex((l) => l.text === '公共错误码');
  const business = body.findIndex((l) => l.text === '业务错误码');
  if (common < 0) throw new PageParseError('错误码', body[0]?.no, 'no 公共错误码 table');
  return {
    common: readErrorTable('公共错误码', body.slice(common + 1, business > common ? business : body.length)),
    business: business < 0 ? [] : readErrorTable('业务错误码', body.slice(business + 1, business > common ? body.length : common)),
  };
}

const HEADER_CELLS = new Set(['状态码', '错误码', '描述', '解决方案']);

function readErrorTable(part: string, lines: Line[]): PageError[] {
  const rows: PageError[] = [];
  // `|` table: `400 | PARAM_ERROR | 参数错误 | 请根据错误提示正确传入参数 |`
  if (lines.some((l) => l.text.includes('|'))) {
    for (const l of lines) {
      const cells = l.text.split('|').map((c) => c.trim());
      if (cells[cells.length - 1] === '') cells.pop();
      if (cells.every((c) => HEADER_CELLS.has(c) || /^-*$/.test(c))) continue;
      if (cells.length !== 4 || !/^\d{3}$/.test(cells[0]!)) throw new PageParseError(part, l.no, `a row with ${cells.length} cells, want 4 (状态码 | 错误码 | 描述 | 解决方案)`);
      rows.push({ status: Number(cells[0]), code: cells[1]!, description: cells[2]!, solution: cells[3]!, line: l.no });
    }
    return rows;
  }
  // One cell per line, four lines per row, after the four header cells.
  const cells = lines.filter((l) => !HEADER_CELLS.has(l.text));
  for (let i = 0; i < cells.length; i += 4) {
    const row = cells.slice(i, i + 4);
    if (row.length < 4 || !/^\d{3}$/.test(row[0]!.text) || /^\d{3}$/.test(row[2]!.text) || /^\d{3}$/.test(row[3]!.text)) {
      throw new PageParseError(part, row[0]?.no, `an incomplete row (${row.map((c) => c.text).join(' / ')}): the table looks truncated`);
    }
    rows.push({ status: Number(row[0]!.text), code: row[1]!.text, description: row[2]!.text, solution: row[3]!.text, line: row[0]!.no });
  }
  return rows;
}
