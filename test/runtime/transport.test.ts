// fetchTransport's failures: whatever goes wrong inside fetch rejects with a
// `code`, so the client's NetworkError names it; and no body is handed to
// fetch for a request without one (fetch refuses a body on GET).
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchTransport, type TransportFailure, type TransportRequest } from '../../runtime/transport.js';

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
