// What real WeChat specs write, end to end: an OpenAPI 3.0 document with an
// encrypted query parameter (the guide search by mobile number), integer
// formats as the community description writes them, a request body and a
// response that are allOf of objects, and nullable fields. For each request
// of the table, the generated client and the local WeChat Pay give the same
// verdict: the client before sending, the server on the same request sent
// raw (signed, encrypted as the client would, but not checked first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encrypt } from '../../runtime/encrypt.js';
import { ValidationError } from '../../runtime/errors.js';
import type { LocalWechatPay, LocalWechatPayOptions } from '../../runtime/local-server/index.js';
import { keys } from '../helpers.js';
import { generateClient, type GeneratedClient } from './fixture-client.js';
import { raw } from './raw.js';

const SPEC = `
openapi: 3.0.3
info: { title: accepted, version: "1" }
paths:
  /v3/smartguide/guides:
    get:
      operationId: listGuides
      parameters:
        - { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }
        - { name: store_id, in: query, required: true, schema: { type: number, format: uint32 } }
        - { name: mobile, in: query, schema: { type: string, pattern: "^1[0-9]{10}$", x-wechatpay-encryption: rsa-oaep-sha1 } }
        - { name: limit, in: query, schema: { type: number, format: integer, minimum: 1, maximum: 100 } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Guides" } } } }
  /v3/pay/transactions/jsapi:
    post:
      operationId: jsapiPrepay
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: "#/components/schemas/Base"
                - type: object
                  required: [payer]
                  properties:
                    payer:
                      allOf:
                        - $ref: "#/components/schemas/Payer"
                        - required: [openid]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Prepay" } } } }
components:
  schemas:
    Base:
      type: object
      required: [appid, amount]
      properties:
        appid: { type: string, maxLength: 32 }
        amount: { type: object, required: [total], properties: { total: { type: integer, format: int32, minimum: 1 } } }
        attach: { type: string, nullable: true }
    Payer:
      type: object
      properties: { openid: { type: string } }
    Prepay:
      allOf:
        - type: object
          required: [prepay_id]
          properties: { prepay_id: { type: string }, note: { type: string, nullable: true } }
    Guides:
      type: object
      properties: { data: { type: array, items: { type: object, properties: { guide_id: { type: string } } } } }
`;

const MOBILE = '13800138000';
const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
type Client = Record<string, (request: object) => Promise<unknown>> & { close(): void };

