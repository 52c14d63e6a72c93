// Ready-to-paste YAML for what a page has and the spec lacks, written the way
// the spec writes it: `string(N)` → maxLength, 可选取值 → enum with meanings,
// the 【title】 leading the description.
import { stringify } from 'yaml';
import type { JsonObject } from '../load.js';
import type { PageError, PageField } from './page.js';

export function fieldSnippet(p: PageField): string {
  return yaml({ [p.name]: schemaOf(p) });
}

export function paramSnippet(p: PageField, where: string): string {
  return yaml([paramOf(p, where)]);
}

export function errorSnippet(e: PageError): string {
  return yaml([errorOf(e)]);
}

/** The parameter object for a row of a Header, path or query table. */
export function paramOf(p: PageField, where: string): JsonObject {
  const { description, ...schema } = schemaOf(p);
  return { name: p.name, in: where, required: where === 'path' || p.required, ...(description ? { description } : {}), schema };
}

export function errorOf(e: PageError): JsonObject {
  return { status: e.status, code: e.code, description: e.description, solution: e.solution };
}

/** The page's 【title】 and text as the spec writes a description: the title leading, the lines joined by a space. */
export function descriptionOf(p: PageField): string {
  return [p.title !== undefined ? `【${p.title}】` : '', p.description.replace(/\s*\n\s*/g, ' ')].filter(Boolean).join(' ');
}

export function schemaOf(p: PageField): JsonObject {
  const out: JsonObject = {};
  const item = p.type.match(/^array\[(\w+)\]$/)?.[1];
  if (item) {
    out['type'] = 'array';
    out['items'] = item === 'object' && p.properties ? objectOf(p.properties) : { type: item };
  } else if (p.type === 'object' && p.properties) Object.assign(out, objectOf(p.properties));
  else out['type'] = p.type;
  if (p.maxLength !== undefined) out['maxLength'] = p.maxLength;
  if (p.enum?.length) {
    out['enum'] = p.enum.map((e) => e.value);
    out['x-enumDescriptions'] = Object.fromEntries(p.enum.map((e) => [e.value, e.meaning]));
  }
  const text = descriptionOf(p);
  if (text) out['description'] = text;
  return out;
}

function objectOf(fields: PageField[]): JsonObject {
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    additionalProperties: false,
    ...(required.length ? { required } : {}),
    properties: Object.fromEntries(fields.map((f) => [f.name, schemaOf(f)])),
  };
}

function yaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
