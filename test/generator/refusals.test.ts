// Every refusal of a spec in one run: each independent part (an operation, a
// schema object, an extension, a webhook, a generated name, a reference) is
// checked on its own, so a spec with N independent mistakes gets N refusals,
// each at its line, sorted, with the count. Each case marks every line it
// expects a refusal on with `# <-`.
import { describe, expect, it } from 'vitest';
import { refusal } from './fragment.js';

const marked = (text: string) => text.split('\n').flatMap((l, i) => (l.includes('# <-') ? [i + 1] : []));

const HEAD = 'openapi: 3.1.0\ninfo: { title: refusals, version: "1" }\n';
const op = (id: string, props: string, extra = '') => `      operationId: ${id}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
${props
  .trim()
  .split('\n')
  .map((l) => `                ${l.trim()}`)
  .join('\n')}
${extra}      responses:
        "204": { description: none }
`;

describe('every refusal at once', () => {
  it.each<{ name: string; text: string; sentences?: RegExp[] }>([
    {
      name: 'one mistake in each of two operations',
      text: `${HEAD}paths:
  /v1/a:
    post:
${op('addA', 'when: { type: string, format: rfc3339 } # <-')}  /v1/b:
    post:
${op('addB', 'n: { type: integer, minimum: 5, maximum: 1 } # <-')}`,
      sentences: [/format "rfc3339" is not supported/, /minimum 5 is greater than maximum 1/],
    },
    {
      name: 'two schema objects of one body, an operation-level mistake and an unused component',
      text: `${HEAD}paths:
  /v1/a:
    post:
${op('addA', 'a: { type: string, format: base64 } # <-\nb: { type: array } # <-').replace('"204"', '"299": { description: also } # <- the value of responses starts here\n        "204"')}components:
  schemas:
    Unused: { type: string, contentEncoding: base64 } # <-
`,
    },
    {
      name: 'a broken $ref is refused once, not again by the checks that would trip over it; the next operation is still checked',
      text: `${HEAD}paths:
  /v1/a:
    post:
      operationId: addA
      requestBody: { $ref: "#/components/requestBodies/Missing" } # <-
      responses:
        "204": { description: none }
  /v1/b:
    post:
${op('addB', 'b: { type: string, x-wechatpay-encrypton: rsa-oaep-sha1 } # <-')}`,
      sentences: [/does not resolve/, /unknown vendor extension x-wechatpay-encrypton \(did you mean x-wechatpay-encryption\?\)/],
    },
    {
      name: 'a duplicate operationId, a reserved one and a path parameter missing from the path',
      text: `${HEAD}paths:
  /v1/a:
    post:
${op('addA', 'a: { type: string }')}  /v1/b:
    post:
${op('addA', 'b: { type: string }').replace('operationId: addA', 'operationId: addA # <-')}  /v1/c:
    post:
${op('delete', 'c: { type: string }').replace('operationId: delete', 'operationId: delete # <-')}  /v1/d:
    get:
      operationId: getD
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } } # <-
      responses:
        "204": { description: none }
`,
    },
    {
      name: 'two schemas named like what the generated code declares',
      text: `${HEAD}paths:
  /v1/a:
    post:
${op('addA', 'a: { type: string }')}components:
  schemas:
    createClient: { type: string } # <-
    OperationId: { type: string } # <-
`,
    },
    {
      name: 'Swagger 2.0 keys in an OpenAPI 3 document, each with the hint to convert',
      text: `${HEAD}basePath: /v3 # <-
definitions: {} # <-
paths:
  /v1/a:
    post:
${op('addA', 'a: { type: string }')}`,
      sentences: [/`basePath` is Swagger 2\.0/, /`definitions` is Swagger 2\.0/],
    },
    {
      name: 'a webhook mistake beside an operation mistake',
      text: `${HEAD}paths:
  /v1/a:
    post:
${op('addA', 'a: { type: string, maxLength: -1 } # <-')}webhooks:
  cardEvent:
    get: { responses: {} } # <-
`,
    },
  ])('$name', async ({ text, sentences }) => {
    const e = await refusal(text);
    const lines = marked(text);
    expect(e.refusals.map((r) => r.line)).toEqual(lines);
    expect(e.refusals.every((r) => r.file === 'fragment.yaml')).toBe(true);
    if (sentences) expect(e.refusals.map((r) => r.detail)).toEqual(sentences.map((s) => expect.stringMatching(s)));
    const wantMessage = lines.length === 1 ? e.refusals[0]!.message : `${e.refusals.map((r) => r.message).join('\n')}\n${lines.length} refusals`;
    expect(e.message).toBe(wantMessage);
  });
});
