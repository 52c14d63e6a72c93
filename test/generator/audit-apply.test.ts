// `audit PAGE… --apply`: for each kind of page edit, made on a copy of a
// shipped page, the spec (copied into a temp folder) changes in exactly the
// lines of the edited facts, with every comment and every other line as it
// was; the same audit then finds nothing, and generate and check pass.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { diffArrays } from 'diff';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { auditAndApply } from '../../generator/audit/apply.js';
import { compareSpecs, type Impact } from '../../generator/audit/changes.js';
import { audit } from '../../generator/audit/audit.js';
import { check } from '../../generator/check.js';
import { generate } from '../../generator/generate.js';
import { loadSpec } from '../../generator/load.js';
import { ROOT, tempDir } from '../helpers.js';
import { applyEdits } from './edit.js';

const PAGES = path.join(ROOT, 'test/generator/fixtures/pages');
const read = (file: string) => readFileSync(path.join(PAGES, file), 'utf8');

/** The spec's five files, copied into a temp folder: the root file's path there. */
function copySpec(): string {
  const dir = tempDir('wxp-apply-');
  cpSync(path.join(ROOT, 'spec'), path.join(dir, 'spec'), { recursive: true });
  return path.join(dir, 'spec/membercard.yaml');
}

/** For each spec file that changed: its removed (`-`) and added (`+`) lines, trimmed, in file order. */
function specDiff(specFile: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of readdirSync(path.dirname(specFile))) {
    const before = readFileSync(path.join(ROOT, 'spec', name), 'utf8').split('\n');
    const after = readFileSync(path.join(path.dirname(specFile), name), 'utf8').split('\n');
    const lines = diffArrays(before, after).flatMap((p) => (p.added ? p.value.map((l) => `+ ${l.trim()}`) : p.removed ? p.value.map((l) => `- ${l.trim()}`) : []));
    if (lines.length) out[name] = lines;
  }
  return out;
}

const run = (specFile: string, pages: { file: string; text: string }[], options: { addMoved?: boolean } = {}) => auditAndApply(specFile, pages, (f) => loadSpec(f), audit, options);

/**
 * A block of a shipped spec file as the diff shows it added elsewhere: the
 * line `start` (exact, with its indent; the first after the line `after`) and every line below it indented
 * deeper, trimmed and marked `+`, with `swaps` made (each of its first line
 * where it stands in the block, for the lines given; none to drop it).
 */
function copied(name: string, [after, start]: [string, string], swaps: [string, string[]][]): string[] {
  const lines = readFileSync(path.join(ROOT, 'spec', name), 'utf8').split('\n');
  const i = lines.indexOf(start, lines.indexOf(after));
  if (i < 0) throw new Error(`${name}: no line ${JSON.stringify(start)}`);
  const indent = (l: string) => l.length - l.trimStart().length;
  let end = i + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || indent(lines[end]!) > indent(start))) end++;
  while (lines[end - 1]!.trim() === '') end--;
  const out = lines.slice(i, end).map((l) => l.trim());
  for (const [from, to] of swaps) {
    const at = out.indexOf(from);
    if (at < 0) throw new Error(`${name}: no line ${JSON.stringify(from)} in the block at ${JSON.stringify(start)}`);
    out.splice(at, 1, ...to);
  }
  return out.map((l) => `+ ${l}`);
}

interface Case {
  name: string;
  file: string;
  edits: [RegExp | string, string][];
  /** The spec's changed lines, per file. */
  diff: Record<string, string[]>;
  /** Findings the audit still reports after --apply (left alone), as [kind, where]. */
  remain?: [string, string][];
  /** Run with --add-moved. */
  addMoved?: boolean;
  /** Why what is left alone was left. */
  why?: RegExp;
  /** What the change means for callers of the page's operation (`changes`), as [impact, where], and the version bump. */
  means: [Impact, string][];
  semver: 'major' | 'minor' | 'patch';
}

const CONFIRM = 'confirm-user-card.txt';
const INVALIDATE = 'invalidate-user-card.txt';
const UPDATE = 'update-card-template.txt';

