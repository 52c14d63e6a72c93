// `import` on the whole community description (../shared/community-openapi,
// which CI has beside the clone): it counts what is carried, and checks that
// nothing is lost silently: every operation is in the report, every `$ref` of
// the output resolves, no schema accepts anything, every shared enumeration
// keeps its type and values.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { importDescription } from '../../generator/import/import.js';
import type { Json, JsonObject } from '../../generator/load.js';
import { ROOT } from '../helpers.js';

const DOCS = path.join(ROOT, '../shared/community-openapi/docs');

describe.skipIf(!existsSync(DOCS))('import of the whole community description', () => {
  const result = importDescription({ source: path.join(DOCS, 'swagger.yaml') });
  const { report } = result;
  const spec = parse(result.text) as { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };
  const v3 = report.operations.filter((o) => o.path.includes('/v3/'));
  const reasons = (o: (typeof v3)[number]) => o.findings.filter((f) => f.kind === 'not-carried').map((f) => f.message);
  const upload = v3.filter((o) => reasons(o).some((r) => /multipart upload/.test(r)));
  const download = v3.filter((o) => reasons(o).some((r) => /file download/.test(r)));

  it('reads all 1154 operations, 1018 of APIv3 (/v3/, /hk/v3/, /global/v3/), and reports each', () => {
    expect(report.counts.operations).toBe(1154);
    expect(report.operations.length).toBe(1154);
    expect(v3.length).toBe(1018);
  });

  it('carries at least 95% of the 1001 APIv3 operations with JSON bodies and answers, and gives a reason for each of the rest', () => {
    expect([upload.length, download.length]).toEqual([14, 3]);
    const json = v3.filter((o) => !upload.includes(o) && !download.includes(o));
    expect(json.length).toBe(1001);
    const carried = json.filter((o) => o.operationId !== undefined);
    expect(carried.length / json.length).toBeGreaterThanOrEqual(0.95);
    for (const o of json.filter((x) => x.operationId === undefined)) expect(reasons(o).length).toBeGreaterThan(0);
    expect(Object.values(spec.paths).flatMap((item) => Object.keys(item)).length).toBe(report.counts.imported);
  });

  it('has no schema that accepts anything, and every $ref resolves', () => {
    const bad: string[] = [];
    const schema = (node: Json, where: string): void => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return void bad.push(`${where}: not a schema`);
      if (typeof node['$ref'] === 'string') {
        if (!spec.components.schemas[node['$ref'].replace('#/components/schemas/', '')]) bad.push(`${where}: ${node['$ref']}`);
        return;
      }
      if (node['type'] === undefined) bad.push(`${where}: no type`);
      for (const [n, s] of Object.entries((node['properties'] ?? {}) as JsonObject)) schema(s, `${where}/properties/${n}`);
      if (node['items'] !== undefined) schema(node['items'], `${where}/items`);
    };
    for (const [p, item] of Object.entries(spec.paths)) {
      for (const [m, op] of Object.entries(item)) {
        const at = `${m} ${p}`;
        for (const param of (op['parameters'] ?? []) as JsonObject[]) schema(param['schema']!, `${at} ${String(param['name'])}`);
        const body = (op['requestBody'] as { content?: Record<string, { schema: Json }> } | undefined)?.content?.['application/json'];
        if (body) schema(body.schema, `${at} body`);
        for (const [status, r] of Object.entries(op['responses'] as Record<string, { content?: Record<string, { schema: Json }> }>)) {
          const answer = r.content?.['application/json'];
          if (answer) schema(answer.schema, `${at} ${status}`);
        }
      }
    }
    for (const [n, s] of Object.entries(spec.components.schemas)) schema(s, n);
    expect(bad).toEqual([]);
  });

  it('keeps every shared enumeration it writes with the type and values the description gives', () => {
    const source = parse(readFileSync(path.join(DOCS, 'definitions/Enumerations.yaml'), 'utf8')) as Record<string, JsonObject>;
    const written = Object.entries(spec.components.schemas).filter(([n]) => source[n] !== undefined);
    expect(written.length).toBeGreaterThan(20);
    for (const [n, s] of written) {
      expect.soft({ n, type: s['type'], enum: s['enum'] }).toEqual({ n, type: source[n]!['type'], enum: source[n]!['enum'] });
    }
  });

  it('maps the conventions that blocked the description', () => {
    expect(report.mapped['format rfc3339 → date-time']).toBeGreaterThan(800);
    expect(report.mapped['format base64 → x-wechatpay-encryption: rsa-oaep-sha1']).toBeGreaterThan(300);
    expect(report.mapped['type number, format integer → type integer']).toBeGreaterThan(30);
    expect(report.mapped['allOf of objects → one object']).toBeGreaterThan(25);
    expect(result.text).not.toMatch(/format: (rfc3339|base64|integer|MediaId)\b|allOf:/);
  });
});
