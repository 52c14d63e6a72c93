// The doc audit: the three shipped pages agree with the product spec, and
// every kind of page edit, made on copies of those pages in both layouts,
// gives exactly its findings and exit code.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, formatAudit } from '../../generator/audit/audit.js';
import { loadSpec } from '../../generator/load.js';
import { ROOT, tempDir } from '../helpers.js';
import { applyEdits } from './edit.js';

const PAGES = path.join(ROOT, 'test/generator/fixtures/pages');
const CONFIRM = 'confirm-user-card.txt'; // one field per line
const INVALIDATE = 'invalidate-user-card.txt'; // flattened
const UPDATE = 'update-card-template.txt'; // one field per line, "PARAM ERROR" rows
const spec = loadSpec(path.join(ROOT, 'spec/membercard.yaml'));
const read = (file: string) => readFileSync(path.join(PAGES, file), 'utf8');

function edited(file: string, edits: [RegExp | string, string][]): string {
  return applyEdits(file, read(file), edits);
}

function run(file: string, text: string) {
  const result = audit(spec, [{ file, text }]);
  const page = result.pages[0]!;
  return { result, page, found: page.findings.map((f) => [f.kind, f.where]) };
}

describe('audit: the shipped pages', () => {
  it.each([CONFIRM, INVALIDATE, UPDATE])('%s agrees with the spec', (file) => {
    const { result, page } = run(file, read(file));
    expect(page.findings).toEqual([]);
    expect(page.status).toBe('agree');
    expect(result.exitCode).toBe(0);
  });

  it('honours and mentions the deviations the spec records', () => {
    const update = run(UPDATE, read(UPDATE)).page;
    expect(update.honoured.map((h) => [h.aspect, h.page, h.spec])).toEqual(Array(4).fill(['code', 'PARAM ERROR', 'PARAM_ERROR']));
    const invalidate = run(INVALIDATE, read(INVALIDATE)).page;
    expect(invalidate.honoured).toEqual([
      expect.objectContaining({ where: 'response.valid_date_information.type', aspect: 'enum', page: [], spec: ['FIX_TIME_RANGE', 'FIX_TERM', 'PERMANENT'] }),
    ]);
    expect(formatAudit(audit(spec, [{ file: UPDATE, text: read(UPDATE) }]))).toMatch(/deliberate differences the spec records[\s\S]*"PARAM ERROR"/);
  });

  it('says what it could not compare: objects the page shows with 属性 but no rows', () => {
    expect(run(CONFIRM, read(CONFIRM)).page.notes).toEqual([
      expect.stringMatching(/^body\.valid_date_information: the page shows 属性 without listing/),
      expect.stringMatching(/^body\.user_information:/),
      expect.stringMatching(/^response\.valid_date_information:/),
      expect.stringMatching(/^response\.user_information:/),
    ]);
  });
});