const CASES: Case[] = [
  { name: 'a length up', means: [['compatible', 'body.attach'], ['compatible', 'response.attach']], semver: 'minor', file: CONFIRM, edits: [[/attach(\s+)选填(\s+)string\(256\)/g, 'attach$1选填$2string(512)']], diff: { 'membercard.yaml': ['- maxLength: 256', '+ maxLength: 512'] } },
  { name: 'a length down, in a schema the request and the answer share', means: [['breaking', 'query.card_id'], ['compatible', 'response.card_id']], semver: 'major', file: CONFIRM, edits: [[/card_id(\s+)必填(\s+)string\(32\)/g, 'card_id$1必填$2string(16)']], diff: { 'membercard.yaml': ['- maxLength: 32', '+ maxLength: 16'] } },
  {
    name: 'an optional field added, after the field the page lists before it', means: [['compatible', 'body.member_tag']], semver: 'minor',
    file: CONFIRM,
    edits: [[/(attach\s+选填\s+string\(256\)\n+【[^\n]*\n)/, '$1\n\n\u00a0member_tag  选填\u00a0\u00a0 string(16)\n\n【会员标签】\u00a0商家自定义的会员标签\n']],
    diff: { 'membercard.yaml': ['+ member_tag:', '+ type: string', '+ maxLength: 16', '+ description: 【会员标签】 商家自定义的会员标签'] },
  },
  {
    name: 'a required field added', means: [['breaking', 'body.member_tag']], semver: 'major',
    file: CONFIRM,
    edits: [[/(attach\s+选填\s+string\(256\)\n+【[^\n]*\n)/, '$1\n\n\u00a0member_tag  必填\u00a0\u00a0 string(16)\n\n【会员标签】\u00a0商家自定义的会员标签\n']],
    diff: {
      'membercard.yaml': [
        '- required: [brand_id, openid, user_card_confirm_state]',
        '+ required: [brand_id, openid, user_card_confirm_state, member_tag]',
        '+ member_tag:',
        '+ type: string',
        '+ maxLength: 16',
        '+ description: 【会员标签】 商家自定义的会员标签',
      ],
    },
  },
  {
    name: 'a field added inside an object (flattened 属性, in a shared schema)', means: [['compatible', 'response.valid_date_information.wait_days_after_receive']], semver: 'minor',
    file: INVALIDATE,
    edits: [['(10958 天) |', '(10958 天) wait_days_after_receive 选填 integer 【等待天数】 领取后等待的天数 |']],
    diff: { 'membercard.yaml': ['+ wait_days_after_receive:', '+ type: integer', '+ description: 【等待天数】 领取后等待的天数'] },
  },
  {
    name: "a field added in an array's items, where the community's facts give way to the page's", means: [['compatible', 'body.product_coupon_stock_list'], ['compatible', 'body.product_coupon_stock_list.product_coupon_id'], ['compatible', 'body.product_coupon_stock_list.stock_id'], ['compatible', 'body.product_coupon_stock_list.use_limit'], ['compatible', 'response.product_coupon_stock_list.product_coupon_id'], ['compatible', 'response.product_coupon_stock_list.stock_id'], ['compatible', 'response.product_coupon_stock_list.use_limit']], semver: 'minor',
    file: 'membership-activities/create-membership-activity.txt',
    edits: [
      [
        '[gap: every body parameter after apply_total; the next row\'s name begins "product_coupon"]',
        'product_coupon_stock_list 必填 array[object]\n【商品券批次列表】 The product-coupon batches the activity gives out.\n属性 | | product_coupon_id 必填 string 【商品券ID】 The product coupon. stock_id 必填 string 【批次ID】 The batch of that product coupon. use_limit 选填 integer 【每人限领】 每人限领张数 |\n[gap: every body parameter after product_coupon_stock_list]',
      ],
    ],
    diff: {
      'membership-activities.yaml': [
        '- x-wechatpay-source: community',
        '- description: The product-coupon batches the activity gives out.',
        '+ description: 【商品券批次列表】 The product-coupon batches the activity gives out.',
        '- x-wechatpay-source: community',
        '- description: The product coupon.',
        '+ description: 【商品券ID】 The product coupon.',
        '- description: The batch of that product coupon.',
        '+ description: 【批次ID】 The batch of that product coupon.',
        '+ use_limit:',
        '+ type: integer',
        '+ description: 【每人限领】 每人限领张数',
      ],
    },
  },
  { name: 'a field removed', means: [['breaking', 'body.card_color']], semver: 'major', file: CONFIRM, edits: [[/\s*card_color\s+选填\s+string\(7\)\n+【[^\n]*\n/, '\n']], diff: { 'membercard.yaml': ['- card_color:', '- $ref: "#/components/schemas/CardColor"'] } },
  {
    name: '必填 → 选填', means: [['compatible', 'body.openid']], semver: 'minor',
    file: CONFIRM,
    edits: [[/openid(\s+)必填(\s+string\(128\))/, 'openid$1选填$2']],
    diff: { 'membercard.yaml': ['- required: [brand_id, openid, user_card_confirm_state]', '+ required: [brand_id, user_card_confirm_state]'] },
  },
  {
    name: '选填 → 必填', means: [['breaking', 'body.attach']], semver: 'major',
    file: CONFIRM,
    edits: [[/attach(\s+)选填(\s+)string\(256\)/, 'attach$1必填$2string(256)']],
    diff: { 'membercard.yaml': ['- required: [brand_id, openid, user_card_confirm_state]', '+ required: [brand_id, openid, user_card_confirm_state, attach]'] },
  },
  {
    name: 'an enum value added and one removed in a request', means: [['breaking', 'body.user_card_confirm_state'], ['compatible', 'body.user_card_confirm_state']], semver: 'major',
    file: CONFIRM,
    edits: [[/CREATE_CARD_FAIL:(\s+)开卡失败/, 'CREATE_CARD_PENDING:$1开卡处理中']],
    diff: {
      'membercard.yaml': ['- enum: [CREATE_CARD_SUCCESS, CREATE_CARD_FAIL]', '+ enum: [CREATE_CARD_SUCCESS, CREATE_CARD_PENDING]', '- CREATE_CARD_FAIL: 开卡失败', '+ CREATE_CARD_PENDING: 开卡处理中'],
    },
  },
  {
    name: 'an enum value added in a response (flattened)', means: [['attention', 'response.card_type']], semver: 'minor',
    file: INVALIDATE,
    edits: [['NORMAL\n: 普通', 'NORMAL\n: 普通POINTS\n: 积分']],
    diff: { 'membercard.yaml': ['- enum: [PURCHASE, NORMAL, BALANCE]', '+ enum: [PURCHASE, NORMAL, POINTS, BALANCE]', '+ POINTS: 积分'] },
  },
  {
    // CardType is shared with the create request, where a value removed is breaking: the report says so (major).
    name: 'an enum value removed in a response (flattened)', means: [['compatible', 'response.card_type']], semver: 'major',
    file: INVALIDATE,
    edits: [['NORMAL\n: 普通BALANCE\n: 储值', 'NORMAL\n: 普通']],
    diff: { 'membercard.yaml': ['- enum: [PURCHASE, NORMAL, BALANCE]', '+ enum: [PURCHASE, NORMAL]', '- BALANCE: 储值'] },
  },
  {
    name: 'a type changed (string(10) → integer: the length goes too)', means: [['breaking', 'response.level'], ['compatible', 'response.level']], semver: 'major',
    file: INVALIDATE,
    edits: [['level 选填 string(10)', 'level 选填 integer']],
    diff: { 'membercard.yaml': ['- type: string', '- maxLength: 10', '+ type: integer'] },
  },
  { name: 'only 更新时间 changed', means: [], semver: 'patch', file: CONFIRM, edits: [['更新时间:2025.06.22', '更新时间:2025.08.01']], diff: { 'membercard.yaml': ['- updated: "2025-06-22"', '+ updated: "2025-08-01"'] } },
  {
    // The request's attach is the shared Attach schema, whose text the answer's attach keeps: the request's own text goes beside its $ref.
    name: 'a description changed, of a field that uses a shared schema', means: [['compatible', 'body.attach']], semver: 'patch',
    file: CONFIRM,
    edits: [['其总长度限制在256字符以内', '其总长度限制在256字节以内']],
    diff: { 'membercard.yaml': ['+ description: 【商家数据包】 商家在创建用户会员卡时可传入自定义数据包,该数据对用户不可见,用于存储商家自定义信息,其总长度限制在256字节以内。查询用户会员卡详情时会将此字段返回给商家。'] },
  },
  { name: 'the meaning of an enum value changed', means: [['compatible', 'body.user_card_confirm_state']], semver: 'patch', file: CONFIRM, edits: [[/CREATE_CARD_FAIL:(\s+)开卡失败/, 'CREATE_CARD_FAIL:$1开卡未成功']], diff: { 'membercard.yaml': ['- CREATE_CARD_FAIL: 开卡失败', '+ CREATE_CARD_FAIL: 开卡未成功'] } },
  {
    name: 'an error added: written like the rows before it', means: [], semver: 'patch',
    file: UPDATE,
    edits: [['请先将AppID绑定到品牌\n', '请先将AppID绑定到品牌\n\n400\n\nINVALID_REQUEST\n\n会员卡已过期\n\n请更换会员卡后重试\n']],
    diff: { 'membercard.yaml': ['+ - { status: 400, code: INVALID_REQUEST, description: "会员卡已过期", solution: "请更换会员卡后重试" }'] },
  },
  {
    name: 'a community field now stated by the page: the page facts, the mark gone there', means: [['breaking', 'body.level'], ['compatible', 'body.level']], semver: 'major',
    file: 'card-member-2025/update-user-card.txt',
    edits: [['[gap: any further body parameters]', ' level  选填   string(10)\n\n【等级】 用户会员等级\n\n[gap: any further body parameters]']],
    diff: { 'user-cards.yaml': ['- x-wechatpay-source: community', '+ maxLength: 10', '+ description: 【等级】 用户会员等级'] },
  },
  // Left alone: the finding stays, the spec does not change.
  {
    name: 'an edit at a DECISION place', means: [], semver: 'patch',
    file: UPDATE,
    edits: [[/\s*• SYSTEM_ALLOCATE: 由微信支付系统自动分配\n/, '\n']],
    diff: {},
    remain: [['enum', 'body.code_mode']],
  },
  {
    name: 'the page moved to another path: reported with the old operation, not applied', means: [], semver: 'patch',
    file: INVALIDATE,
    edits: [['/invalidate', '/freeze']],
    diff: {},
    remain: [['operation-missing', 'operation']],
    why: /^not added: the page's operation moved from invalidateUserCard \(POST \/v3\/brand\/partner\/card-member\/user-cards\/\{user_card_code\}\/invalidate\); --add-moved adds it beside that one, which stays$/,
  },
  {
    name: 'the page moved to another path, with --add-moved: a copy of the old operation beside it, brought to the page (a length changed with it)', means: [['compatible', 'operation']], semver: 'minor',
    addMoved: true,
    file: INVALIDATE,
    edits: [['/invalidate', '/freeze'], [/invalid_reason(\s+)选填(\s+)string\(32\)(\s+【作废原因】 会员卡作废原因)/, 'invalid_reason$1选填$2string(64)$3']],
    diff: {
      'membercard.yaml': [
        ...copied('membercard.yaml', ['paths:', '  /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate:'], [
          ['/v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate:', ['/v3/brand/partner/card-member/user-cards/{user_card_code}/freeze:']],
          ['operationId: invalidateUserCard', ['operationId: invalidateUserCardMoved']],
          ['maxLength: 32', ['maxLength: 64']],
        ]),
        '+ ',
      ],
    },
  },
  {
    name: 'the method changed, with --add-moved: the new method in the same path item', means: [['compatible', 'operation']], semver: 'minor',
    addMoved: true,
    file: INVALIDATE,
    edits: [['【POST】', '【PATCH】']],
    diff: {
      'membercard.yaml': copied('membercard.yaml', ['  /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate:', '    post:'], [
        ['post:', ['patch:']],
        ['operationId: invalidateUserCard', ['operationId: invalidateUserCardMoved']],
      ]),
    },
  },
  {
    name: 'moved, with --add-moved, from a path item in another file, its path parameter renamed: the copy beside it there, a $ref in the root', means: [['compatible', 'operation']], semver: 'minor',
    addMoved: true,
    file: 'card-member-2025/invalidate-card-template.txt',
    edits: [['{card_id}/invalidate', '{template_id}/void'], ['\ncard_id 必填 string(32)', '\ntemplate_id 必填 string(32)']],
    diff: {
      'card-templates.yaml': [
        ...copied('card-templates.yaml', ['', 'card-invalidate:'], [
          ['card-invalidate:', ['card-invalidate-moved:']],
          ['operationId: invalidateCardTemplate', ['operationId: invalidateCardTemplateMoved']],
          // The page's path parameter, for the old one its path no longer names.
          ['- $ref: "#/components/parameters/CardIdPath"', ['- name: template_id', 'in: path', 'required: true']],
          ['description: 【会员卡模板ID】 商家创建会员卡模板成功后系统返回的会员卡模板ID', ['description: 【会员卡模板ID】 商家创建会员卡模板成功后系统返回的会员卡模板ID', 'schema:', 'type: string', 'maxLength: 32']],
        ]),
        '+ ',
      ],
      'membercard.yaml': ['+ /v3/brand/partner/card-member/cards/{template_id}/void:', '+ $ref: "card-templates.yaml#/card-invalidate-moved"'],
    },
  },
  {
    name: 'moved, with --add-moved, but two operations have the page\'s title: reported, not applied', means: [], semver: 'patch',
    addMoved: true,
    file: 'card-member-2025/update-card-template.txt',
    edits: [['/v3/brand/partner/card-member/cards/{card_id}', '/v3/brand/partner/card-member/templates/{card_id}']],
    diff: {},
    remain: [['operation-missing', 'operation']],
    why: /^not added: 2 operations have a page titled 《修改会员卡模板信息》 \(updateCardTemplate, updateCardMemberTemplate\): a person chooses which one moved$/,
  },
];

