// The local server on a spec that is not the product's (fixture.yaml): a GET
// with query, a DELETE answering 204, a POST with an encrypted field two
// levels down. Its client is generated for this file and removed after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { decrypt } from '../../runtime/encrypt.js';
import { encrypt } from '../../runtime/encrypt.js';
import { ApiError, SystemError } from '../../runtime/errors.js';
import type { LocalWechatPay, LocalWechatPayOptions, ServedOperation } from '../../runtime/local-server/index.js';
import { keys, ROOT } from '../helpers.js';
import { startServe } from './serve-process.js';
import { callEveryOperation } from './every-operation.js';
import { generateClient, type GeneratedClient } from './fixture-client.js';
import { raw } from './raw.js';

type Client = Record<string, (request: object) => Promise<unknown>> & { close(): void };
interface ServerModule {
  operations: readonly ServedOperation[];
  startLocalWechatPay(options?: LocalWechatPayOptions): Promise<LocalWechatPay>;
}

const SPEC = path.join(ROOT, 'test/local-server/fixture.yaml');
const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };
let generated: GeneratedClient;
let fixture: ServerModule;
let createClient: (config: object) => Client;
let server: LocalWechatPay;
let client: Client;

beforeAll(async () => {
  generated = await generateClient(SPEC);
  fixture = (await import(path.join(generated.dir, 'local-server.ts'))) as ServerModule;
  ({ createClient } = (await import(path.join(generated.dir, 'index.ts'))) as { createClient: typeof createClient });
  server = await fixture.startLocalWechatPay({ keys: serverKeys });
  client = createClient({ ...server.clientConfig, decryptResponses: true });
});
afterAll(async () => {
  client?.close();
  await server?.close();
  generated?.remove();
});

describe('a correct call to each operation gets a signed answer, verified by the generated client', () => {
  it('GET with query: the spec example, its marked field encrypted to the merchant', async () => {
    await expect(client['listMembers']!({ shop_id: 's1', limit: 10, state: 'ACTIVE' })).resolves.toEqual({
      total: 1,
      data: [{ member_id: 'm1', name: '张三', state: 'ACTIVE', profile: { contact: { phone: '13800138000' } } }],
    });
    expect(server.requests().at(-1)).toMatchObject({ operationId: 'listMembers', target: '/v3/shops/s1/members?limit=10&state=ACTIVE', status: 200, verdict: 'OK', answeredBy: 'example' });
  });

  it('POST with an encrypted field two levels down: decrypted by the server, a synthesized answer with request fields echoed', async () => {
    const member = await client['addMember']!({ shop_id: 's1', name: '李四', profile: { contact: { phone: '13900000000', city: '深圳' } } });
    expect(member).toEqual({ member_id: 'a', name: '李四', state: 'ACTIVE', joined_at: '2025-01-01T08:00:00+08:00', points: 10, profile: { contact: { phone: 'phone', city: 'city' } } });
    expect(server.requests().at(-1)).toMatchObject({ operationId: 'addMember', status: 200, answeredBy: 'synthesized', encryptedFields: ['profile.contact.phone'] });
  });

  it('DELETE answering 204: an empty body, signed', async () => {
    await expect(client['removeMember']!({ shop_id: 's1', member_id: 'm1', 'Idempotency-Key': 'k1' })).resolves.toBeUndefined();
    expect(server.requests().at(-1)).toMatchObject({ operationId: 'removeMember', method: 'DELETE', status: 204, answeredBy: 'synthesized' });
  });

  it('what is on the wire for a marked response field is ciphertext for the merchant key', async () => {
    const plain = createClient(server.clientConfig);
    const list = (await plain['listMembers']!({ shop_id: 's1', limit: 1 })) as { data: { profile: { contact: { phone: string } } }[] };
    plain.close();
    const wire = list.data[0]!.profile.contact.phone;
    expect(wire).not.toContain('13800138000');
    expect(decrypt(wire, keys.merchantPrivate)).toBe('13800138000');
  });

  it('every response of every operation validates against its response schema', async () => {
    const results = await callEveryOperation(fixture.operations, server.clientConfig);
    expect(results.map((r) => [r.operationId, r.status, r.issues])).toEqual([
      ['listMembers', 200, []],
      ['addMember', 200, []],
      ['removeMember', 204, []],
    ]);
  });
});