// given: an edit of a shipped page; want: exactly these findings ([kind, where]) and exit code.
const CASES: { name: string; file: string; edits: [RegExp | string, string][]; want: [string, string][]; exit: 0 | 1 | 2; message?: RegExp; snippet?: string }[] = [
  // one field per line
  {
    name: 'line layout: a field added',
    file: CONFIRM,
    edits: [[/(attach\s+选填\s+string\(256\)\n+【[^\n]*\n)/, '$1\n\n\u00a0member_tag  选填\u00a0\u00a0 string(16)\n\n【会员标签】\u00a0商家自定义的会员标签\n']],
    want: [['field-added', 'body.member_tag']],
    exit: 1,
    message: /body\.member_tag: on the page \(选填 string\(16\) 【会员标签】\), not in the spec\. Add it to the properties at spec line \d+:/,
    snippet: 'member_tag:\n  type: string\n  maxLength: 16\n  description: 【会员标签】 商家自定义的会员标签\n',
  },
  { name: 'line layout: a field removed', file: CONFIRM, edits: [[/\s*card_color\s+选填\s+string\(7\)\n+【[^\n]*\n/, '\n']], want: [['field-removed', 'body.card_color']], exit: 1 },
  {
    name: 'line layout: 必填 → 选填',
    file: CONFIRM,
    edits: [[/openid(\s+)必填(\s+string\(128\))/, 'openid$1选填$2']],
    want: [['required', 'body.openid']],
    exit: 1,
    message: /body\.openid: the page says 选填, the spec has it required \(line \d+\)\. Remove it from the `required` list/,
  },
  { name: 'line layout: a max length changed', file: CONFIRM, edits: [[/card_id(\s+)必填(\s+)string\(32\)/, 'card_id$1必填$2string(16)']], want: [['maxLength', 'query.card_id']], exit: 1, message: /query\.card_id: max length 32 → 16\. Set maxLength: 16/ },
  {
    name: 'line layout: an enum value added and one removed',
    file: CONFIRM,
    edits: [[/CREATE_CARD_FAIL:(\s+)开卡失败/, 'CREATE_CARD_PENDING:$1开卡处理中']],
    want: [['enum', 'body.user_card_confirm_state']],
    exit: 1,
    message: /可选取值 added CREATE_CARD_PENDING; removed CREATE_CARD_FAIL\. Update enum and x-enumDescriptions/,
    snippet: 'CREATE_CARD_PENDING: 开卡处理中\n',
  },
  {
    name: 'line layout: an error code added',
    file: UPDATE,
    edits: [['请先将AppID绑定到品牌\n', '请先将AppID绑定到品牌\n\n400\n\nINVALID_REQUEST\n\n会员卡已过期\n\n请更换会员卡后重试\n']],
    want: [['error-added', 'errors.business']],
    exit: 1,
    snippet: '- status: 400\n  code: INVALID_REQUEST\n  description: 会员卡已过期\n  solution: 请更换会员卡后重试\n',
  },
  { name: 'line layout: a newer date', file: CONFIRM, edits: [['更新时间:2025.06.22', '更新时间:2025.08.01']], want: [['updated', 'doc']], exit: 1, message: /updated 2025-08-01; the spec records 2025-06-22/ },
  {
    name: 'line layout: a deviation stops matching when the page changes again',
    file: UPDATE,
    edits: [['PARAM ERROR\n\nAppID有误', 'PARAM-ERROR\n\nAppID有误']],
    want: [
      ['error-added', 'errors.business'],
      ['error-removed', 'errors.business'],
    ],
    exit: 1,
  },
  // edits that change no constraint: found all the same, as their own kinds
  {
    name: 'line layout: a description changed',
    file: CONFIRM,
    edits: [['用于存储商家自定义信息,其总长度限制在256字符以内', '用于存储商家自定义信息,其总长度限制在256字节以内']],
    want: [['description', 'body.attach']],
    exit: 1,
    message: /body\.attach: the description changed from ".*256字符以内.*" to ".*256字节以内.*"\. Set its description spec line \d+\./,
  },
  { name: 'line layout: a 【title】 changed', file: CONFIRM, edits: [['【商家数据包】', '【商户数据包】']], want: [['description', 'body.attach']], exit: 1, message: /body\.attach: the title changed from 【商家数据包】 to 【商户数据包】\./ },
  {
    name: 'line layout: the meaning of an enum value changed',
    file: CONFIRM,
    edits: [[/CREATE_CARD_FAIL:(\s+)开卡失败/, 'CREATE_CARD_FAIL:$1开卡未成功']],
    want: [['enum-meaning', 'body.user_card_confirm_state']],
    exit: 1,
    message: /body\.user_card_confirm_state: the meaning of CREATE_CARD_FAIL changed from "开卡失败" to "开卡未成功"\. Update x-enumDescriptions/,
  },
  {
    name: 'line layout: an enum value removed where the spec records a DECISION: review it, not undo it',
    file: UPDATE,
    edits: [[/\s*• SYSTEM_ALLOCATE: 由微信支付系统自动分配\n/, '\n']],
    want: [['enum', 'body.code_mode']],
    exit: 1,
    message: /^body\.code_mode: 可选取值 removed SYSTEM_ALLOCATE\. The spec records a decision \(# DECISION at spec line \d+: SYSTEM_ALLOCATE stays in the enum although the text says it cannot be set\..*\)\. Review that choice against the page before changing anything; --apply leaves it alone\.$/,
  },
  // flattened
  {
    name: 'flattened: a field added',
    file: INVALIDATE,
    edits: [[/(invalid_reason 选填 string\(32\)\n[^\n]*\n)/, '$1operator 选填 string(32)\n【操作人】 执行作废的操作人\n']],
    want: [['field-added', 'body.operator']],
    exit: 1,
  },
  {
    name: 'flattened: a property added inside 属性',
    file: INVALIDATE,
    edits: [['(10958 天) |', '(10958 天) wait_days_after_receive 选填 integer 【等待天数】 领取后等待的天数 |']],
    want: [['field-added', 'response.valid_date_information.wait_days_after_receive']],
    exit: 1,
    snippet: 'wait_days_after_receive:\n  type: integer\n  description: 【等待天数】 领取后等待的天数\n',
  },
  { name: 'flattened: a field removed', file: INVALIDATE, edits: [[/level 选填 string\(10\)\n[^\n]*\n/, '']], want: [['field-removed', 'response.level']], exit: 1 },
  { name: 'flattened: 必填 → 选填', file: INVALIDATE, edits: [['pickup_time 必填', 'pickup_time 选填']], want: [['required', 'response.pickup_time']], exit: 1 },
  {
    name: 'flattened: a max length changed inside 属性',
    file: INVALIDATE,
    edits: [['available_begin_time 选填 string(32)', 'available_begin_time 选填 string(64)']],
    want: [['maxLength', 'response.valid_date_information.available_begin_time']],
    exit: 1,
    message: /max length 32 → 64/,
  },
  { name: 'flattened: an enum value added and one removed', file: INVALIDATE, edits: [['NORMAL\n: 普通', 'POINTS\n: 积分']], want: [['enum', 'response.card_type']], exit: 1, message: /added POINTS; removed NORMAL/ },
  {
    name: 'flattened: an error code added',
    file: INVALIDATE,
    edits: [['请确认品牌ID和会员卡模版ID是否正确 |', '请确认品牌ID和会员卡模版ID是否正确 |\n429 | FREQUENCY_LIMITED | 频率超限 | 请降低调用频率 |']],
    want: [['error-added', 'errors.business']],
    exit: 1,
    message: /429 FREQUENCY_LIMITED "频率超限" is on the page, not in the spec/,
  },
  { name: 'flattened: a newer date', file: INVALIDATE, edits: [['更新时间:2025.06.22将', '更新时间:2025.9.1将']], want: [['updated', 'doc']], exit: 1, message: /updated 2025-09-01/ },
  {
    name: 'a page for an operation the spec lacks',
    file: INVALIDATE,
    edits: [['/invalidate', '/freeze']],
    want: [['operation-missing', 'operation']],
    exit: 1,
    message: /the spec has no operation POST \/v3\/brand\/partner\/card-member\/user-cards\/\{user_card_code\}\/freeze/,
  },
  { name: 'a header the spec lacks', file: INVALIDATE, edits: [['Accept 必填 string', 'Wechatpay-Serial 必填 string\n【微信支付公钥ID】\nAccept 必填 string']], want: [['field-added', 'header.Wechatpay-Serial']], exit: 1 },
  // variants of the same content: no drift
  { name: 'variant: no bullets, extra blank lines', file: CONFIRM, edits: [[/•/g, ''], [/\n/g, '\n\n\n']], want: [], exit: 0 },
  { name: 'variant: VALUE on its own line, ": meaning" on the next', file: CONFIRM, edits: [[/([A-Z_]+):\u00a0 /g, '$1\n: ']], want: [], exit: 0 },
  { name: 'variant: flattened with blank lines and CRLF', file: INVALIDATE, edits: [[/\n/g, '\r\n\r\n']], want: [], exit: 0 },
  {
    name: "variant: an object's rows expanded after 属性 in the line layout",
    file: CONFIRM,
    // The row as the invalidate page words it (one schema serves both pages).
    edits: [[/(valid_date_information\s+选填\s+object\n+【[^\n]*\n+属性\n)/, `$1\n\u00a0available_begin_time  选填\u00a0\u00a0 string(32)\n\n${read(INVALIDATE).match(/available_begin_time 选填 string\(32\) (【.*?) available_end_time/)![1]}\n\n`]],
    want: [],
    exit: 0,
  },
];

describe('audit: edited pages', () => {
  it.each(CASES)('$name', ({ file, edits, want, exit, message, snippet }) => {
    const { result, found, page } = run(file, edited(file, edits));
    expect(found).toEqual(want);
    expect(result.exitCode).toBe(exit);
    if (message) expect(page.findings.map((f) => f.message).join('\n')).toMatch(message);
    if (snippet) expect(page.findings.map((f) => f.snippet)).toContain(snippet);
  });

  it('a deviation stops being honoured once the page changes again', () => {
    const { page } = run(UPDATE, edited(UPDATE, [['PARAM ERROR\n\nAppID有误', 'PARAM-ERROR\n\nAppID有误']]));
    expect(page.honoured).toHaveLength(3);
    expect(page.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('400 PARAM-ERROR "AppID有误" is on the page, not in the spec'),
      expect.stringMatching(/400 PARAM_ERROR "AppID有误" is in the spec \(line \d+\), no longer on the page/),
    ]);
  });
});

