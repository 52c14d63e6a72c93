// The audit on the two 品牌会员发券活动 pages whose copies were found (create
// and list; get, update and terminate have none, see the folder's README):
// each agrees with the spec, its gaps are listed as not compared, and each
// kind of edit is reported once, with the line of spec/membership-activities.yaml
// (or of the shared schema) to edit.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../generator/audit/audit.js';
import { loadSpec } from '../../generator/load.js';
import { ROOT } from '../helpers.js';
import { applyEdits } from './edit.js';

const PAGES = path.join(ROOT, 'test/generator/fixtures/pages/membership-activities');
const FILE = 'membership-activities.yaml';
const spec = loadSpec(path.join(ROOT, 'spec/membercard.yaml'));
const read = (file: string) => readFileSync(path.join(PAGES, file), 'utf8');
const lineOf = (needle: string) => readFileSync(path.join(ROOT, 'spec', FILE), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
const CREATE = 'create-membership-activity.txt';
const LIST = 'list-membership-activities.txt';

function run(file: string, text: string) {
  const result = audit(spec, [{ file, text }]);
  const page = result.pages[0]!;
  return { result, page, found: page.findings.map((f) => [f.kind, f.where]) };
}

describe('audit: the membership-activity pages', () => {
  it('has the two pages found', () => expect(readdirSync(PAGES).filter((f) => f.endsWith('.txt')).sort()).toEqual([CREATE, LIST]));

  it.each([CREATE, LIST])('%s agrees with the spec, and lists its gaps as not compared', (file) => {
    const { result, page } = run(file, read(file));
    expect(page.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
    const gaps = [...read(file).matchAll(/\[gap: ([^\]]*)\]/g)].map((m) => m[1]);
    expect(gaps.length).toBeGreaterThan(0);
    expect(page.notes.filter((n) => n.includes('[gap: '))).toHaveLength(gaps.length);
    expect(page.notes.some((n) => n.startsWith('response: not compared'))).toBe(true);
    expect(page.notes.some((n) => n.startsWith('errors: not compared'))).toBe(true);
  });

  it('names the one body field after the create page\'s gap, which the community description supplies', () => {
    const { page } = run(CREATE, read(CREATE));
    expect(page.notes[0]).toBe(
      'body: the copy of the page has a gap at line 94 (every body parameter after apply_total; the next row\'s name begins "product_coupon"); the spec\'s 1 further field (product_coupon_stock_list) is not compared, all marked x-wechatpay-source: community.',
    );
  });

  it('reads the header block as no part of the page', () => {
    expect(run(CREATE, read(CREATE)).page.page?.title).toBe('创建品牌会员发券活动');
  });
});

describe('audit: edited membership-activity pages', () => {
  it.each([
    {
      name: 'a length changed (spaced layout, in the operation file)',
      file: CREATE,
      edits: [[' title  必填   string(128)', ' title  必填   string(64)']] as [string, string][],
      want: [['maxLength', 'body.title']],
      message: new RegExp(`body\\.title: max length 128 → 64\\. Set maxLength: 64 \\(\\S*spec/membership-activities\\.yaml:${lineOf('              title:') + 1}\\)`),
    },
    {
      name: 'a length changed on a shared schema',
      file: CREATE,
      edits: [[' card_id  必填   string(32)', ' card_id  必填   string(16)']] as [string, string][],
      want: [['maxLength', 'body.card_id']],
      message: /body\.card_id: max length 32 → 16\. Set maxLength: 16 in components\.schemas\.CardId \(spec line \d+; shared/,
    },
    {
      name: 'a field added before the gap',
      file: CREATE,
      edits: [[' apply_total  必填   integer', ' remark  选填   string(20)\n\n【备注】 活动备注\n\n\n apply_total  必填   integer']] as [string, string][],
      want: [['field-added', 'body.remark']],
      message: /body\.remark: on the page \(选填 string\(20\) 【备注】\), not in the spec\. Add it to the properties at \S*spec\/membership-activities\.yaml:\d+/,
    },
    {
      name: 'a requirement flipped (compact layout)',
      file: LIST,
      edits: [['card_id 选填 string(32)', 'card_id 必填 string(32)']] as [string, string][],
      want: [['required', 'query.card_id']],
      message: new RegExp(`query\\.card_id: the page says 必填, the spec has it optional \\(\\S*spec/membership-activities\\.yaml:${lineOf('      - name: card_id')}\\)`),
    },
    {
      name: 'an enum value added',
      file: LIST,
      edits: [['当前活动时间超过结束时间\n', '当前活动时间超过结束时间MEMBERSHIP_ACTIVITY_PAUSED: 已暂停\n']] as [string, string][],
      want: [['enum', 'query.activity_state']],
      message: new RegExp(`query\\.activity_state: 可选取值 added MEMBERSHIP_ACTIVITY_PAUSED\\. Update enum and x-enumDescriptions in components\\.schemas\\.MembershipActivityState \\(\\S*spec/membership-activities\\.yaml:${lineOf('    MembershipActivityState:') + 1};`),
    },
    {
      name: 'an enum value removed',
      file: CREATE,
      edits: [['  • MECHANT_APP_COMPONENT:  商家小程序或H5组件开卡', '  • MERCHANT_APP_COMPONENT:  商家小程序或H5组件开卡']] as [string, string][],
      want: [['enum', 'body.activity_channel']],
      message: /body\.activity_channel: 可选取值 added MERCHANT_APP_COMPONENT; removed MECHANT_APP_COMPONENT\. Update enum and x-enumDescriptions in components\.schemas\.ActivityChannel/,
    },
    {
      name: 'the community field now stated by the page',
      file: CREATE,
      edits: [['[gap: every body parameter after apply_total; the next row\'s name begins "product_coupon"]', ' product_coupon_stock_list  必填   array[object]\n\n【商品券批次列表】 赠送的商品券批次\n\n[gap: every body parameter after product_coupon_stock_list]']] as [string, string][],
      want: [
        ['source', 'body.product_coupon_stock_list'],
        ['description', 'body.product_coupon_stock_list'],
      ],
      message: /body\.product_coupon_stock_list: the page now states this field \(必填 array\[object\] 【商品券批次列表】\); the spec takes it from the community description \(\S*spec\/membership-activities\.yaml:\d+\)\. Take the page's facts and remove x-wechatpay-source: community\./,
    },
    {
      name: 'a newer 更新时间',
      file: LIST,
      edits: [['更新时间:2025.11.14', '更新时间:2025.12.01']] as [string, string][],
      want: [['updated', 'doc']],
      message: /the page was updated 2025-12-01; the spec records 2025-11-14/,
    },
  ])('$name', ({ file, edits, want, message }) => {
    const { result, found, page } = run(file, applyEdits(file, read(file), edits));
    expect(found).toEqual(want);
    expect(result.exitCode).toBe(1);
    expect(page.findings.map((f) => f.message).join('\n')).toMatch(message);
  });

  it('a finding in the operation file carries that file and line', () => {
    const { page } = run(CREATE, applyEdits(CREATE, read(CREATE), [[' sub_title  必填   string(128)', ' sub_title  选填   string(128)']]));
    expect(page.findings).toHaveLength(1);
    expect(page.findings[0]).toMatchObject({ kind: 'required', specFile: path.join(ROOT, 'spec', FILE), specLine: lineOf('              sub_title:') + 1 });
  });

  it('the path changed: the operation is missing, and the one whose page has the same title is named', () => {
    const { page, found } = run(LIST, applyEdits(LIST, read(LIST), [['【GET】/v3/brand/partner/card-member/membership-activities', '【GET】/v3/brand/partner/card-member/coupon-activities']]));
    expect(found).toEqual([['operation-missing', 'operation']]);
    expect(page.findings[0]!.message).toContain("the spec has no operation GET /v3/brand/partner/card-member/coupon-activities.");
    expect(page.findings[0]!.message).toContain('listMembershipActivities (GET /v3/brand/partner/card-member/membership-activities, page updated 2025-11-14) has a page with the same title 《查询品牌会员发券活动列表》');
  });
});
