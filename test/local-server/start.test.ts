// An operation the server cannot answer within its schema: reported at start (naming the operation and
// field), the other operations still served, and its requests answered 500 SYSTEM_ERROR as the response's fault.
import { describe, expect, it } from 'vitest';
import type { OperationMeta } from '../../runtime/call.js';
import { startLocalServer, type LocalServerProblem, type ServedOperation } from '../../runtime/local-server/index.js';
import { keys } from '../helpers.js';
import { raw } from './raw.js';

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
const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
// A second operation that can always be answered: a problem with one operation must not stop the others.
const other: ServedOperation = { meta: { ...meta, operationId: 'getOther', path: '/v3/others/{shop_id}' }, response: { type: 'object', properties: { id: { type: 'string' } } } };

describe('start: an operation the server cannot answer', () => {
  it.each([
    {
      name: 'an example that breaks the response schema',
      op: { meta, response, example: { code: 'S-12' } },
      want: "the spec's example of the 200 response breaks its schema: code must match ^S-[0-9]{4}$",
    },
    {
      name: 'an example with a field the response schema lacks',
      op: { meta, response, example: { code: 'S-1234', extra: 1 } },
      want: "the spec's example of the 200 response breaks its schema: extra is not a field of the response schema",
    },
    {
      name: 'no example, and a pattern no string can be made for',
      op: { meta, response: { ...response, properties: { code: { type: 'string', pattern: '^(S)\\1-[0-9]{4}$' } } } },
      want: 'cannot synthesize a 200 response (code: cannot make a string for pattern ^(S)\\1-[0-9]{4}$ (a backreference at offset 4)): give the response an example in the spec, or register a handler',
    },
    {
      name: 'a 204 with a response schema',
      op: { meta: { ...meta, successStatus: 204 }, response },
      want: 'it answers 204, which carries no body (RFC 9110), yet it has a response schema',
    },
  ] satisfies { name: string; op: ServedOperation; want: string }[])('$name: reported at start, the others served, its requests refused as the response', async ({ op, want }) => {
    const problems: LocalServerProblem[] = [];
    const server = await startLocalServer([op, other], { keys: serverKeys, onProblem: (p) => problems.push(p) });
    try {
      expect(problems).toEqual([{ kind: 'operation', operationId: 'getShop', message: expect.stringContaining(want) }]);
      expect(problems[0]!.message).toMatch(/^getShop cannot be answered, its requests get 500 SYSTEM_ERROR: /);
      expect(server.operations.map((o) => o.problem)).toEqual([expect.stringContaining(want), undefined]);

      expect(await raw(server, { method: 'GET', target: '/v3/others/s1' })).toEqual({ status: 200, body: { id: 'id' } });

      const answer = await raw(server, { method: 'GET', target: '/v3/shops/s1' });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ code: 'SYSTEM_ERROR', message: '系统异常,请稍后重试', detail: { fault: 'response', reason: expect.stringContaining(want) } });
      const record = server.requests().at(-1)!;
      expect(record).toMatchObject({ operationId: 'getShop', status: 500, verdict: 'SYSTEM_ERROR', faultOf: 'response', reason: expect.stringContaining(want) });
      expect(problems[1]).toEqual({ kind: 'response', operationId: 'getShop', requestId: record.requestId, message: expect.stringContaining(want) });
    } finally {
      await server.close();
    }
  });

  it('a pattern of the kinds real specs use is synthesized, with no problem', async () => {
    const problems: LocalServerProblem[] = [];
    const server = await startLocalServer([{ meta, response }], { keys: serverKeys, onProblem: (p) => problems.push(p) });
    try {
      expect(await raw(server, { method: 'GET', target: '/v3/shops/s1' })).toEqual({ status: 200, body: { code: 'S-0000' } });
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a valid example, or a handler, lets it start', async () => {
    for (const options of [{ op: { meta, response, example: { code: 'S-1234' } }, handlers: {} }, { op: { meta, response }, handlers: { getShop: () => ({ code: 'S-0001' }) } }]) {
      const server = await startLocalServer([options.op], { keys: serverKeys, handlers: options.handlers });
      expect(server.operations).toEqual([{ operationId: 'getShop', method: 'GET', path: '/v3/shops/{shop_id}', answeredBy: options.op.example ? 'example' : 'handler' }]);
      await server.close();
    }
  });
});
