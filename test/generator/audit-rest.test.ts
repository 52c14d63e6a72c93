// The audit on the pages of feeds, points and the component tokens
// (card-member-rest/, #19 item 6): every page agrees with the spec, its gaps
// listed as not compared (the one copy that reaches its 应答参数 has its answer
// compared), and each kind of edit is reported once, with the file and line
// of spec/member-services.yaml to edit.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../generator/audit/audit.js';
import { loadSpec } from '../../generator/load.js';
import { ROOT } from '../helpers.js';
import { applyEdits } from './edit.js';

const PAGES = path.join(ROOT, 'test/generator/fixtures/pages/card-member-rest');
const SPEC_FILE = path.join(ROOT, 'spec/member-services.yaml');
const spec = loadSpec(path.join(ROOT, 'spec/membercard.yaml'));
const read = (file: string) => readFileSync(path.join(PAGES, file), 'utf8');
const lineOf = (needle: string) => readFileSync(SPEC_FILE, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

function run(file: string, text: string) {
  const result = audit(spec, [{ file, text }]);
  const page = result.pages[0]!;
  return { result, page, found: page.findings.map((f) => [f.kind, f.where]) };
}

const PAGE_FILES = readdirSync(PAGES).filter((f) => f.endsWith('.txt'));

describe('audit: the pages of feeds, points and tokens', () => {
  it('has the five pages, one per operation', () => {
    expect(PAGE_FILES.map((f) => run(f, read(f)).page.operationId).sort()).toEqual(['confirmPointsExchangeCoupon', 'createPayViewToken', 'createPreAuthToken', 'createUserFeed', 'syncUserPoints']);
  });

  it.each(PAGE_FILES)('%s agrees with the spec, and lists its gaps as not compared', (file) => {
    const { result, page } = run(file, read(file));
    expect(page.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
    const gaps = [...read(file).matchAll(/\[gap: ([^\]]*)\]/g)].map((m) => m[1]);
    expect(page.notes.filter((n) => n.includes('[gap: '))).toHaveLength(gaps.length);
    expect(page.notes.some((n) => n.startsWith('errors: not compared'))).toBe(true);
  });

  it('compares the answer of the one copy that reaches its 应答参数, and only that one', () => {
    const compared = PAGE_FILES.filter((f) => !run(f, read(f)).page.notes.some((n) => n.startsWith('response: not compared')));
    expect(compared).toEqual(['create-pre-auth-token.txt']);
  });
});

describe('audit: edited pages', () => {
  it.each([
    {
      name: 'a length changed in a schema shared by the two points pages',
      file: 'sync-user-points.txt',
      edits: [['brand_id  必填   string(16)', 'brand_id  必填   string(32)']] as [string, string][],
      want: [['maxLength', 'body.brand_id']],
      message: new RegExp(`body\\.brand_id: max length 16 → 32\\. Set maxLength: 32 in components\\.schemas\\.PointsBrandId \\(\\S*spec/member-services\\.yaml:${lineOf('    PointsBrandId:') + 1}; shared`),
    },
    {
      name: 'a length changed in the answer',
      file: 'create-pre-auth-token.txt',
      edits: [[' token  必填   string(32)', ' token  必填   string(64)']] as [string, string][],
      want: [['maxLength', 'response.token']],
      message: new RegExp(`response\\.token: max length 32 → 64\\. Set maxLength: 64 \\(\\S*spec/member-services\\.yaml:${lineOf('          description: 【预授权 token】') - 2}\\)`),
    },
    {
      name: 'a field added to the answer',
      file: 'create-pre-auth-token.txt',
      edits: [['\n应答示例\n', '\n\n scene  选填   string(32)\n\n【场景】 拉起场景\n\n应答示例\n']] as [string, string][],
      want: [['field-added', 'response.scene']],
      message: /response\.scene: on the page \(选填 string\(32\) 【场景】\), not in the spec\. Add it to the properties at \S*spec\/member-services\.yaml:\d+/,
    },
    {
      name: 'a field added to the request',
      file: 'create-user-feed.txt',
      edits: [['\n请求示例\n', '\n\n cell_type  选填   string(16)\n\n【动态类型】 动态类型\n\n请求示例\n']] as [string, string][],
      want: [['field-added', 'body.cell_type']],
      message: new RegExp(`body\\.cell_type: on the page \\(选填 string\\(16\\) 【动态类型】\\), not in the spec\\. Add it to the properties at \\S*spec/member-services\\.yaml:${lineOf("required: [brand_id, card_id, user_card_code, openid, out_request_no, cell]") + 2}`),
    },
    {
      name: 'a requirement flipped (reject_reason made 必填)',
      file: 'confirm-points-exchange-coupon.txt',
      edits: [['reject_reason  选填   string(32)', 'reject_reason  必填   string(32)']] as [string, string][],
      want: [['required', 'body.reject_reason']],
      message: new RegExp(`body\\.reject_reason: the page says 必填, the spec has it optional \\(\\S*spec/member-services\\.yaml:${lineOf('              reject_reason:') + 1}\\)`),
    },
    {
      name: 'an enum value added',
      file: 'confirm-points-exchange-coupon.txt',
      edits: [['  • POINT_EXCHANGE_COUPON_REJECT:  拒绝积分兑券', '  • POINT_EXCHANGE_COUPON_REJECT:  拒绝积分兑券\n\n  • POINT_EXCHANGE_COUPON_PENDING:  待定']] as [string, string][],
      want: [['enum', 'body.result']],
      message: /body\.result: 可选取值 added POINT_EXCHANGE_COUPON_PENDING\. Update enum and x-enumDescriptions \(\S*spec\/member-services\.yaml:\d+\)/,
    },
    {
      name: 'a type changed (compact layout)',
      file: 'create-pay-view-token.txt',
      edits: [['openid 必填 string(128)', 'openid 必填 integer']] as [string, string][],
      want: [
        ['type', 'body.openid'],
        ['maxLength', 'body.openid'],
      ],
      message: /body\.openid: type string → integer on the page\. Change it in components\.schemas\.Openid \(spec line \d+; shared/,
    },
    {
      name: "the answer now on the page: the community's facts give way",
      file: 'create-pay-view-token.txt',
      edits: [['[gap: 应答参数]\n[gap: 应答示例]', '应答参数\n200 OK\ntoken 必填 string(32)\n【预授权 token】 用于小程序拉起展示付款码组件\nexpire_time 必填 string\n【token 过期时间】 token过期时间\n应答示例\n[gap: 应答示例]']] as [string, string][],
      want: [
        ['source', 'response.token'],
        ['maxLength', 'response.token'],
        ['description', 'response.token'],
        ['source', 'response.expire_time'],
        ['description', 'response.expire_time'],
      ],
      message: /response\.token: the page now states this field \(必填 string\(32\) 【预授权 token】\); the spec takes it from the community description \(\S*spec\/member-services\.yaml:\d+\)\. Take the page's facts, and move x-wechatpay-source: community from the object \(\S*spec\/member-services\.yaml:\d+\) onto the fields the page does not state\./,
    },
    {
      name: 'a newer 更新时间',
      file: 'sync-user-points.txt',
      edits: [['更新时间:2025.08.20', '更新时间:2026.01.05']] as [string, string][],
      want: [['updated', 'doc']],
      message: /the page was updated 2026-01-05; the spec records 2025-08-20/,
    },
  ])('$name', ({ file, edits, want, message }) => {
    const { result, found, page } = run(file, applyEdits(file, read(file), edits));
    expect(found).toEqual(want);
    expect(result.exitCode).toBe(1);
    expect(page.findings.map((f) => f.message).join('\n')).toMatch(message);
    for (const f of page.findings.filter((f) => f.kind !== 'updated' && !f.where.endsWith('openid'))) expect(f.specFile).toBe(SPEC_FILE);
  });

  it('the path changed: the operation is missing, and the one whose page has the same title is named', () => {
    const { found, page } = run('create-pay-view-token.txt', applyEdits('create-pay-view-token.txt', read('create-pay-view-token.txt'), [['【POST】/v3/brand/partner/card-member/pay-view-tokens', '【POST】/v3/brand/partner/card-member/pay-code-tokens']]));
    expect(found).toEqual([['operation-missing', 'operation']]);
    expect(page.findings[0]!.message).toContain(
      "the spec has no operation POST /v3/brand/partner/card-member/pay-code-tokens. Add it under paths, with the page's parameters, response and errors. The spec's createPayViewToken (POST /v3/brand/partner/card-member/pay-view-tokens, page updated 2025-12-12) has a page with the same title 《品牌会员展示付款码组件预授权》",
    );
  });

  it('a copy that stops inside its 应答参数 table without saying so still cannot be read', () => {
    const cut = read('create-pre-auth-token.txt').replace(/\n 应答示例[\s\S]*$|\n应答示例[\s\S]*$/, '\n');
    const { result, page } = run('create-pre-auth-token.txt', cut);
    expect(result.exitCode).toBe(2);
    expect(page.error?.part).toBe('应答示例');
  });
});
