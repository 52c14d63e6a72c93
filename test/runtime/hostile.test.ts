// Hostile answers from real loopback servers, over both transports: bodies too
// large or endless, a body dribbled against the timeout, a redirect, a status
// other than the documented one. Each answer is signed correctly, so the case
// is only about what it says it is about. Every error is scanned for secrets.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ApiError,
  createClient,
  fetchTransport,
  NetworkError,
  nodeTransport,
  ResponseTooLargeError,
  TimeoutError,
  VerificationError,
  WechatPayError,
  type ConfirmUserCardRequest,
  type Transport,
} from '../../generated/index.js';
import { clientConfig, confirmRequest, expectNoSecrets, failureOf, ROOT, wechatHeaders } from '../helpers.js';

const request: ConfirmUserCardRequest = confirmRequest;
// What the hostile servers answer: a card, small and signed.
const card = { user_card_code: '478515832665', user_card_state: 'EFFECTIVE' };
const CARD_JSON = JSON.stringify(card);
const REQUEST_ID = '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1';

interface Hostile {
  url: string;
  /** Requests received. */
  hits: number;
  /** Sockets the server saw closed, by either side. */
  closedSockets: number;
  close(): Promise<void>;
}

const servers: Hostile[] = [];
const caught: unknown[] = [];

async function hostile(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Hostile> {
  const server = http.createServer((req, res) => {
    state.hits++;
    req.resume();
    req.on('end', () => handler(req, res));
  });
  const state: Hostile = {
    url: '',
    hits: 0,
    closedSockets: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('connection', (socket: Socket) => socket.on('close', () => state.closedSockets++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

/** A loopback URL nothing listens on: a port just freed. */
async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** Writes `chunk` until the client goes away, respecting back-pressure so the server's own memory stays flat. */
function endless(res: http.ServerResponse, chunk: Buffer): void {
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

const failure = (p: Promise<unknown>) => failureOf(p, caught);

const transports: { name: string; make: () => Transport & { close?(): void } }[] = [
  { name: 'nodeTransport', make: () => nodeTransport() },
  { name: 'fetchTransport', make: () => fetchTransport() },
];
const open: (() => void)[] = [];
function clientOn(url: string, transport: Transport & { close?(): void }, extra: Record<string, unknown> = {}) {
  const client = createClient(clientConfig({ baseUrl: url, transport, ...extra }));
  open.push(() => transport.close?.());
  return client;
}

afterEach(async () => {
  for (const close of open.splice(0)) close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => {
  expect(caught.length).toBeGreaterThan(10);
  expectNoSecrets(caught);
});

describe.each(transports)('over $name', ({ make }) => {
  it('refuses a correctly signed body past maxResponseBytes, whether its length is declared or chunked', async () => {
    const big = JSON.stringify({ ...card, padding: 'x'.repeat(100_000) });
    for (const declared of [true, false]) {
      const server = await hostile((_req, res) => {
        res.writeHead(200, { ...wechatHeaders(big), 'Content-Type': 'application/json', ...(declared ? { 'Content-Length': String(big.length) } : {}) });
        if (declared) res.end(big);
        else {
          // Chunked: the length is only known by reading.
          for (let i = 0; i < big.length; i += 8192) res.write(big.slice(i, i + 8192));
          res.end();
        }
      });
      const client = clientOn(server.url, make(), { maxResponseBytes: 64 * 1024 });
      const e = await failure(client.confirmUserCard(request));
      expect(e).toBeInstanceOf(ResponseTooLargeError);
      expect(e).toMatchObject({ kind: 'response-too-large', maxResponseBytes: 65536, status: 200, requestId: REQUEST_ID, mayHaveTakenEffect: true });
      expect(e.message).toContain('maxResponseBytes (65536)');
    }
  });

  it('stops reading an endless body at the limit and closes the connection', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const server = await hostile((_req, res) => {
      res.writeHead(200, { ...wechatHeaders(''), 'Content-Type': 'application/json' });
      endless(res, chunk);
    });
    const client = clientOn(server.url, make(), { maxResponseBytes: 256 * 1024 });
    const e = await failure(client.confirmUserCard(request));
    expect(e).toMatchObject({ kind: 'response-too-large', status: 200 });
    // The server sees its socket closed: the client freed it (without this the server would write forever).
    await expect.poll(() => server.closedSockets).toBe(1);
  });

  it('times out on a body dribbled a byte at a time, and says the call may have taken effect', async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { ...wechatHeaders(CARD_JSON), 'Content-Type': 'application/json', 'Content-Length': String(CARD_JSON.length) });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= CARD_JSON.length) return clearInterval(timer);
        res.write(CARD_JSON[i++]!);
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const client = clientOn(server.url, make(), { timeoutMs: 300 });
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).toMatchObject({ kind: 'timeout', timeoutMs: 300, mayHaveTakenEffect: true });
    await expect.poll(() => server.closedSockets).toBe(1);
  });

  it('never follows a redirect: the 302 is the answer, and its target sees nothing', async () => {
    const target = await hostile((_req, res) => res.writeHead(200, wechatHeaders(CARD_JSON)).end(CARD_JSON));
    const server = await hostile((req, res) => res.writeHead(302, { Location: target.url + req.url, 'Request-ID': 'R-302' }).end());
    const client = clientOn(server.url, make());
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ kind: 'api', status: 302, requestId: 'R-302', mayHaveTakenEffect: true });
    expect(target.hits).toBe(0);
  });

  it('answers a signed 200 with a body for an operation documented as 204 with undefined, after verifying it', async () => {
    const server = await hostile((_req, res) => res.writeHead(200, wechatHeaders(CARD_JSON)).end(CARD_JSON));
    const client = clientOn(server.url, make());
    const seen: unknown[] = [];
    await expect(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: 't' }, { onResponse: (r) => seen.push(r) })).resolves.toBeUndefined();
    expect(seen).toEqual([{ status: 200, requestId: REQUEST_ID }]);

    const tampered = await hostile((_req, res) => res.writeHead(200, wechatHeaders(CARD_JSON)).end(CARD_JSON.replace('EFFECTIVE', 'EXPIRED')));
    const e = await failure(clientOn(tampered.url, make()).updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: 't' }));
    expect(e).toMatchObject({ kind: 'verification', reason: 'bad-signature', mayHaveTakenEffect: true });
  });

  it('refuses a signed 204 for an operation that answers a card: the caller would get nothing', async () => {
    const server = await hostile((_req, res) => res.writeHead(204, wechatHeaders('')).end());
    const client = clientOn(server.url, make());
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(VerificationError);
    expect(e).toMatchObject({ reason: 'invalid-json', status: 204, mayHaveTakenEffect: true });
    expect(e.message).toContain('no body');
  });
});

