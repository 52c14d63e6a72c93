// Verification of a 2xx response's signature: Wechatpay-* headers, serial,
// timestamp window, RSA-SHA256 over `TIMESTAMP\nNONCE\nBODY\n` on the raw bytes.
import { createVerify, type KeyObject } from 'node:crypto';

export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface ResponseToVerify {
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface VerifyKeys {
  publicKeyId: string;
  publicKey: KeyObject;
}

export type VerifyFailure = { reason: 'missing-header' | 'serial-mismatch' | 'stale-timestamp' | 'bad-signature'; message: string };

const REQUIRED = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

/** Returns undefined when the response checks out, else what failed. */
export function verifyResponse(res: ResponseToVerify, keys: VerifyKeys, nowSeconds: number): VerifyFailure | undefined {
  const missing = REQUIRED.filter((h) => !res.headers[h]);
  if (missing.length > 0) {
    return { reason: 'missing-header', message: `response is missing ${missing.map(headerName).join(', ')}` };
  }
  const serial = res.headers['wechatpay-serial']!;
  if (serial !== keys.publicKeyId) {
    return { reason: 'serial-mismatch', message: `Wechatpay-Serial is ${serial}, expected the configured public key id ${keys.publicKeyId}` };
  }
  const timestamp = res.headers['wechatpay-timestamp']!;
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!(Math.abs(nowSeconds - seconds) <= MAX_CLOCK_SKEW_SECONDS)) {
    return { reason: 'stale-timestamp', message: `Wechatpay-Timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from now (${nowSeconds})` };
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${timestamp}\n${res.headers['wechatpay-nonce']}\n`);
  verifier.update(res.body);
  verifier.update('\n');
  if (!verifier.verify(keys.publicKey, res.headers['wechatpay-signature']!, 'base64')) {
    return { reason: 'bad-signature', message: 'Wechatpay-Signature does not match the response body' };
  }
  return undefined;
}

function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