let dir: string;
let generated: GeneratedClient;
let server: LocalWechatPay;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wxp-accepted-'));
  writeFileSync(path.join(dir, 'accepted.yaml'), SPEC);
  generated = await generateClient(path.join(dir, 'accepted.yaml'));
  const local = (await import(path.join(generated.dir, 'local-server.ts'))) as { startLocalWechatPay(o: LocalWechatPayOptions): Promise<LocalWechatPay> };
  const { createClient } = (await import(path.join(generated.dir, 'index.ts'))) as { createClient(config: object): Client };
  server = await local.startLocalWechatPay({ keys: serverKeys });
  client = createClient(server.clientConfig);
});
afterAll(async () => {
  client?.close();
  await server?.close();
  generated?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** The client's verdict: 'ok', or the first issue's [path, rule]. */
async function clientVerdict(op: string, request: object): Promise<'ok' | [string, string]> {
  try {
    await client[op]!(request);
    return 'ok';
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return [e.issues[0]!.path, e.issues[0]!.rule];
  }
}

/** The server's verdict on the same request, sent raw: the query built and the marked values encrypted as the client does. */
async function serverVerdict(op: string, request: Record<string, unknown>): Promise<'ok' | [string, string]> {
  const answer =
    op === 'listGuides'
      ? await raw(server, {
          method: 'GET',
          target: `/v3/smartguide/guides?${Object.entries(request)
            .map(([k, v]) => `${k}=${encodeURIComponent(k === 'mobile' ? encrypt(String(v), keys.wechatpayPublic) : String(v))}`)
            .join('&')}`,
        })
      : await raw(server, { method: 'POST', target: '/v3/pay/transactions/jsapi', body: request });
  if (answer.status === 200) return 'ok';
  expect(answer.body?.code).toBe('PARAM_ERROR');
  return [answer.body!.detail!.field!, answer.body!.detail!.issue!];
}

const base = { appid: 'wx1', amount: { total: 1 }, payer: { openid: 'o1' } };

describe('the client and the local server agree on every request', () => {
  it.each<{ name: string; op: string; request: Record<string, unknown>; want: 'ok' | [string, string] }>([
    { name: 'an encrypted query parameter, valid', op: 'listGuides', request: { store_id: 7, mobile: MOBILE, limit: 10 }, want: 'ok' },
    { name: 'an encrypted query parameter whose plaintext breaks its pattern', op: 'listGuides', request: { store_id: 7, mobile: '12345' }, want: ['mobile', 'pattern'] },
    { name: 'uint32 refuses a negative number', op: 'listGuides', request: { store_id: -1 }, want: ['store_id', 'minimum'] },
    { name: 'uint32 refuses a number past 2^32 - 1', op: 'listGuides', request: { store_id: 2 ** 32 }, want: ['store_id', 'maximum'] },
    { name: 'number with format integer refuses a fraction', op: 'listGuides', request: { store_id: 7, limit: 1.5 }, want: ['limit', 'type'] },
    { name: 'an allOf body, valid, with a nullable field null', op: 'jsapiPrepay', request: { ...base, attach: null }, want: 'ok' },
    { name: 'allOf: a member makes a referenced field required', op: 'jsapiPrepay', request: { ...base, payer: {} }, want: ['payer.openid', 'required'] },
    { name: 'allOf: the merged object is closed', op: 'jsapiPrepay', request: { ...base, payer: { openid: 'o1', extra: 1 } }, want: ['payer.extra', 'unknownField'] },
    { name: 'allOf: a required field of the referenced base', op: 'jsapiPrepay', request: { amount: { total: 1 }, payer: { openid: 'o1' } }, want: ['appid', 'required'] },
    { name: 'int32 refuses 2^31', op: 'jsapiPrepay', request: { ...base, amount: { total: 2 ** 31 } }, want: ['amount.total', 'maximum'] },
    { name: 'a field that is not nullable refuses null', op: 'jsapiPrepay', request: { ...base, appid: null }, want: ['appid', 'type'] },
  ])('$name', async ({ op, request, want }) => {
    expect(await clientVerdict(op, request)).toEqual(want);
    expect(await serverVerdict(op, request)).toEqual(want);
  });
});

describe('an encrypted query parameter on the wire', () => {
  it('travels as ciphertext the server decrypts; the plaintext is in no URL, record or error', async () => {
    await client['listGuides']!({ store_id: 7, mobile: MOBILE });
    const record = server.requests().at(-1)!;
    expect(record).toMatchObject({ operationId: 'listGuides', status: 200, verdict: 'OK', encryptedFields: ['mobile'] });
    expect(record.target).toMatch(/^\/v3\/smartguide\/guides\?store_id=7&mobile=[A-Za-z0-9%]{300,}$/);
    const bad = await client['listGuides']!({ store_id: 7, mobile: '9876543210x' }).catch((e: unknown) => e);
    const wire = await raw(server, { method: 'GET', target: `/v3/smartguide/guides?store_id=7&mobile=${encodeURIComponent(encrypt('9876543210x', keys.wechatpayPublic))}` });
    for (const text of [JSON.stringify(server.requests()), String(bad), JSON.stringify(bad), JSON.stringify(wire.body)]) {
      expect(text).not.toContain(MOBILE);
      expect(text).not.toContain('9876543210x');
    }
  });

  it('a query value that is not ciphertext for the key Wechatpay-Serial names is refused, as a body field is', async () => {
    const plain = await raw(server, { method: 'GET', target: `/v3/smartguide/guides?store_id=7&mobile=${MOBILE}` });
    expect(plain).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'mobile', location: 'query', issue: 'ciphertext' } } });
    const wrongKey = await raw(server, { method: 'GET', target: `/v3/smartguide/guides?store_id=7&mobile=${encodeURIComponent(encrypt(MOBILE, keys.merchantPublic))}` });
    expect(wrongKey).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail: { field: 'mobile', location: 'query' } } });
  });
});