describe('audit: pages it cannot read', () => {
  const cut = (file: string, at: string) => read(file).slice(0, read(file).indexOf(at));
  it.each([
    { name: 'line layout cut in the middle (inside the code samples)', file: CONFIRM, text: () => read(CONFIRM).slice(0, read(CONFIRM).length / 2), part: '应答参数' },
    { name: 'line layout cut inside the error table', file: UPDATE, text: () => cut(UPDATE, '品牌、AppID关系校验失败'), part: '业务错误码' },
    { name: 'flattened cut inside an error row', file: INVALIDATE, text: () => cut(INVALIDATE, '| 会员卡模版ID不属于该品牌'), part: '业务错误码' },
    { name: 'flattened cut inside 属性', file: INVALIDATE, text: () => cut(INVALIDATE, 'available_end_time 选填'), part: '应答示例' },
    { name: 'flattened 属性 block never closed', file: INVALIDATE, text: () => read(INVALIDATE).replace(/(当前最多只允许传入1项)\n\|\n/, '$1\n'), part: '属性' },
    { name: 'no 更新时间', file: CONFIRM, text: () => read(CONFIRM).replace('更新时间:2025.06.22', ''), part: '更新时间' },
    { name: 'no 请求方式', file: CONFIRM, text: () => read(CONFIRM).replace(/请求方式[^\n]*/, ''), part: '请求方式' },
  ])('$name: exit 2, naming the part', ({ file, text, part }) => {
    const { result, page } = run(file, text());
    expect(result.exitCode).toBe(2);
    expect(page.status).toBe('unparsable');
    expect(page.error?.part).toBe(part);
    expect(page.findings).toEqual([]);
    expect(formatAudit(result)).toContain(`cannot read the page: ${part}`);
  });

  it('one unreadable page makes the whole run exit 2, even when the others agree', () => {
    const result = audit(spec, [
      { file: CONFIRM, text: read(CONFIRM) },
      { file: 'cut.txt', text: read(CONFIRM).slice(0, 2000) },
    ]);
    expect(result.pages.map((p) => p.status)).toEqual(['agree', 'unparsable']);
    expect(result.exitCode).toBe(2);
  });
});