describe('each operation is served strictly', () => {
  const phone = () => encrypt('13900000000', keys.wechatpayPublic);
  const ops = {
    listMembers: { method: 'GET', target: '/v3/shops/s1/members?limit=5', body: undefined },
    addMember: { method: 'POST', target: '/v3/shops/s1/members', body: { name: 'n', profile: { contact: { phone: phone() } } } },
    removeMember: { method: 'DELETE', target: '/v3/shops/s1/members/m1', body: undefined, headers: { 'Idempotency-Key': 'k1' } },
  };

  it.each(Object.entries(ops))('%s: the correct raw request passes (so the refusals below are about what they change)', async (_, o) => {
    expect((await raw(server, o)).status).toBeLessThan(300);
  });

  it.each(Object.entries(ops))('%s: a bad signature → 401 SIGN_ERROR', async (_, o) => {
    expect(await raw(server, { ...o, key: keys.otherPrivate })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' } });
  });

  it.each([
    { name: 'GET: a missing required query field', o: { method: 'GET', target: '/v3/shops/s1/members' }, detail: { field: 'limit', location: 'query', issue: 'required' } },
    { name: 'GET: a query value of the wrong type', o: { method: 'GET', target: '/v3/shops/s1/members?limit=ten' }, detail: { field: 'limit', location: 'query', issue: 'type' } },
    { name: 'GET: a query value out of range', o: { method: 'GET', target: '/v3/shops/s1/members?limit=51' }, detail: { field: 'limit', location: 'query', issue: 'maximum' } },
    { name: 'GET: an unknown query field', o: { method: 'GET', target: '/v3/shops/s1/members?limit=5&page=2' }, detail: { field: 'page', location: 'query' } },
    { name: 'DELETE: a path value too long', o: { method: 'DELETE', target: '/v3/shops/s1/members/m123456789', headers: { 'Idempotency-Key': 'k1' } }, detail: { field: 'member_id', location: 'path', issue: 'maxLength' } },
    { name: 'DELETE: a body where none belongs', o: { method: 'DELETE', target: '/v3/shops/s1/members/m1', body: {}, headers: { 'Idempotency-Key': 'k1' } }, detail: { field: '(body)', location: 'body' } },
    { name: "DELETE: a missing header of the spec's own", o: { method: 'DELETE', target: '/v3/shops/s1/members/m1' }, detail: { field: 'Idempotency-Key', location: 'header', issue: 'required' } },
    { name: "DELETE: a header of the spec's own too long", o: { method: 'DELETE', target: '/v3/shops/s1/members/m1', headers: { 'Idempotency-Key': 'k'.repeat(33) } }, detail: { field: 'Idempotency-Key', location: 'header', issue: 'maxLength' } },
    { name: 'POST: a missing field two levels down', o: { method: 'POST', target: '/v3/shops/s1/members', body: { name: 'n', profile: { contact: {} } } }, detail: { field: 'profile.contact.phone', location: 'body', issue: 'required' } },
    { name: 'POST: a plaintext where ciphertext belongs', o: { method: 'POST', target: '/v3/shops/s1/members', body: { name: 'n', profile: { contact: { phone: '13900000000' } } } }, detail: { field: 'profile.contact.phone', location: 'body' } },
  ])('$name → 400 PARAM_ERROR naming the field and where it was', async ({ o, detail }) => {
    const answer = await raw(server, o);
    expect(answer).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', detail } });
    expect(JSON.stringify(answer.body)).not.toContain('13900000000');
  });

  it('POST without Wechatpay-Serial (its body carries encrypted fields) → 400 INVALID_REQUEST', async () => {
    expect(await raw(server, { ...ops.addMember, headers: { 'Wechatpay-Serial': '' } })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  });
});

describe('handlers', () => {
  async function withServer(options: LocalWechatPayOptions, run: (s: LocalWechatPay, c: Client) => Promise<void>): Promise<void> {
    const s = await fixture.startLocalWechatPay({ keys: serverKeys, ...options });
    const c = createClient({ ...s.clientConfig, decryptResponses: true });
    try {
      await run(s, c);
    } finally {
      c.close();
      await s.close();
    }
  }

  it('a handler answers in place of the example, gets typed path and query values, and can start from the default', async () => {
    const listMembers = (r: Record<string, unknown>, ctx: { defaultResponse(): unknown }) => ({ ...(ctx.defaultResponse() as object), total: r['limit'] });
    await withServer({ handlers: { listMembers } }, async (s, c) => {
      await expect(c['listMembers']!({ shop_id: 's1', limit: 7 })).resolves.toMatchObject({ total: 7, data: [{ member_id: 'm1' }] });
      expect(s.operations.map((o) => [o.operationId, o.answeredBy])).toEqual([
        ['listMembers', 'handler'],
        ['addMember', 'synthesized'],
        ['removeMember', 'synthesized'],
      ]);
    });
  });

  it('a handler gets the decrypted plaintext and its answer is encrypted again; its refusal is answered as WeChat would', async () => {
    const seen: unknown[] = [];
    const handlers = {
      addMember: (r: Record<string, unknown>) => (seen.push(r), { member_id: 'x1', name: r['name'], state: 'ACTIVE', profile: r['profile'] }),
      removeMember: (_: unknown, ctx: { fail(status: number, code: string, message: string): unknown }) => ctx.fail(404, 'RESOURCE_NOT_EXISTS', '会员不存在'),
    };
    await withServer({ handlers }, async (s, c) => {
      await expect(c['addMember']!({ shop_id: 's1', name: 'n', profile: { contact: { phone: '13900000000' } } })).resolves.toEqual({ member_id: 'x1', name: 'n', state: 'ACTIVE', profile: { contact: { phone: '13900000000' } } });
      expect(seen).toEqual([{ shop_id: 's1', name: 'n', profile: { contact: { phone: '13900000000' } } }]);
      const e = await c['removeMember']!({ shop_id: 's1', member_id: 'm1', 'Idempotency-Key': 'k1' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ status: 404, code: 'RESOURCE_NOT_EXISTS', wechatMessage: '会员不存在' });
    });
  });

  it('a handler answer that breaks the response schema is never sent: 500, and the log says why', async () => {
    await withServer({ handlers: { addMember: () => ({ member_id: 'UPPER', name: 'n', state: 'ACTIVE', profile: { contact: { phone: 'p' } } }) } }, async (s, c) => {
      const e = await c['addMember']!({ shop_id: 's1', name: 'n', profile: { contact: { phone: '1' } } }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SystemError);
      expect(s.requests().at(-1)).toMatchObject({ status: 500, verdict: 'SYSTEM_ERROR', reason: 'the response breaks the 200 schema of addMember: member_id must match ^[a-z0-9]+$' });
    });
  });

  it('a handler for an operation the spec does not have is refused at start, naming it', async () => {
    await expect(fixture.startLocalWechatPay({ keys: serverKeys, handlers: { getUserCard: () => ({}) } })).rejects.toThrow(
      'handlers.getUserCard: the spec this server serves has no operation getUserCard (it has listMembers, addMember, removeMember)',
    );
  });
});

describe('request log', () => {
  it('keeps the last requestLogLimit requests, oldest first', async () => {
    const s = await fixture.startLocalWechatPay({ keys: serverKeys, requestLogLimit: 2 });
    const c = createClient(s.clientConfig);
    try {
      for (const limit of [1, 2, 3]) await c['listMembers']!({ shop_id: 's1', limit });
      expect(s.requests().map((r) => r.target)).toEqual(['/v3/shops/s1/members?limit=2', '/v3/shops/s1/members?limit=3']);
    } finally {
      c.close();
      await s.close();
    }
  });
});

describe('serve --client', () => {
  it("serves a user's own generated client and says how each operation is answered", async () => {
    const serve = startServe(['--client', generated.dir]);
    try {
      const { out, config } = await serve.ready;
      expect(out).toContain(`serving 3 operations of ${path.join(generated.dir, 'local-server.ts')}:`);
      expect(out).toMatch(/GET +\/v3\/shops\/\{shop_id\}\/members +listMembers +answered by the spec's example/);
      expect(out).toMatch(/DELETE +\/v3\/shops\/\{shop_id\}\/members\/\{member_id\} +removeMember +answered by a body synthesized from the response schema/);
      const { privateKeyFile, wechatpayPublicKeyFile, ...rest } = config;
      const c = createClient({ ...rest, privateKey: readFileSync(privateKeyFile!), wechatpayPublicKey: readFileSync(wechatpayPublicKeyFile!) });
      await expect(c['removeMember']!({ shop_id: 's1', member_id: 'm1', 'Idempotency-Key': 'k1' })).resolves.toBeUndefined();
      c.close();
    } finally {
      await serve.stop();
    }
  });
});
