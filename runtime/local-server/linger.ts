// Closing after a 413 without losing the 413. The rest of the body is not
// wanted, but a socket destroyed while the client still writes makes the
// kernel answer its next bytes with a reset, and a reset can discard the 413
// in the client's receive buffer before the client reads it. So, as nginx
// does ("lingering close"): the answer is written and the write side closed,
// and whatever still arrives is dropped as it comes, for at most LINGER_MS and
// LINGER_BYTES; then the socket is destroyed. Memory stays flat: nothing is kept.
import type { IncomingMessage } from 'node:http';
import { LINGER_BYTES, LINGER_MS } from './limits.js';

/** Call before answering `req` with `Connection: close`. */
export function lingerAfterAnswer(req: IncomingMessage): void {
  const socket = req.socket;
  let dropped = 0;
  req.on('data', (c: Buffer) => {
    dropped += c.length;
    if (dropped > LINGER_BYTES) socket.destroy();
  });
  // node ends a `Connection: close` answer with socket.destroySoon(), which destroys the socket once the answer is written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
  };
}