describe('a transport of the caller that ignores maxResponseBytes', () => {
  it('still gets the answer refused, and createClient refuses a limit that is not a positive integer', async () => {
    const body = Buffer.from(JSON.stringify({ ...card, padding: 'x'.repeat(2048) }));
    const transport: Transport = async (req) => {
      expect(req.maxResponseBytes).toBe(1024);
      return { status: 200, headers: { 'request-id': 'R-1' }, body };
    };
    const e = await failure(createClient(clientConfig({ transport, maxResponseBytes: 1024 })).confirmUserCard(request));
    expect(e).toMatchObject({ kind: 'response-too-large', maxResponseBytes: 1024, status: 200, requestId: 'R-1' });
    for (const maxResponseBytes of [0, -1, 1.5, Infinity, '1MB']) {
      expect(() => createClient(clientConfig({ maxResponseBytes }))).toThrow(expect.objectContaining({ kind: 'config', field: 'maxResponseBytes' }));
    }
  });
});

describe('memory stays bounded', () => {
  // In a child process, so the figures are the client's alone: a 50 MB body and an endless one, default limit.
  it('under a 50 MB body and an endless body, over both transports', async () => {
    const fifty = Buffer.alloc(50 * 1024 * 1024, 'x');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const server = await hostile((req, res) => {
      res.writeHead(200, { ...wechatHeaders(''), 'Content-Type': 'application/json', ...(req.url!.includes('fifty') ? { 'Content-Length': String(fifty.length) } : {}) });
      if (req.url!.includes('fifty')) res.end(fifty);
      else endless(res, chunk);
    });
    const child = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/fixtures/memory-child.ts'), JSON.stringify(clientConfig({ baseUrl: server.url }))],
      // tsx as a loader, without its compile cache: nothing is left in the temp folder.
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, TSX_DISABLE_CACHE: '1' } },
    );
    const results = JSON.parse(child.stdout) as { name: string; kind: string; rssGrowthMb: number; heapGrowthMb: number }[];
    expect(results.map((r) => `${r.name}:${r.kind}`)).toEqual([
      'node-fifty:response-too-large',
      'node-endless:response-too-large',
      'fetch-fifty:response-too-large',
      'fetch-endless:response-too-large',
    ]);
    // Before the limit, the 50 MB body grew the process by ~250 MB; with it, by a few MB.
    for (const r of results) {
      expect(r.rssGrowthMb, r.name).toBeLessThan(24);
      expect(r.heapGrowthMb, r.name).toBeLessThan(8);
    }
  });
});

describe('a network failure', () => {
  it('before the connection is made says nothing took effect', async () => {
    const client = clientOn(await refusedUrl(), nodeTransport());
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e).toMatchObject({ code: 'ECONNREFUSED', mayHaveTakenEffect: false });
  });

  it('after the request was sent says it may have taken effect', async () => {
    const server = await hostile((req) => req.socket.destroy());
    const client = clientOn(server.url, nodeTransport());
    const e = await failure(client.confirmUserCard(request));
    expect(e).toMatchObject({ kind: 'network', code: 'ECONNRESET', mayHaveTakenEffect: true });
  });
});

describe('failover and retries count separately', () => {
  it('a failover to the backup domain does not use up the one SYSTEM_ERROR retry', async () => {
    const downUrl = await refusedUrl();
    let answers = 0;
    const backup = await hostile((_req, res) => {
      if (answers++ === 0) res.writeHead(500, { 'Request-ID': 'R-500' }).end(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统异常' }));
      else res.writeHead(200, wechatHeaders(CARD_JSON)).end(CARD_JSON);
    });
    const client = clientOn(downUrl, nodeTransport(), {
      failover: { backupBaseUrl: backup.url },
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await expect(client.confirmUserCard(request)).resolves.toEqual(card);
    expect(backup.hits).toBe(2);
  });
});
