// What a test saw of one request on the wire, and whether its signature covers exactly that.
import { createVerify } from 'node:crypto';
import { requestMessage } from '../runtime/sign.js';
import { keys } from './helpers.js';

export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
}

/** The Authorization header signs exactly this method, path and body. */
export function signatureCovers(seen: Seen): boolean {
  const fields = Object.fromEntries([...seen.headers['authorization']!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const message = requestMessage({ method: seen.method, pathWithQuery: seen.path, body: seen.rawBody, timestamp: Number(fields['timestamp']), nonce: fields['nonce_str']! });
  return createVerify('RSA-SHA256').update(message).verify(keys.merchantPublic, fields['signature']!, 'base64');
}
