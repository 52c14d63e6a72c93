// The audit on the 2025 card-member pages, whose copies end in `[gap: …]`
// markers and start with a header block: every page agrees with the spec (a
// spec of three files), the gaps are listed as not compared, and each kind of
// edit is reported once, with the file and line of the spec to edit.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, formatAudit } from '../../generator/audit/audit.js';
import { loadSpec } from '../../generator/load.js';
import { ROOT } from '../helpers.js';
import { applyEdits } from './edit.js';

const PAGES = path.join(ROOT, 'test/generator/fixtures/pages/card-member-2025');
const SPEC = path.join(ROOT, 'spec/membercard.yaml');
const spec = loadSpec(SPEC);
const read = (file: string) => readFileSync(path.join(PAGES, file), 'utf8');
const lineOf = (file: string, needle: string) => readFileSync(path.join(ROOT, 'spec', file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

function edited(file: string, edits: [RegExp | string, string][]): string {
  return applyEdits(file, read(file), edits);
}

function run(file: string, text: string, against = spec) {
  const result = audit(against, [{ file, text }]);
  const page = result.pages[0]!;
  return { result, page, found: page.findings.map((f) => [f.kind, f.where]) };
}

// The delete page was never found: its copy is a title and one gap.
const FOUND = readdirSync(PAGES).filter((f) => f.endsWith('.txt') && f !== 'delete-card-template.txt');

describe('audit: the 2025 pages', () => {
  it('has the ten found pages', () => expect(FOUND).toHaveLength(10));

  it.each(FOUND)('%s agrees with the spec, and lists its gaps as not compared', (file) => {
    const { result, page } = run(file, read(file));
    expect(page.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
    const gaps = [...read(file).matchAll(/\[gap: ([^\]]*)\]/g)].map((m) => m[1]);
    expect(page.notes.filter((n) => n.includes('[gap: '))).toHaveLength(gaps.length);
    expect(page.notes).toContain(page.notes.find((n) => n.startsWith('response: not compared')));
    expect(page.notes).toContain(page.notes.find((n) => n.startsWith('errors: not compared')));
  });

  it('names the spec fields a cut table leaves unchecked, and which of them are the community description', () => {
    const { page } = run('update-card-template.txt', read('update-card-template.txt'));
    expect(page.notes[0]).toBe(
      'body: the copy of the page has a gap at line 40 (every body parameter after benefits; the next row\'s name begins "noti"); the spec\'s 11 further fields (notify_url, need_pinned, need_display_level, init_level, service_phone, legal_agreement, valid_date_information, points_information, balance_information, purchase_information, user_information) are not compared, all marked x-wechatpay-source: community.',
    );
  });

  it('reads the header block as no part of the page', () => {
    // Its `gaps:` line names 请求示例 etc.; a header taken for the page would be a title "source: …".
    expect(run('create-card-template.txt', read('create-card-template.txt')).page.page?.title).toBe('创建会员卡模板');
  });

  it('cannot read the delete page: it is a title and a gap', () => {
    const { result, page } = run('delete-card-template.txt', read('delete-card-template.txt'));
    expect(result.exitCode).toBe(2);
    expect(page.error?.part).toBe('更新时间');
    expect(page.error?.message).toContain('the whole page');
  });
});

describe('audit: edited 2025 pages', () => {
  it.each([
    {
      name: 'a length changed (compact layout, a shared schema)',
      file: 'list-user-cards.txt',
      edits: [['openid 必填 string(128)', 'openid 必填 string(64)']] as [string, string][],
      want: [['maxLength', 'query.openid']],
      message: /query\.openid: max length 128 → 64\. Set maxLength: 64 in components\.schemas\.Openid \(spec line \d+; shared/,
    },
    {
      name: 'a length changed in a referenced file',
      file: 'create-card-template.txt',
      edits: [['appid  必填   string(32)', 'appid  必填   string(64)']] as [string, string][],
      want: [['maxLength', 'body.appid']],
      message: new RegExp(`body\\.appid: max length 32 → 64\\. Set maxLength: 64 \\(\\S*spec/card-templates\\.yaml:${lineOf('card-templates.yaml', '              appid:') + 1}\\)`),
    },
    {
      name: 'a length changed where the spec records a DECISION: the finding says so instead of asking to change it',
      file: 'create-card-template.txt',
      edits: [['out_request_no  必填   string(128)', 'out_request_no  必填   string(64)']] as [string, string][],
      want: [['maxLength', 'body.out_request_no']],
      message: new RegExp(
        `body\\.out_request_no: max length 128 → 64\\. The spec records a decision \\(# DECISION at \\S*spec/card-templates\\.yaml:${lineOf('card-templates.yaml', '# DECISION: out_request_no')}: out_request_no is the page's first field .*--apply leaves it alone\\.$`,
      ),
    },
    {
      name: 'a field added before the gap',
      file: 'import-user-card-by-openid.txt',
      edits: [[' card_color  选填   string(7)', ' member_tag  选填   string(16)\n\n【会员标签】 商家自定义的会员标签\n\n\n card_color  选填   string(7)']] as [string, string][],
      want: [['field-added', 'body.member_tag']],
      message: new RegExp(`body\\.member_tag: on the page \\(选填 string\\(16\\) 【会员标签】\\), not in the spec\\. Add it to the properties at \\S*spec/user-cards\\.yaml:${lineOf('user-cards.yaml', 'required: [brand_id, card_id, openid, user_card_code, date_information, pickup_time]') + 2}`),
    },
    {
      name: 'a requirement flipped',
      file: 'invalidate-card-template.txt',
      edits: [['brand_id 必填 string(32)', 'brand_id 选填 string(32)']] as [string, string][],
      want: [['required', 'body.brand_id']],
      message: /body\.brand_id: the page says 选填, the spec has it required \(\S*spec\/card-templates\.yaml:\d+\)/,
    },
    {
      name: 'a requirement flipped on a query parameter (the page said 必填 where the community says optional)',
      file: 'list-card-templates.txt',
      edits: [['offset 必填 integer', 'offset 选填 integer']] as [string, string][],
      want: [['required', 'query.offset']],
      message: /query\.offset: the page says 选填, the spec has it required/,
    },
    {
      name: 'an enum value added',
      file: 'list-card-templates.txt',
      edits: [['CARD_INVALID: 已失效', 'CARD_INVALID: 已失效CARD_DELETED: 已删除']] as [string, string][],
      want: [['enum', 'query.state']],
      message: /query\.state: 可选取值 added CARD_DELETED\. Update enum and x-enumDescriptions in components\.schemas\.CardTemplateState \(\S*spec\/card-templates\.yaml:\d+;/,
    },
    {
      name: 'a community field now stated by the page',
      file: 'update-user-card.txt',
      edits: [['[gap: any further body parameters]', ' level  选填   string(10)\n\n【等级】 用户会员等级\n\n[gap: any further body parameters]']] as [string, string][],
      want: [
        ['source', 'body.level'],
        ['maxLength', 'body.level'],
        ['description', 'body.level'],
      ],
      message: /body\.level: the page now states this field \(选填 string\(10\) 【等级】\); the spec takes it from the community description \(\S*spec\/user-cards\.yaml:\d+\)\. Take the page's facts and remove x-wechatpay-source: community\./,
    },
    {
      name: 'a newer 更新时间',
      file: 'get-user-card.txt',
      edits: [['更新时间:2025.06.22', '更新时间:2025.09.01']] as [string, string][],
      want: [['updated', 'doc']],
      message: new RegExp(`the page was updated 2025-09-01; the spec records 2025-06-22`),
    },
  ])('$name', ({ file, edits, want, message }) => {
    const { result, found, page } = run(file, edited(file, edits));
    expect(found).toEqual(want);
    expect(result.exitCode).toBe(1);
    expect(page.findings.map((f) => f.message).join('\n')).toMatch(message);
  });

  it('a finding in a referenced file carries that file and line', () => {
    const { page } = run('invalidate-card-template.txt', edited('invalidate-card-template.txt', [['brand_id 必填 string(32)', 'brand_id 选填 string(32)']]));
    expect(page.findings[0]).toMatchObject({ specFile: path.join(ROOT, 'spec/card-templates.yaml'), specLine: lineOf('card-templates.yaml', "operationId: invalidateCardTemplate") + 27 });
  });

  it('the path changed: the operation is missing, and the ones whose page has the same title are named', () => {
    const { page, found } = run('update-card-template.txt', edited('update-card-template.txt', [['/v3/brand/partner/card-member/cards/{card_id}', '/v3/brand/partner/card-member/templates/{card_id}']]));
    expect(found).toEqual([['operation-missing', 'operation']]);
    expect(page.findings[0]!.message).toContain(
      "the spec has no operation PATCH /v3/brand/partner/card-member/templates/{card_id}. Add it under paths, with the page's parameters, response and errors. The spec's updateCardTemplate (PATCH /v3/marketing/membercard-open/cards/{card_id}, page updated 2024-11-18), updateCardMemberTemplate (PATCH /v3/brand/partner/card-member/cards/{card_id}, page updated 2025-06-22) have a page with the same title 《修改会员卡模板信息》",
    );
  });

  it('before the 2025 operation was in the spec, its page pointed at the 2024 one: WeChat moved it', () => {
    const root = readFileSync(SPEC, 'utf8');
    const without = loadSpec(SPEC, root.replace(/  \/v3\/brand\/partner\/card-member\/cards\/\{card_id\}:\n    \$ref: "card-templates\.yaml#\/card"\n/, ''));
    const { page } = run('update-card-template.txt', read('update-card-template.txt'), without);
    expect(page.findings.map((f) => f.message)).toEqual([
      expect.stringContaining("The spec's updateCardTemplate (PATCH /v3/marketing/membercard-open/cards/{card_id}, page updated 2024-11-18) has a page with the same title 《修改会员卡模板信息》: WeChat may have moved that operation"),
    ]);
    expect(formatAudit(audit(without, [{ file: 'update-card-template.txt', text: read('update-card-template.txt') }]))).toContain('→ (no operation)');
  });
});