// Each case generates and checks a client: seconds, on a busy machine tens of them.
describe('audit --apply: each kind of page edit', { timeout: 120_000 }, () => {
  it.each(CASES)('$name', async ({ file, edits, diff, remain = [], addMoved, why, means, semver }) => {
    const specFile = copySpec();
    const page = { file, text: applyEdits(file, read(file), edits) };
    const { before, applied } = run(specFile, [page], { addMoved: addMoved === true });
    expect(before.exitCode).toBe(1);
    expect(specDiff(specFile)).toEqual(diff);
    expect(applied.left.map((l) => [l.kind, l.where])).toEqual(remain);
    if (why) for (const l of applied.left) expect(l.why).toMatch(why);
    // The same audit, on the spec as written: only what was left alone.
    const again = audit(loadSpec(specFile), [page]);
    expect(again.pages[0]!.findings.map((f) => [f.kind, f.where])).toEqual(remain);
    expect(again.exitCode).toBe(remain.length ? 1 : 0);
    // What it means for the callers of the page's operation.
    const report = compareSpecs(loadSpec(path.join(ROOT, 'spec/membercard.yaml')), loadSpec(specFile));
    // (An operation added for a page that moved is the one the page now matches.)
    expect(report.changes.filter((c) => c.operationId === (again.pages[0]!.operationId ?? before.pages[0]!.operationId)).map((c) => [c.impact, c.where])).toEqual(means);
    expect(report.semver).toBe(semver);
    // A spec the generator accepts, whose output check then finds in place.
    if (Object.keys(diff).length === 0) return;
    const out = path.join(path.dirname(specFile), '..', 'generated');
    await generate({ spec: specFile, out, runtimeImport: '../runtime/index.js', clientName: 'MembercardClient' });
    expect((await check({ spec: specFile, out, runtimeImport: '../runtime/index.js', clientName: 'MembercardClient' })).ok).toBe(true);
  });

  it('after --add-moved, the old operation removed by hand: changes reports it removed (breaking), the page still agrees', () => {
    const specFile = copySpec();
    const page = { file: INVALIDATE, text: applyEdits(INVALIDATE, read(INVALIDATE), [['/invalidate', '/freeze']]) };
    const { applied } = run(specFile, [page], { addMoved: true });
    expect(applied.added.map((a) => [a.operationId, a.method, a.path, a.from.operationId])).toEqual([['invalidateUserCardMoved', 'POST', '/v3/brand/partner/card-member/user-cards/{user_card_code}/freeze', 'invalidateUserCard']]);
    const doc = parseDocument(readFileSync(specFile, 'utf8'));
    doc.deleteIn(['paths', '/v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate']);
    writeFileSync(specFile, doc.toString());
    const report = compareSpecs(loadSpec(path.join(ROOT, 'spec/membercard.yaml')), loadSpec(specFile));
    expect(report.changes.map((c) => [c.impact, c.operationId, c.what])).toEqual([
      ['breaking', 'invalidateUserCard', 'removed (POST /v3/brand/partner/card-member/user-cards/{user_card_code}/invalidate)'],
      ['compatible', 'invalidateUserCardMoved', 'added (POST /v3/brand/partner/card-member/user-cards/{user_card_code}/freeze)'],
    ]);
    expect(report.semver).toBe('major');
    expect(audit(loadSpec(specFile), [page]).exitCode).toBe(0);
  });

  it('--add-moved: a path naming a parameter the page does not list is refused, nothing written', () => {
    const specFile = copySpec();
    const page = { file: INVALIDATE, text: applyEdits(INVALIDATE, read(INVALIDATE), [['/user-cards/{user_card_code}/invalidate', '/users/{openid}/user-cards/{user_card_code}/invalidate']]) };
    const { applied, after } = run(specFile, [page], { addMoved: true });
    expect(specDiff(specFile)).toEqual({});
    expect(applied.added).toEqual([]);
    expect(applied.left.map((l) => l.why)).toEqual(["not added: the page's path names {openid}, and its path table does not list it"]);
    expect(after.exitCode).toBe(1);
  });

  it('a comment above an edited line stays, and so does every other comment', () => {
    const specFile = copySpec();
    run(specFile, [{ file: UPDATE, text: applyEdits(UPDATE, read(UPDATE), [['(默认值)。', '(默认值)。上限为10000000。']]) }]);
    const comments = (f: string) => f.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(readFileSync(specFile, 'utf8'))).toEqual(comments(readFileSync(path.join(ROOT, 'spec/membercard.yaml'), 'utf8')));
    // total_quantity sits under a DECISION, so its description is left alone.
    expect(specDiff(specFile)).toEqual({});
  });

  it('an edit of a shared schema that another field of the page contradicts: nothing written, each listed', () => {
    const specFile = copySpec();
    // The request's attach says 512, the answer's (the same Attach schema) still 256.
    const { applied, after } = run(specFile, [{ file: CONFIRM, text: applyEdits(CONFIRM, read(CONFIRM), [[/attach(\s+)选填(\s+)string\(256\)/, 'attach$1选填$2string(512)']]) }]);
    expect(specDiff(specFile)).toEqual({});
    expect(applied.changed).toEqual([]);
    expect(applied.left.map((l) => [l.where, l.why])).toEqual([['body.attach', expect.stringMatching(/^not written: the changes would make response\.attach of confirm-user-card\.txt differ from its page/)]]);
    expect(after.exitCode).toBe(1);
  });

  it('two pages that want different values at one place: neither is written, both are listed', () => {
    const specFile = copySpec();
    const a = { file: 'a.txt', text: applyEdits(CONFIRM, read(CONFIRM), [[/card_id(\s+)必填(\s+)string\(32\)/, 'card_id$1必填$2string(16)']]) };
    const b = { file: 'b.txt', text: applyEdits(INVALIDATE, read(INVALIDATE), [[/card_id 必填 string\(32\)/, 'card_id 必填 string(64)']]) };
    const { applied } = run(specFile, [a, b]);
    expect(specDiff(specFile)).toEqual({});
    expect(applied.left.map((l) => [l.page, l.kind, l.why.slice(0, 36)])).toEqual([
      ['a.txt', 'maxLength', 'the pages given disagree on this pla'],
      ['b.txt', 'maxLength', 'the pages given disagree on this pla'],
    ]);
  });

  it('an unreadable page: nothing is written', () => {
    const specFile = copySpec();
    const edited = { file: CONFIRM, text: applyEdits(CONFIRM, read(CONFIRM), [['更新时间:2025.06.22', '更新时间:2025.08.01']]) };
    const { before } = run(specFile, [edited, { file: 'cut.txt', text: read(CONFIRM).slice(0, 2000) }]);
    expect(before.exitCode).toBe(2);
    expect(specDiff(specFile)).toEqual({});
  });
});

