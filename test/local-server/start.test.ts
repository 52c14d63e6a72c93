// What the server refuses at start, before it listens: it cannot answer an operation within its schema.
import { describe, expect, it } from 'vitest';
import type { OperationMeta } from '../../runtime/call.js';
import { startLocalServer, type ServedOperation } from '../../runtime/local-server/index.js';
import { keys } from '../helpers.js';

const meta: OperationMeta = {
  operationId: 'getShop',
  method: 'GET',
  path: '/v3/shops/{shop_id}',
  pathParams: ['shop_id'],
  queryParams: [],
  headerParams: [],
  bodyParams: null,
  request: { type: 'object', properties: { shop_id: { type: 'string' } }, required: ['shop_id'] },
  encrypted: [],
  responseEncrypted: [],
  successStatus: 200,
  responseBody: true,
  wechatpaySerialRequired: false,
};
const response = { type: 'object', properties: { code: { type: 'string', pattern: '^S-[0-9]{4}$' } }, required: ['code'] } as const;
const serverKeys = { merchantPublicKey: keys.merchantPublic, wechatpayPrivateKey: keys.wechatpayPrivate };

describe('start', () => {
  it.each([
    {
      name: "an example that breaks the response schema",
      op: { meta, response, example: { code: 'S-12' } },
      want: "getShop: the spec's example of the 200 response breaks its schema: code must match ^S-[0-9]{4}$",
    },
    {
      name: 'no example, and no value found for a pattern',
      op: { meta, response },
      want: 'getShop: cannot synthesize a 200 response (code: no value found for pattern ^S-[0-9]{4}$): give the response an example in the spec, or register a handler',
    },
  ] satisfies { name: string; op: ServedOperation; want: string }[])('refuses $name, naming the operation', async ({ op, want }) => {
    await expect(startLocalServer([op], { keys: serverKeys })).rejects.toThrow(want);
  });

  it('a valid example, or a handler, lets it start', async () => {
    for (const options of [{ op: { meta, response, example: { code: 'S-1234' } }, handlers: {} }, { op: { meta, response }, handlers: { getShop: () => ({ code: 'S-0001' }) } }]) {
      const server = await startLocalServer([options.op], { keys: serverKeys, handlers: options.handlers });
      expect(server.operations).toEqual([{ operationId: 'getShop', method: 'GET', path: '/v3/shops/{shop_id}', answeredBy: options.op.example ? 'example' : 'handler' }]);
      await server.close();
    }
  });
});
