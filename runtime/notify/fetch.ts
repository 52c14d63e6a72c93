// WHATWG adapter: Request in, Response out, for Hono, Next.js route handlers,
// Bun, Deno and other fetch-style servers. Reads the raw body itself, up to the cap.
import { alreadyRead, tooLarge, type NotificationAnswer, type NotificationHandler } from './handler.js';

export function fetchHandler(handler: NotificationHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.bodyUsed) return toResponse(handler.refuse(alreadyRead('the request body was already read')));
    if (Number(request.headers.get('content-length')) > handler.maxBodyBytes) return toResponse(handler.refuse(tooLarge(handler.maxBodyBytes)));
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (request.body) {
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > handler.maxBodyBytes) {
          await reader.cancel().catch(() => undefined);
          return toResponse(handler.refuse(tooLarge(handler.maxBodyBytes)));
        }
        chunks.push(value);
      }
    }
    return toResponse(await handler.handle({ headers: request.headers, body: Buffer.concat(chunks, size) }));
  };
}

function toResponse(a: NotificationAnswer): Response {
  return new Response(a.status === 204 ? null : a.body, { status: a.status, headers: a.headers });
}
