// The server's check of a request's Authorization header, as WeChat does it:
// scheme, mchid, serial, timestamp window, nonce replay, and RSA-SHA256 over
// exactly the method, request target, timestamp, nonce and body that arrived.
import { createVerify, type KeyObject } from 'node:crypto';
import { AUTH_SCHEME } from '../sign.js';
import { MAX_CLOCK_SKEW_SECONDS } from '../verify.js';

export interface AuthExpectations {
  mchid: string;
  serialNo: string;
  merchantPublicKey: KeyObject;
}

/** Nonces seen within the timestamp window; older ones expire. */
export class NonceStore {
  private readonly seen = new Map<string, number>();
  /** False when the nonce was already used. */
  remember(nonce: string, nowSeconds: number): boolean {
    for (const [n, t] of this.seen) {
      if (t >= nowSeconds - 2 * MAX_CLOCK_SKEW_SECONDS) break;
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowSeconds);
    return true;
  }
}

/** Undefined when the request is authentic, else why not. */
export function checkAuthorization(
  header: string | undefined,
  request: { method: string; target: string; body: Buffer },
  expect: AuthExpectations,
  nonces: NonceStore,
  nowSeconds: number,
): string | undefined {
  if (!header) return 'Authorization header is missing';
  if (!header.startsWith(`${AUTH_SCHEME} `)) return `Authorization scheme must be ${AUTH_SCHEME}`;
  const fields = new Map<string, string>();
  for (const m of header.slice(AUTH_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
  for (const name of ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature']) {
    if (!fields.get(name)) return `Authorization lacks ${name}`;
  }
  if (fields.get('mchid') !== expect.mchid) return 'mchid does not match the merchant';
  if (fields.get('serial_no') !== expect.serialNo) return 'serial_no is not the merchant certificate serial';
  const timestamp = Number(fields.get('timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) return 'timestamp is outside the 5-minute window';
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${request.method}\n${request.target}\n${fields.get('timestamp')}\n${fields.get('nonce_str')}\n`);
  verifier.update(request.body);
  verifier.update('\n');
  if (!verifier.verify(expect.merchantPublicKey, fields.get('signature')!, 'base64')) return 'signature does not verify with the merchant certificate';
  if (!nonces.remember(fields.get('nonce_str')!, nowSeconds)) return 'nonce_str was already used (replay)';
  return undefined;
}