describe('audit --apply: the command', { timeout: 120_000 }, () => {
  const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
  const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'generator/cli.ts'), 'audit', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('exit 1 with the changes printed, then exit 0 with nothing to do; --json gives the changes as data', () => {
    const specFile = copySpec();
    const page = path.join(path.dirname(specFile), '..', 'page.txt');
    writeFileSync(page, applyEdits(CONFIRM, read(CONFIRM), [[/attach(\s+)选填(\s+)string\(256\)/g, 'attach$1选填$2string(512)']]));
    const first = cli(page, '--apply', '--spec', specFile);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/^applied 2 changes to \S*membercard\.yaml:\n {2}\S*membercard\.yaml:\d+ \(\S*page\.txt\): body\.attach: maxLength 256 → 512\n/);
    expect(first.stdout).toContain('after the changes the audit finds no difference');
    const second = cli(page, '--apply', '--spec', specFile, '--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ changed: [], left: [], files: [], remaining: [], exitCode: 0 });
  });

  it('--add-moved: exit 1 with the operation added and the old one named, then the page agrees; without --apply it is refused (exit 2)', () => {
    const specFile = copySpec();
    const page = path.join(path.dirname(specFile), '..', 'page.txt');
    writeFileSync(page, applyEdits(INVALIDATE, read(INVALIDATE), [['/invalidate', '/freeze']]));
    const alone = cli(page, '--add-moved', '--spec', specFile);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--add-moved writes into the spec, so it goes with --apply');
    const first = cli(page, '--apply', '--add-moved', '--spec', specFile);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/^added 1 operation beside the one that moved:\n {2}\S*membercard\.yaml:\d+ \(\S*page\.txt\): invalidateUserCardMoved \(POST \/v3\/brand\/partner\/card-member\/user-cards\/\{user_card_code\}\/freeze\), a copy of invalidateUserCard \(POST /);
    expect(first.stdout).toContain('invalidateUserCard stays, so the callers that call it still compile: remove it by hand once they call invalidateUserCardMoved');
    // (The audit afterwards, in process: the table above.)
    expect(audit(loadSpec(specFile), [{ file: page, text: readFileSync(page, 'utf8') }]).exitCode).toBe(0);
  });

  it('exit 2 for an unreadable page, and nothing written', () => {
    const specFile = copySpec();
    const cut = path.join(path.dirname(specFile), '..', 'cut.txt');
    writeFileSync(cut, read(CONFIRM).slice(0, 3000));
    const r = cli(cut, '--apply', '--spec', specFile);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('nothing written: a page could not be read.');
    expect(specDiff(specFile)).toEqual({});
  });
});

