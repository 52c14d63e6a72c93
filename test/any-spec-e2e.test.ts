// End to end for a spec other than the product's, over both transports: a
// client generated (in a temp folder) from a spec with a GET, a PUT with a
// header parameter and a 200 without a body, a DELETE answered 204,
// parameters on the path item, a schema whose name is not an identifier, and
// a pattern on an encrypted field. The server is a small loopback one written
// here (the local WeChat Pay serves only the product spec): it checks each
// request's signature independently and records what arrived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createVerify, constants, privateDecrypt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { generateFiles } from '../generator/generate.js';
import { writeOutput } from '../generator/output.js';
import { fetchTransport, nodeTransport, ValidationError, type Transport } from '../runtime/index.js';
import { clientConfig, keys, ROOT, wechatHeaders } from './helpers.js';

const SPEC = `
openapi: 3.1.0
info: { title: things, version: "1" }
paths:
  /v1/things/{thing_id}:
    parameters:
      - { name: thing_id, in: path, required: true, schema: { type: string } }
      - { name: region, in: query, schema: { type: string, enum: [north, south] } }
    get:
      operationId: getThing
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/thing-info.v2" } } } }
    put:
      operationId: putThing
      parameters:
        - { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }
        - { name: Idempotency-Key, in: header, required: true, schema: { type: string, maxLength: 32 } }
        - { name: region, in: query, required: true, schema: { type: string, enum: [north, south] } }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [phone]
              properties:
                phone: { type: string, pattern: "^1\\\\d{10}$", x-wechatpay-encryption: rsa-oaep-sha1 }
                level: { type: integer, enum: [1, 2] }
      responses:
        "200": { description: no body }
    delete:
      operationId: deleteThing
      responses:
        "204": { description: no body }
components:
  schemas:
    thing-info.v2:
      type: object
      properties:
        id: { type: string }
`;

interface Arrived {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  signatureOk: boolean;
}

let dir: string;
let api: Record<string, (request: object) => Promise<unknown>> & { close(): void };
let createClient: (config: object) => typeof api;
let server: http.Server;
let baseUrl: string;
const arrived: Arrived[] = [];

function signatureOk(req: http.IncomingMessage, body: string): boolean {
  const auth = String(req.headers.authorization ?? '');
  const field = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(auth)?.[1] ?? '';
  const message = `${req.method}\n${req.url}\n${field('timestamp')}\n${field('nonce_str')}\n${body}\n`;
  return createVerify('RSA-SHA256').update(message).verify(keys.merchantPublic, field('signature'), 'base64');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wxp-any-spec-'));
  const runtime = path.join(ROOT, 'runtime/index.js');
  const files = await generateFiles({ specFile: 'things.yaml', specLabel: 'things.yaml', text: SPEC, runtimeImport: runtime });
  writeOutput(dir, files);
  ({ createClient } = (await import(path.join(dir, 'index.ts'))) as { createClient: typeof createClient });

  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      arrived.push({ method: req.method!, url: req.url!, headers: req.headers, body, signatureOk: signatureOk(req, body) });
      const answer = req.method === 'GET' ? JSON.stringify({ id: 'T1' }) : '';
      res.writeHead(req.method === 'DELETE' ? 204 : 200, { ...wechatHeaders(answer), ...(answer ? { 'Content-Type': 'application/json' } : {}) }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const transports: [string, () => Transport & { close?(): void }][] = [
  ['nodeTransport', () => nodeTransport()],
  ['fetchTransport', () => fetchTransport()],
];

describe.each(transports)('a generated client for any spec, over %s', (_name, makeTransport) => {
  let transport: Transport & { close?(): void };
  let client: typeof api;
  beforeAll(() => {
    transport = makeTransport();
    client = createClient(clientConfig({ baseUrl, transport }));
  });
  afterAll(() => transport.close?.());
  const last = () => arrived.at(-1)!;

  it('GET with path-item parameters: no body, no Content-Type, the JSON answer', async () => {
    await expect(client.getThing!({ thing_id: 'T1', region: 'north' })).resolves.toEqual({ id: 'T1' });
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/things/T1?region=north', body: '', signatureOk: true });
    expect(last().headers['content-type']).toBeUndefined();
    expect(last().headers['content-length'] ?? '0').toBe('0');
    expect(last().headers['transfer-encoding']).toBeUndefined();
  });

  it('PUT: the header parameter is sent (outside the signature), the encrypted field decrypts, a 200 without a body resolves to undefined', async () => {
    await expect(client.putThing!({ thing_id: 'T1', region: 'south', 'Idempotency-Key': 'k-1', phone: '13800138000', level: 2 })).resolves.toBeUndefined();
    const put = last();
    expect(put).toMatchObject({ method: 'PUT', url: '/v1/things/T1?region=south', signatureOk: true });
    expect(put.headers['idempotency-key']).toBe('k-1');
    expect(put.headers['content-type']).toBe('application/json');
    const body = JSON.parse(put.body) as { phone: string; level: number };
    expect(body.level).toBe(2);
    expect(privateDecrypt({ key: keys.wechatpayPrivate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(body.phone, 'base64')).toString()).toBe('13800138000');
  });

  it('DELETE answered 204', async () => {
    await expect(client.deleteThing!({ thing_id: 'T1' })).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: 'DELETE', url: '/v1/things/T1', body: '', signatureOk: true });
    expect(last().headers['content-type']).toBeUndefined();
  });

  it.each<{ name: string; request: Record<string, unknown>; want: [string, string][] }>([
    { name: 'the pattern of an encrypted field, on the plaintext', request: { phone: '2380013800' }, want: [['phone', 'pattern']] },
    { name: 'a missing required header parameter', request: { phone: '13800138000', 'Idempotency-Key': undefined }, want: [['Idempotency-Key', 'required']] },
    { name: 'a header value HTTP cannot carry', request: { phone: '13800138000', 'Idempotency-Key': 'a\r\nb' }, want: [['Idempotency-Key', 'headerValue']] },
    { name: 'an integer enum', request: { phone: '13800138000', level: 3 }, want: [['level', 'enum']] },
    { name: 'a misspelt field is refused, not dropped', request: { phone: '13800138000', levle: 1 }, want: [['levle', 'unknownField']] },
  ])('refused before sending: $name', async ({ request, want }) => {
    const before = arrived.length;
    const err = await client.putThing!({ thing_id: 'T1', region: 'north', 'Idempotency-Key': 'k', ...request }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => [i.path, i.rule])).toEqual(want);
    expect(arrived.length).toBe(before);
  });
});

describe('the generated files for that spec', () => {
  it('compile under tsc --strict, with the header parameter required in the request type', () => {
    const use = path.join(dir, 'use.ts');
    writeFileSync(
      use,
      [
        "import { createClient, type thing_info_v2, type PutThingRequest } from './index.js';",
        'declare const client: ReturnType<typeof createClient>;',
        "export const got: Promise<thing_info_v2> = client.getThing({ thing_id: 'a' });",
        "export const put: Promise<void> = client.putThing({ thing_id: 'a', region: 'north', 'Idempotency-Key': 'k', phone: '1' });",
        '// @ts-expect-error the header parameter is required',
        "export const bad: PutThingRequest = { thing_id: 'a', region: 'north', phone: '1' };",
        '// @ts-expect-error level is 1 | 2',
        "export const bad2: PutThingRequest = { thing_id: 'a', region: 'north', 'Idempotency-Key': 'k', phone: '1', level: 3 };",
      ].join('\n'),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), use];
    const r = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
