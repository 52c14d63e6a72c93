// `import`: a Swagger 2.0 or OpenAPI 3.x description (one file, or many by
// relative `$ref`) → ONE OpenAPI 3.1 spec that `generate` reads, and the
// report of everything that was not carried, repaired or dropped. The output
// is the user's from then on: edit it, regenerate from it.
//
// Same source, same bytes: operations keep the source's order, shared
// schemas are sorted by name, nothing depends on time or on the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Json, JsonObject } from '../load.js';
import { assignOperationIds } from './operation-ids.js';
import { METHODS, OperationConverter, type ImportedOperation } from './operations.js';
import { isObject, refOf, SourceReader } from './read.js';
import { Tally, type Finding, type ImportReport, type OperationReport } from './report.js';
import { SchemaConverter } from './schemas.js';

export interface ImportOptions {
  /** The source description's root file. */
  source: string;
  /** Only paths matching one of these globs (`*` within a segment, `**` across segments); all when empty. */
  paths?: string[];
}

export interface ImportResult {
  /** The OpenAPI 3.1 spec, YAML. */
  text: string;
  report: ImportReport;
  /** Every file of the source that was read, relative to the root file's folder, sorted. */
  files: string[];
}

/** A source that is not a description at all: the whole import stops with this. */
export class ImportError extends Error {}

export function importDescription(options: ImportOptions): ImportResult {
  let reader: SourceReader;
  try {
    reader = new SourceReader(options.source);
  } catch (e) {
    throw new ImportError((e as Error).message);
  }
  const doc = reader.root.value;
  if (!isObject(doc)) throw new ImportError(`${options.source}: not a Swagger or OpenAPI document (a YAML or JSON mapping)`);
  const version = sourceVersion(doc, options.source);
  const swagger = version.startsWith('Swagger');
  const mapped = new Tally();
  const schemas = new SchemaConverter(reader, mapped);
  const operations = new OperationConverter(reader, schemas, doc, swagger, mapped);
  const wanted = globs(options.paths ?? []);

  // Both kinds, in the source's order, for the report.
  const order: (ImportedOperation | OperationReport)[] = [];
  for (const [p, raw] of Object.entries(isObject(doc['paths']) ? doc['paths'] : {})) {
    if (!wanted(p)) continue;
    let item: Json = raw;
    let itemPlace = { file: reader.root, at: ['paths', p] as (string | number)[] };
    const ref = refOf(raw);
    if (ref !== undefined) {
      const t = reader.resolve(ref, reader.root);
      if (typeof t === 'string') {
        order.push({ method: '*', path: p, findings: [{ kind: 'not-carried', message: `$ref ${t}`, where: reader.where(itemPlace) }] });
        continue;
      }
      item = t.value;
      itemPlace = t;
    }
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || method.startsWith('x-') || !isObject(op)) continue;
      const place = { file: itemPlace.file, at: [...itemPlace.at, method] };
      if (!['head', 'options', 'trace', ...METHODS].includes(method)) {
        mapped.add(`key ${method} of a path item left out (not an HTTP method)`);
        continue;
      }
      if (!(METHODS as readonly string[]).includes(method)) {
        order.push({ method: method.toUpperCase(), path: p, findings: [{ kind: 'not-carried', message: `method ${method}: the generator carries ${METHODS.join(', ')}`, where: reader.where(place) }] });
        continue;
      }
      order.push(operations.convert(p, method.toUpperCase(), op, place, item['parameters'], { file: itemPlace.file, at: [...itemPlace.at, 'parameters'] }));
    }
  }

  const imported = order.filter((o): o is ImportedOperation => 'sink' in o);
  // An operation is carried when neither it nor a shared schema it reaches has a not-carried finding.
  const findingsOf = (o: ImportedOperation): Finding[] => dedupe([...o.sink.findings, ...schemas.closure(o.sink.uses).flatMap((n) => schemas.component(n).sink.findings)]);
  const carried = imported.filter((o) => !findingsOf(o).some((f) => f.kind === 'not-carried'));
  const used = schemas.closure(carried.flatMap((o) => [...o.sink.uses]));
  const ids = assignOperationIds(carried, used);

  const out: JsonObject = { openapi: '3.1.0', info: info(doc, options.source, version, mapped) };
  const servers = serversOf(doc, swagger);
  if (servers) out['servers'] = servers;
  const paths: JsonObject = {};
  carried.forEach((o, i) => {
    const item = (paths[o.path] ??= {}) as JsonObject;
    item[o.method.toLowerCase()] = { operationId: ids[i]!, ...o.operation };
  });
  out['paths'] = paths;
  if (used.length) out['components'] = { schemas: Object.fromEntries(used.map((n) => [n, schemas.component(n).schema])) };

  const reports = order.map((o): OperationReport => {
    if (!('sink' in o)) return o;
    const i = carried.indexOf(o);
    return i < 0 ? { method: o.method, path: o.path, findings: findingsOf(o) } : { method: o.method, path: o.path, operationId: ids[i]!, findings: findingsOf(o) };
  });
  const total = order.length;
  const report: ImportReport = {
    source: options.source,
    version,
    counts: { operations: total, imported: carried.length, notCarried: total - carried.length, schemas: used.length },
    mapped: mapped.toJSON(),
    operations: reports,
  };
  const files = reader.files.map((f) => f.label).sort();
  return { text: stringify(out, { lineWidth: 0, aliasDuplicateObjects: false }), report, files };
}