describe('changes --base REV: what the spec change means for callers', { timeout: 120_000 }, () => {
  const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
  const changes = (cwd: string, ...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'generator/cli.ts'), 'changes', ...args], { cwd, encoding: 'utf8' });

  /** A git repository holding the spec, committed; then the page's edit applied to it. */
  function applied(edits: [RegExp | string, string][]): string {
    const specFile = copySpec();
    const dir = path.dirname(path.dirname(specFile));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'spec');
    git('commit', '-qm', 'spec');
    run(specFile, [{ file: CONFIRM, text: applyEdits(CONFIRM, read(CONFIRM), edits) }]);
    return dir;
  }

  it('a new required request field: breaking, exit 1, Markdown with a major bump', () => {
    const dir = applied([[/(attach\s+选填\s+string\(256\)\n+【[^\n]*\n)/, '$1\n\n\u00a0member_tag  必填\u00a0\u00a0 string(16)\n\n【会员标签】\u00a0商家自定义的会员标签\n']]);
    const r = changes(dir, '--base', 'HEAD', '--spec', 'spec/membercard.yaml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      [
        '## What this change means for callers (against HEAD)',
        '',
        'Suggested version bump: **major**.',
        '',
        '### Breaking for callers (1)',
        '',
        '- `confirmUserCard` `body.member_tag`: new required field (string): every call must send it',
      ].join('\n') + '\n',
    );
  });

  it('an optional field added: compatible, exit 0; --json gives the same as data', () => {
    const dir = applied([[/(attach\s+选填\s+string\(256\)\n+【[^\n]*\n)/, '$1\n\n\u00a0member_tag  选填\u00a0\u00a0 string(16)\n\n【会员标签】\u00a0商家自定义的会员标签\n']]);
    const r = changes(dir, '--base', 'HEAD', '--spec', 'spec/membercard.yaml', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ semver: 'minor', changes: [{ impact: 'compatible', operationId: 'confirmUserCard', where: 'body.member_tag', what: 'new optional field (string)' }] });
  });

  it('exit 2 for a revision git does not know', () => {
    const dir = applied([['更新时间:2025.06.22', '更新时间:2025.08.01']]);
    const r = changes(dir, '--base', 'no-such-rev', '--spec', 'spec/membercard.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read spec/membercard.yaml at no-such-rev');
  });
});

describe('the doc-update workflow', () => {
  it('runs only npm scripts and audit options this repository has', () => {
    const workflow = readFileSync(path.join(ROOT, '.github/workflows/wechat-doc-update.yml'), 'utf8');
    const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
    const used = [...workflow.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((s) => !scripts.includes(s!))).toEqual([]);
    expect(workflow).toMatch(/audit -- .* --apply/);
    expect(workflow).toMatch(/changes -- --base HEAD/);
  });
});
