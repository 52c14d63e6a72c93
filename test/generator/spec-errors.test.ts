// Mistakes in a spec are reported as `file:line: sentence`.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateFiles } from '../../generator/generate.js';
import { SpecError } from '../../generator/spec-error.js';
import { ROOT } from '../helpers.js';

const GOLDEN = readFileSync(path.join(ROOT, 'test/generator/fixtures/golden/spec.yaml'), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const lastLineOf = (text: string, needle: string) => text.split('\n').findLastIndex((l) => l.includes(needle)) + 1;

async function specError(text: string): Promise<SpecError> {
  try {
    await generateFiles({ specFile: 'fixture.yaml', specLabel: 'fixture.yaml', text });
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

const edit = (from: string, to: string) => {
  if (!GOLDEN.includes(from)) throw new Error(`fixture lacks ${from}`);
  return GOLDEN.replace(from, to);
};

describe('spec errors', () => {
  it.each([
    {
      name: 'YAML syntax',
      text: edit('summary: 添加会员', 'summary: [添加会员'),
      line: (t: string) => lineOf(t, 'summary: [') + 1,
      message: /YAML syntax error/,
    },
    {
      name: 'unresolved $ref',
      text: edit('$ref: "#/components/schemas/Member"', '$ref: "#/components/schemas/Membr"'),
      line: (t: string) => lineOf(t, 'Membr'),
      message: /\$ref #\/components\/schemas\/Membr does not resolve/,
    },
    {
      name: 'unknown marker value',
      text: edit('secret: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 }', 'secret: { type: string, x-wechatpay-encryption: yes }'),
      line: (t: string) => lineOf(t, 'encryption: yes'),
      message: /unknown x-wechatpay-encryption value "yes"; the known value is rsa-oaep-sha1/,
    },
    {
      name: 'marker on an array',
      text: edit('secret: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 }', 'secret: { type: array, items: { type: string }, x-wechatpay-encryption: rsa-oaep-sha1 }'),
      line: (t: string) => lineOf(t, 'secret: { type: array'),
      message: /marks a array schema; only strings can be encrypted/,
    },
    {
      name: 'a 204 with content',
      text: edit('"204": { description: 无应答包体 }', '"204": { description: 无应答包体, content: { application/json: { schema: { type: object } } } }'),
      line: (t: string) => lineOf(t, '"204": { description: 无应答包体, content'),
      message: /renameShop: a 204 response has no content \(RFC 9110\), but the spec gives it some: remove its content, or document the answer as 200/,
    },
    {
      name: 'duplicate operationId',
      text: edit('operationId: renameShop', 'operationId: addMember'),
      line: (t: string) => lastLineOf(t, 'operationId: addMember'),
      message: /duplicate operationId addMember: also used at line 7/,
    },
    {
      name: 'a name in both the query and the body',
      text: edit('name: region, in: query', 'name: name, in: query'),
      line: (t: string) => lineOf(t, 'name: { type: string, maxLength: 4'),
      message: /addMember: field name is both a query and a body field/,
    },
    {
      name: 'encrypted body without a required Wechatpay-Serial',
      text: edit('- { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }', '- { name: Wechatpay-Serial, in: header, required: false, schema: { type: string } }'),
      line: (t: string) => lineOf(t, 'Wechatpay-Serial'),
      message: /must declare the Wechatpay-Serial header as required/,
    },
    {
      name: 'an error entry cut by an unquoted comma',
      text: edit('description: "参数错误", solution: "检查参数"', 'description: 参数错误, 请检查, solution: "检查参数"'),
      line: (t: string) => lineOf(t, 'code: PARAM_ERROR'),
      message: /unknown key "请检查"/,
    },
    {
      name: 'unsupported schema keyword',
      text: edit('title: { type: string }', 'title: { type: string, contentEncoding: base64 }'),
      line: (t: string) => lineOf(t, 'contentEncoding'),
      message: /does not support `contentEncoding`/,
    },
  ])('$name', async ({ text, line, message }) => {
    const e = await specError(text);
    expect(e.detail).toMatch(message);
    const want = line(text);
    expect(e.line).toBe(want);
    expect(e.message).toBe(`fixture.yaml:${want}: ${e.detail}`);
  });
});
