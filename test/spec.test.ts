// The product spec is a valid OpenAPI 3.1 document, by Redocly's validator.
import { describe, expect, it } from 'vitest';
import { lint, loadConfig } from '@redocly/openapi-core';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadSpec } from '../generator/load.js';
import { ROOT, tempDir } from './helpers.js';

const SPEC = path.join(ROOT, 'spec/membercard.yaml');

async function problems(file: string) {
  const config = await loadConfig({});
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
    const file = path.join(tempDir('spec-'), 'broken.yaml');
    writeFileSync(file, broken);
    expect((await problems(file)).map((p) => p.ruleId)).toContain('no-unresolved-refs');
  });

  it("has the family's operations (the 2025 ones in their own files), both servers, and doc title and date for each found page", () => {
    const doc = loadSpec(SPEC).root as { servers: { url: string }[]; paths: Record<string, Record<string, { operationId: string; 'x-wechatpay-doc'?: { updated: string }; 'x-wechatpay-source'?: string }>> };
    expect(doc.servers.map((s) => s.url)).toEqual(['https://api.mch.weixin.qq.com', 'https://api2.mch.weixin.qq.com']);
    const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId} ${op['x-wechatpay-doc']?.updated ?? op['x-wechatpay-source']}`));
    expect(ops).toEqual([
      'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/confirm confirmUserCard 2025-06-22',
      'POST /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate invalidateUserCard 2025-06-22',
      'PATCH /v3/marketing/membercard-open/cards/{card_id} updateCardTemplate 2024-11-18',
      'POST /v3/brand/partner/card-member/cards createCardTemplate 2025-06-22',
      'GET /v3/brand/partner/card-member/cards listCardTemplates 2025-08-01',
      'GET /v3/brand/partner/card-member/cards/{card_id} getCardTemplate 2025-08-01',
      'PATCH /v3/brand/partner/card-member/cards/{card_id} updateCardMemberTemplate 2025-06-22',
      'DELETE /v3/brand/partner/card-member/cards/{card_id} deleteCardTemplate community',
      'POST /v3/brand/partner/card-member/cards/{card_id}/invalidate invalidateCardTemplate 2025-08-01',
      'GET /v3/brand/partner/card-member/user-cards listUserCards 2025-07-25',
      'GET /v3/brand/partner/card-member/user-cards/{user_card_code} getUserCard 2025-06-22',
      'PATCH /v3/brand/partner/card-member/user-cards/{user_card_code} updateUserCard 2025-06-22',
      'POST /v3/brand/partner/card-member/user-cards/import-by-openid importUserCardByOpenid 2025-06-22',
      'POST /v3/brand/partner/card-member/user-cards/import-by-phone importUserCardByPhone 2025-06-22',
      'POST /v3/brand/partner/card-member/membership-activities createMembershipActivity 2025-11-14',
      'GET /v3/brand/partner/card-member/membership-activities listMembershipActivities 2025-11-14',
      'GET /v3/brand/partner/card-member/membership-activities/{activity_id} getMembershipActivity community',
      'PATCH /v3/brand/partner/card-member/membership-activities/{activity_id} updateMembershipActivity community',
      'POST /v3/brand/partner/card-member/membership-activities/{activity_id}/terminate terminateMembershipActivity community',
      'POST /v3/brand/partner/card-member/user-feeds createUserFeed 2025-06-22',
      'POST /v3/brand/partner/card-member/user-points/sync syncUserPoints 2025-08-20',
      'POST /v3/brand/partner/card-member/user-points/exchange-coupon/confirm confirmPointsExchangeCoupon 2025-08-20',
      'POST /v3/brand/partner/card-member/pre-auth-tokens createPreAuthToken 2025-11-19',
      'POST /v3/brand/partner/card-member/pay-view-tokens createPayViewToken 2025-12-12',
    ]);
  });
});
