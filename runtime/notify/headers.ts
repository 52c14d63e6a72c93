// Notification headers as they come: node:http's IncomingHttpHeaders, a
// WHATWG Headers object, or a plain record with any spelling of the names.
// The verifier reads lower-case names, one string each; only the headers it
// and the error reports need are picked, into an object of one fixed shape.
import { H } from '../headers.js';

export type IncomingHeaders = Headers | { readonly [name: string]: string | readonly string[] | undefined };

/** The headers a notification is read with, under their lower-case names. */
export interface NotificationHeaders {
  readonly [H.serial]: string | undefined;
  readonly [H.signature]: string | undefined;
  readonly [H.timestamp]: string | undefined;
  readonly [H.nonce]: string | undefined;
  readonly [H.requestId]: string | undefined;
  readonly [name: string]: string | undefined;
}

const WANTED_LENGTHS = new Set([H.serial, H.signature, H.timestamp, H.nonce, H.requestId].map((name) => name.length));

export function notificationHeaders(headers: IncomingHeaders): NotificationHeaders {
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    // Headers.get is case-insensitive and joins a repeated header with ", ".
    const h = headers as Headers;
    return picked(h.get(H.serial), h.get(H.signature), h.get(H.timestamp), h.get(H.nonce), h.get(H.requestId));
  }
  const record = headers as Record<string, string | readonly string[] | undefined>;
  let serial: string | undefined, signature: string | undefined, timestamp: string | undefined, nonce: string | undefined, requestId: string | undefined;
  for (const name of Object.keys(record)) {
    // Only names of a wanted length are lower-cased: most headers are passed over at once.
    if (!WANTED_LENGTHS.has(name.length)) continue;
    switch (name.toLowerCase()) {
      case H.serial: serial = joined(serial, record[name]); break;
      case H.signature: signature = joined(signature, record[name]); break;
      case H.timestamp: timestamp = joined(timestamp, record[name]); break;
      case H.nonce: nonce = joined(nonce, record[name]); break;
      case H.requestId: requestId = joined(requestId, record[name]); break;
    }
  }
  return picked(serial, signature, timestamp, nonce, requestId);
}

// A header that arrived twice (an array, or two spellings of its name in a record) is joined as HTTP stacks do, so the verifier sees the repeat.
function joined(before: string | undefined, value: string | readonly string[] | undefined): string | undefined {
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : undefined;
  if (text === undefined) return before;
  return before === undefined ? text : `${before}, ${text}`;
}

function picked(serial: unknown, signature: unknown, timestamp: unknown, nonce: unknown, requestId: unknown): NotificationHeaders {
  return { 'wechatpay-serial': text(serial), 'wechatpay-signature': text(signature), 'wechatpay-timestamp': text(timestamp), 'wechatpay-nonce': text(nonce), 'request-id': text(requestId) };
}

// Headers.get answers null for an absent header; anything not a string counts as absent.
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
