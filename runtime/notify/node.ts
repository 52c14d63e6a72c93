// node:http adapter: `http.createServer(nodeListener(handler))`, or as a
// route of Express, Fastify (reply.hijack) and the like, which all hand over
// Node's request and response. It reads the raw body itself, up to the cap.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { alreadyRead, tooLarge, type NotificationAnswer, type NotificationHandler } from './handler.js';

export function nodeListener(handler: NotificationHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const send = (a: NotificationAnswer, close = false) => {
      if (res.headersSent) return;
      res.writeHead(a.status, close ? { ...a.headers, Connection: 'close' } : a.headers).end(a.body);
    };
    // A framework's raw-body middleware (express.raw()) leaves the bytes: they are as good as the stream.
    const parsed = (req as { body?: unknown }).body;
    if (Buffer.isBuffer(parsed)) {
      handler.handle({ headers: req.headers, body: parsed }).then(send, () => send({ status: 500, headers: {}, body: '' }));
      return;
    }
    if (req.readableEnded || (parsed !== undefined && !isEmptyObject(parsed))) {
      send(handler.refuse(alreadyRead(parsed === undefined ? 'the request body was already read' : `the request body was already parsed (to ${typeof parsed === 'string' ? 'a string' : 'an object'})`)));
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (declared > handler.maxBodyBytes) {
      send(handler.refuse(tooLarge(handler.maxBodyBytes)), true);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > handler.maxBodyBytes) {
        // Drained, not kept: memory stays bounded.
        refused = true;
        chunks.length = 0;
        send(handler.refuse(tooLarge(handler.maxBodyBytes)), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      handler.handle({ headers: req.headers, body: Buffer.concat(chunks, size) }).then(send, () => send({ status: 500, headers: {}, body: '' }));
    });
    req.on('error', () => res.destroy());
  };
}

// express.json() sets {} on a request whose Content-Type it does not handle, without reading it.
function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}