/** Writes the spec (and the report as JSON when asked); returns the result. */
export function importToFile(options: ImportOptions & { out: string; report?: string }): ImportResult {
  const result = importDescription(options);
  write(options.out, result.text);
  if (options.report) write(options.report, `${JSON.stringify(result.report, null, 2)}\n`);
  return result;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

function sourceVersion(doc: JsonObject, source: string): string {
  if (doc['swagger'] === '2.0') return 'Swagger 2.0';
  const v = doc['openapi'];
  if (typeof v === 'string' && /^3\.[01](\.\d+)?$/.test(v)) return `OpenAPI ${v}`;
  throw new ImportError(`${source}: reads Swagger 2.0 and OpenAPI 3.0 or 3.1; this has ${doc['swagger'] !== undefined ? `swagger: ${JSON.stringify(doc['swagger'])}` : v !== undefined ? `openapi: ${JSON.stringify(v)}` : 'no swagger or openapi version'}`);
}

/** Titles the generator names the client type after (`WeChat Pay` → its …Client); any other is kept in the description. */
const PLAIN_TITLE = /^[A-Za-z][A-Za-z0-9 ]{0,40}$/;
const DEFAULT_TITLE = 'WeChat Pay';

function info(doc: JsonObject, source: string, version: string, mapped: Tally): JsonObject {
  const src = isObject(doc['info']) ? doc['info'] : {};
  const given = typeof src['title'] === 'string' ? src['title'] : undefined;
  const title = given !== undefined && PLAIN_TITLE.test(given) ? given : DEFAULT_TITLE;
  if (title !== given) mapped.add(`info.title ${JSON.stringify(given ?? '')} (the client type is named after a plain ASCII title) → ${JSON.stringify(DEFAULT_TITLE)}, the source's kept in info.description`);
  const out: JsonObject = { title, version: typeof src['version'] === 'string' ? src['version'] : '0.0.0' };
  const note = `Imported from ${path.basename(source)} (${version}${title !== given && given ? `, title ${given}` : ''}) by wechatpay-membercard-generator import. Every operation is marked x-wechatpay-source: community: its facts come from that description, not from WeChat's pages.`;
  out['description'] = typeof src['description'] === 'string' ? `${src['description'].trimEnd()}\n\n${note}` : note;
  return out;
}

function serversOf(doc: JsonObject, swagger: boolean): Json | undefined {
  if (!swagger) return Array.isArray(doc['servers']) ? doc['servers'] : undefined;
  if (typeof doc['host'] !== 'string') return undefined;
  const scheme = Array.isArray(doc['schemes']) && doc['schemes'].includes('https') ? 'https' : 'http';
  return [{ url: `${scheme}://${doc['host']}${typeof doc['basePath'] === 'string' ? doc['basePath'].replace(/\/$/, '') : ''}` }];
}

/** A matcher for path globs: `*` within one segment, `**` across segments. */
export function globs(patterns: string[]): (p: string) => boolean {
  if (patterns.length === 0) return () => true;
  const res = patterns.map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`));
  return (p) => res.some((r) => r.test(p));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.kind}\u0000${f.where}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
