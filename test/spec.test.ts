// The product spec is a valid OpenAPI 3.1 document, by Redocly's validator.
import { describe, expect, it } from 'vitest';
import { lint, loadConfig } from '@redocly/openapi-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers.js';

const SPEC = path.join(ROOT, 'spec/membercard.yaml');

async function problems(file: string) {
  const config = await loadConfig({ configPath: undefined });
  return (await lint({ ref: file, config })).filter((p) => p.severity === 'error');
}

describe('spec/membercard.yaml', () => {
  it('is valid OpenAPI 3.1 with every $ref resolving', async () => {
    const doc = parse(readFileSync(SPEC, 'utf8'));
    expect(doc.openapi).toBe('3.1.0');
    expect((await problems(SPEC)).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  });

  it('the validator does catch a broken $ref (so the test above can fail)', async () => {
    const broken = readFileSync(SPEC, 'utf8').replace('#/components/schemas/UserCard', '#/components/schemas/UserCardz');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spec-')), 'broken.yaml');
    writeFileSync(file, broken);
    expect((await problems(file)).map((p) => p.ruleId)).toContain('no-unresolved-refs');
  });

  it('has the three operations, both servers, and doc title and date for each', () => {
    const doc = parse(readFileSync(SPEC, 'utf8'));
    expect(doc.servers.map((s: { url: string }) => s.url)).toEqual(['https://api.mch.weixin.qq.com', 'https://api2.mch.weixin.qq.com']);
    const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item as object).map(([m, op]) => [m.toUpperCase(), p, op]));
    expect(ops.map(([m, p, op]) => `${m} ${p} ${op.operationId} ${op['x-wechatpay-doc'].updated}`)).toEqual([
      'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/confirm confirmUserCard 2025-06-22',
      'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate invalidateUserCard 2025-06-22',
      'PATCH /v3/marketing/membercard-open/cards/{card_id} updateCardTemplate 2024-11-18',
    ]);
  });
});