describe('audit: the command', () => {
  const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
  const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'generator/cli.ts'), 'audit', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('exit 0 on the three pages, one line per page', () => {
    const r = cli(...[CONFIRM, INVALIDATE, UPDATE].map((f) => path.join(PAGES, f)));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/confirm-user-card\.txt → confirmUserCard \(POST \/v3\/brand\/partner\/card-member\/user-cards\/\{user_card_code\}\/confirm\).*: agrees with the spec/);
    expect(r.stdout).toContain('All 3 pages agree with spec/membercard.yaml.');
  });

  it('exit 1 and the same findings as JSON with --json; --spec picks the spec', () => {
    const dir = tempDir('wxp-audit-');
    const page = path.join(dir, 'page.txt');
    writeFileSync(page, edited(CONFIRM, [[/card_id(\s+)必填(\s+)string\(32\)/, 'card_id$1必填$2string(16)']]));
    const text = cli(page);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/1\. query\.card_id: max length 32 → 16/);
    const json = cli(page, '--json', '--spec', path.join(ROOT, 'spec/membercard.yaml'));
    expect(json.status).toBe(1);
    const data = JSON.parse(json.stdout);
    expect(data.exitCode).toBe(1);
    expect(data.pages[0].findings).toEqual([expect.objectContaining({ kind: 'maxLength', where: 'query.card_id', page: 16, spec: 32 })]);
  });

  it('exit 2 for no page, an unreadable file, a truncated page', () => {
    expect(cli().status).toBe(2);
    expect(cli('/nonexistent/page.txt').stderr).toContain('cannot read /nonexistent/page.txt: ENOENT');
    const dir = tempDir('wxp-audit-');
    writeFileSync(path.join(dir, 'cut.txt'), read(CONFIRM).slice(0, 3000));
    const r = cli(path.join(dir, 'cut.txt'));
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/cut\.txt: cannot read the page: 应答参数 .*truncated\. Nothing was compared\./);
  });
});
