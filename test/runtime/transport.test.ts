// fetchTransport's failures: whatever goes wrong inside fetch rejects with a
// `code`, so the client's NetworkError names it; and no body is handed to
// fetch for a request without one (fetch refuses a body on GET). Then how the
// runtime's time limit and the caller's signal reach each kind of transport.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchTransport, nodeTransport, timedSender, TransportTimeout, type TimedRequest, type Transport, type TransportFailure, type TransportRequest } from '../../runtime/transport.js';

const request = (extra: Partial<TransportRequest> = {}): TransportRequest => ({ method: 'GET', url: 'http://127.0.0.1:9/x', headers: {}, body: '', signal: new AbortController().signal, maxResponseBytes: 1 << 20, ...extra });

async function failure(p: Promise<unknown>): Promise<TransportFailure> {
  try {
    await p;
  } catch (e) {
    return e as TransportFailure;
  }
  throw new Error('expected a failure');
}

describe('fetchTransport failures carry a code', () => {
  it.each<{ name: string; thrown: () => unknown; aborted?: boolean; want: { code: string; beforeSend: boolean } }>([
    { name: "undici's connection refused", thrown: () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), want: { code: 'ECONNREFUSED', beforeSend: true } },
    { name: 'a socket closed mid-answer', thrown: () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }), want: { code: 'UND_ERR_SOCKET', beforeSend: false } },
    { name: 'an error with its own code', thrown: () => Object.assign(new Error('x'), { code: 'ECONNRESET' }), want: { code: 'ECONNRESET', beforeSend: false } },
    { name: 'an error without any code', thrown: () => new TypeError('Request with GET/HEAD method cannot have body.'), want: { code: 'EFETCH', beforeSend: false } },
    { name: 'an abort', thrown: () => new DOMException('aborted', 'AbortError'), aborted: true, want: { code: 'ABORT_ERR', beforeSend: false } },
  ])('$name', async ({ thrown, aborted, want }) => {
    const controller = new AbortController();
    if (aborted) controller.abort();
    const transport = fetchTransport(async () => {
      throw thrown();
    });
    expect(await failure(transport(request({ signal: controller.signal })))).toMatchObject(want);
  });

  it('a refused connection over the real fetch', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    expect(await failure(fetchTransport()(request({ url: `http://127.0.0.1:${port}/x` })))).toMatchObject({ code: 'ECONNREFUSED', beforeSend: true });
  });

  it('hands fetch no body for a request without one, and the body for one with it', async () => {
    const seen: (RequestInit | undefined)[] = [];
    const transport = fetchTransport(async (_url, init) => {
      seen.push(init);
      return new Response('{}', { status: 200 });
    });
    await transport(request());
    await transport(request({ method: 'POST', body: '{"a":1}' }));
    expect(seen.map((i) => i && 'body' in i)).toEqual([false, true]);
    expect(seen[1]!.body).toBe('{"a":1}');
  });
});

// The runtime sends through timedSender: a built-in transport keeps the time
// itself, any other Transport gets a signal that aborts when time is up.
describe('timedSender', () => {
  const timed = (extra: Partial<TimedRequest> = {}): TimedRequest => ({ method: 'GET', origin: 'http://127.0.0.1:9', path: '/x', headers: {}, body: '', maxResponseBytes: 1 << 20, timeoutMs: 50, signal: undefined, ...extra });

  async function silentServer() {
    const server = http.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
  }

  it('gives a Transport of the caller a signal that aborts when time is up, and rejects with a TransportTimeout', async () => {
    let seen: AbortSignal | undefined;
    const transport: Transport = (req) =>
      new Promise((_resolve, reject) => {
        seen = req.signal;
        req.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })));
      });
    const e = await failure(timedSender(transport)(timed({ origin: 'http://h', path: '/p?q=1' })));
    expect(e).toBeInstanceOf(TransportTimeout);
    expect(seen!.aborted).toBe(true);
  });

  it("passes the caller's abort on to a Transport of the caller", async () => {
    const controller = new AbortController();
    const transport: Transport = (req) => new Promise((_resolve, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const pending = failure(timedSender(transport)(timed({ timeoutMs: 10_000, signal: controller.signal })));
    controller.abort();
    expect(await pending).not.toBeInstanceOf(TransportTimeout);
  });

  it('over nodeTransport: a server that never answers times out after the request was sent', async () => {
    const server = await silentServer();
    const transport = nodeTransport();
    try {
      const e = await failure(timedSender(transport)(timed({ origin: server.origin })));
      expect(e).toBeInstanceOf(TransportTimeout);
      expect(e.beforeSend).toBe(false);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it("over nodeTransport: the caller's signal aborts the request", async () => {
    const server = await silentServer();
    const transport = nodeTransport();
    const controller = new AbortController();
    try {
      const pending = failure(timedSender(transport)(timed({ origin: server.origin, timeoutMs: 10_000, signal: controller.signal })));
      setTimeout(() => controller.abort(), 20);
      const e = await pending;
      expect(e).not.toBeInstanceOf(TransportTimeout);
      expect(e).toMatchObject({ code: 'ABORT_ERR' });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('nodeTransport called as a Transport honours its signal and adds Content-Length to a copy of the headers', async () => {
    const server = await silentServer();
    const transport = nodeTransport();
    const controller = new AbortController();
    const headers = { Accept: 'application/json' };
    try {
      const pending = failure(transport(request({ url: `${server.origin}/x`, method: 'POST', body: '{}', headers, signal: controller.signal })));
      setTimeout(() => controller.abort(), 20);
      expect(await pending).toMatchObject({ code: 'ABORT_ERR' });
      expect(headers).toEqual({ Accept: 'application/json' });
    } finally {
      transport.close();
      await server.close();
    }
  });
});

describe('nodeTransport on a kept-alive socket the server drops', () => {
  // A server on 127.0.0.1 that answers 'ok', except the second request, which arrives on the
  // kept-alive socket and is dropped unanswered after the server has read it; `alsoStop` closes
  // the listener too, so that a resend's connection is refused. Sends through a nodeTransport.
  async function dropsTheSecond(method: string, body: string, alsoStop = false) {
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      if (hits !== 2) return void res.end('ok');
      if (alsoStop) server.close();
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = nodeTransport();
    const timed = timedSender(transport);
    return {
      hits: () => hits,
      send: () => timed({ method, origin, path: '/x', headers: {}, body, maxResponseBytes: 1024, timeoutMs: 5000, signal: undefined }),
      close: async () => {
        transport.close();
        server.closeAllConnections();
        if (server.listening) await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('sends once more on a fresh socket, and only once, within the one time limit', async () => {
    const s = await dropsTheSecond('GET', '');
    try {
      const first = await s.send();
      expect([first.status, first.resent]).toEqual([200, undefined]);
      const second = await s.send();
      // Said so: the server read the dropped attempt, and a server may act before it fails.
      expect([second.status, second.body.toString(), second.resent]).toEqual([200, 'ok', true]);
      expect(s.hits()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('a resend that fails before connecting does not say nothing was sent: the first attempt went out', async () => {
    const s = await dropsTheSecond('POST', '{}', true);
    try {
      expect((await s.send()).status).toBe(200);
      const err = await failure(s.send());
      expect([err.code, err.beforeSend, err.resent]).toEqual(['ECONNREFUSED', false, true]);
      expect(s.hits()).toBe(2);
    } finally {
      await s.close();
    }
  });
});
