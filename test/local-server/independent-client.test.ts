// The strict local server accepts what an independent client sends:
// wechatpay-axios-plugin (its own signer, its own RSA-OAEP encryption, axios's
// own headers: `Accept: application/json, text/plain, *\/*`) calls every
// operation of the spec once, and verifies every answer with its own verifier.
// The requests are synthesized from the request rules; the request line is
// written as our client writes it (the plugin takes it as given).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mapStringsAt } from '../../runtime/fields.js';
import { requestLine } from '../../runtime/url.js';
import { operations, startLocalWechatPay } from '../../generated/local-server.js';
import { synthesize } from '../../runtime/local-server/synthesize.js';
import { keys } from '../helpers.js';

const require = createRequire(import.meta.url);
const { Wechatpay, Rsa } = require('wechatpay-axios-plugin') as {
  Wechatpay: new (o: object) => { client: { request(path: string, method: string, data: unknown, config: object): Promise<{ status: number; data: unknown }> } };
  Rsa: { encrypt(s: string, k: unknown): string; from(k: string, t: string): unknown; KEY_TYPE_PUBLIC: string };
};

// As in product.test.ts: the card store keeps its own three, the 2025 family answers its default body
// (a sequence of synthesized requests would meet the store's refusals: a deleted template, a used code).
const SEEDS = ['confirmUserCard', 'invalidateUserCard', 'updateCardTemplate'];
const defaults = Object.fromEntries<never>(operations.map((op) => op.meta.operationId).filter((id) => !SEEDS.includes(id)).map((id) => [id, ((_: unknown, c: { defaultResponse(): unknown }) => c.defaultResponse()) as never]));

describe('wechatpay-axios-plugin against the local WeChat Pay', () => {
  it('gets every operation accepted, and verifies every answer', async () => {
    const server = await startLocalWechatPay({
      keys: { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate },
      templates: [{ card_id: 'card_id', brand_id: 'brand_id', card_type: 'NORMAL', code_mode: 'SYSTEM_ALLOCATE', fields: {} }],
      handlers: defaults,
    });
    try {
      const { mchid, serialNo, wechatpayPublicKeyId } = server.clientConfig;
      const wxpay = new Wechatpay({ mchid, serial: serialNo, privateKey: keys.merchantPrivatePem, certs: { [wechatpayPublicKeyId!]: keys.wechatpayPublicPem }, baseURL: server.url });
      const publicKey = Rsa.from(keys.wechatpayPublicPem, Rsa.KEY_TYPE_PUBLIC);
      const results: [string, number, string][] = [];
      for (const op of operations) {
        const { meta } = op;
        const input = synthesize(meta.request) as Record<string, unknown>;
        const line = requestLine(meta.path, meta.pathParams, meta.queryParams, input);
        const body = meta.bodyParams ? mapStringsAt(Object.fromEntries(meta.bodyParams.filter((n) => input[n] !== undefined).map((n) => [n, input[n]])), meta.encrypted, (v) => Rsa.encrypt(v, publicKey)) : undefined;
        const answer = await wxpay.client.request(line.pathWithQuery.slice(1), meta.method.toLowerCase(), body, { headers: { 'Wechatpay-Serial': wechatpayPublicKeyId } });
        results.push([meta.operationId, answer.status, server.requests().at(-1)!.verdict]);
      }
      expect(results).toEqual(operations.map((op) => [op.meta.operationId, op.meta.successStatus, 'OK']));
      expect(results).toHaveLength(24);
    } finally {
      await server.close();
    }
  });
});
