// The server side of notifications: one request in, WeChat's expected answer
// out. Success is 204 with no body; a failure is 4XX/5XX with
// {"code":"FAIL","message":…}, after which WeChat sends the notification again.
// Each notification id reaches the application once (see id-store.ts), and
// only after it verified and decrypted; a failure of the application's code
// releases the id, so WeChat's repeat gets another chance.
import { NotificationError, WechatPayError } from '../errors.js';
import type { IncomingHeaders } from './headers.js';
import { memoryIdStore, type NotificationIdStore } from './id-store.js';
import type { NotificationParser } from './parse.js';

/** Default cap on a notification body: a card event is about 1 KB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface NotificationRequest {
  headers: IncomingHeaders;
  /** The raw bytes as they arrived: never a body parsed as JSON, which cannot be verified. */
  body: Buffer | string;
}

export interface NotificationAnswer {
  status: number;
  headers: Record<string, string>;
  /** '' for success. */
  body: string;
}

export interface NotificationHandlerOptions<N> {
  /**
   * Gets each verified, decrypted notification, once per notification id.
   * Resolve when it is handled (stored, queued); WeChat then hears success.
   * Throw (or reject) and WeChat hears a failure and sends it again. WeChat
   * waits 5 seconds for the answer: queue long work instead of awaiting it.
   */
  onNotification(notification: N): void | Promise<void>;
  /** Remembers handled ids. Default: memoryIdStore(). `null`: every delivery, repeats included, reaches onNotification. */
  idStore?: NotificationIdStore | null;
  /** Bodies larger than this are refused with 413 without being read further. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Told about every notification refused and every failure of onNotification, e.g. to log it. The error holds no secret. */
  onError?(error: unknown): void;
}

export interface NotificationHandler {
  /** A request whose raw body is already at hand → the answer for WeChat. Never rejects. */
  handle(request: NotificationRequest): Promise<NotificationAnswer>;
  readonly maxBodyBytes: number;
  /** Answers an error found before `handle` could run (the body could not be read). */
  refuse(error: NotificationError): NotificationAnswer;
}

const SUCCESS: NotificationAnswer = { status: 204, headers: {}, body: '' };

/**
 * The handler for a notify_url route. `source` is the client (its
 * `parseNotification`), so notifications are verified with the client's own
 * keys and configuration. Wire it with `nodeListener` or `fetchHandler`.
 */
export function createNotificationHandler<N extends { id: string }>(
  source: { parseNotification: NotificationParser<N> },
  options: NotificationHandlerOptions<N>,
): NotificationHandler {
  const parse = source.parseNotification;
  const store = options.idStore === undefined ? memoryIdStore() : options.idStore;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) throw new TypeError('maxBodyBytes must be a positive integer');
  const report = (e: unknown) => {
    try {
      options.onError?.(e);
    } catch {
      // A failing logger must not change the answer.
    }
  };
  const refuse = (e: NotificationError): NotificationAnswer => {
    report(e);
    return failure(e.status, e.message);
  };

  async function handle(request: NotificationRequest): Promise<NotificationAnswer> {
    const size = typeof request.body === 'string' ? Buffer.byteLength(request.body) : Buffer.isBuffer(request.body) ? request.body.length : 0;
    if (size > maxBodyBytes) return refuse(tooLarge(maxBodyBytes));
    let notification: N;
    try {
      notification = await parse(request.headers, request.body);
    } catch (e) {
      if (e instanceof NotificationError) return refuse(e);
      report(e);
      // A ConfigError (no APIv3 key) or a bug: WeChat should try again once it is fixed.
      return failure(500, e instanceof WechatPayError ? e.message : 'the notification could not be processed');
    }

    const id = notification.id;
    let state: 'new' | 'done' | 'busy' = 'new';
    try {
      if (store) state = await store.claim(id);
    } catch (e) {
      report(e);
      return failure(500, 'the notification id store failed');
    }
    if (state === 'done') return SUCCESS;
    if (state === 'busy') return failure(503, `notification ${id} is being handled; send it again later`);

    try {
      await options.onNotification(notification);
    } catch (e) {
      report(e);
      await settle(() => store?.release(id), report);
      // The application's error is not echoed: it may hold anything.
      return failure(500, `the merchant could not handle notification ${id}`);
    }
    await settle(() => store?.done(id), report);
    return SUCCESS;
  }

  return { handle, maxBodyBytes, refuse };
}

export function tooLarge(maxBodyBytes: number): NotificationError {
  return new NotificationError('body-too-large', `the body is larger than ${maxBodyBytes} bytes`, { status: 413 });
}

export function alreadyRead(what: string): NotificationError {
  return new NotificationError(
    'body-already-read',
    `${what}: the raw body is gone, so the signature cannot be verified. Mount the notification handler on its own route before any body parser (such as express.json())`,
    { status: 500 },
  );
}

function failure(status: number, message: string): NotificationAnswer {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code: 'FAIL', message }) };
}

async function settle(step: () => void | Promise<void> | undefined, report: (e: unknown) => void): Promise<void> {
  try {
    await step();
  } catch (e) {
    report(e);
  }
}
