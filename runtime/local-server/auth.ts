// The server's check of a request's Authorization header, as WeChat does it:
// scheme, mchid, serial, timestamp window, nonce replay, and RSA-SHA256 over
// exactly the method, request target, timestamp, nonce and body that arrived.
// The header is read by one pass over its characters (no backtracking
// pattern: a long header costs its length, not its square), and read
// strictly: the five keys, each once, nothing else.
import { createVerify, type KeyObject } from 'node:crypto';
import { AUTH_SCHEME } from '../sign.js';
import { MAX_CLOCK_SKEW_SECONDS } from '../verify.js';
import { MAX_AUTHORIZATION_BYTES } from './limits.js';
import { BACKSLASH, COMMA, EQUALS, QUOTE, SP, TAB } from './char-codes.js';

export interface AuthExpectations {
  mchid: string;
  serialNo: string;
  merchantPublicKey: KeyObject;
}

/** Why a request is not authentic (answered 401 SIGN_ERROR): `field` is `Authorization` or `Authorization.<key>`. */
export interface AuthProblem {
  message: string;
  field: string;
  issue: string;
}

export const AUTH_KEYS = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'] as const;
type AuthKey = (typeof AUTH_KEYS)[number];

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

const problem = (issue: string, message: string, key?: string): AuthProblem => ({ message, field: key ? `Authorization.${key}` : 'Authorization', issue });

/**
 * Undefined when the request is authentic, else why not. `header` is every
 * Authorization header that arrived (node keeps only the first of repeats).
 */
export function checkAuthorization(
  header: readonly string[] | undefined,
  request: { method: string; target: string; body: Buffer },
  expect: AuthExpectations,
  nonces: NonceStore,
  nowSeconds: number,
): AuthProblem | undefined {
  if (!header || header.length === 0) return problem('missing', 'Authorization header is missing');
  if (header.length > 1) return problem('repeated', 'Authorization header appears more than once');
  const parsed = parseAuthorization(header[0]!);
  if ('issue' in parsed) return parsed;
  const fields = parsed;
  if (fields.mchid !== expect.mchid) return problem('mismatch', 'mchid does not match the merchant', 'mchid');
  if (fields.serial_no !== expect.serialNo) return problem('mismatch', 'serial_no is not the merchant certificate serial', 'serial_no');
  // Signed as sent, so `0x6a…`, `1.79e9`, `+17…` or ` 17…` would verify: WeChat's clients write Unix seconds in decimal.
  if (!/^[1-9][0-9]{0,11}$/.test(fields.timestamp)) return problem('format', 'timestamp must be Unix seconds in decimal digits', 'timestamp');
  if (Math.abs(nowSeconds - Number(fields.timestamp)) > MAX_CLOCK_SKEW_SECONDS) return problem('window', 'timestamp is outside the 5-minute window', 'timestamp');
  // node's base64 decoder skips characters it does not know: only the canonical text is the signature.
  const signature = Buffer.from(fields.signature, 'base64');
  if (signature.toString('base64') !== fields.signature) return problem('format', 'signature is not base64', 'signature');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${request.method}\n${request.target}\n${fields.timestamp}\n${fields.nonce_str}\n`);
  verifier.update(request.body);
  verifier.update('\n');
  if (!verifier.verify(expect.merchantPublicKey, signature)) return problem('signature', 'signature does not verify with the merchant certificate', 'signature');
  if (!nonces.remember(fields.nonce_str, nowSeconds)) return problem('replay', 'nonce_str was already used (replay)', 'nonce_str');
  return undefined;
}

const isKeyChar = (c: number) => (c >= 0x61 && c <= 0x7a) || c === 0x5f; // a-z _
// Visible ASCII but `"` and `\`: no escapes, no spaces (no client writes any in these values).
const isValueChar = (c: number) => c > SP && c < 0x7f && c !== QUOTE && c !== BACKSLASH;

/**
 * `WECHATPAY2-SHA256-RSA2048 k="v",k="v",…` with the five keys, each once and
 * none empty. Optional spaces around the commas (HTTP's list syntax); nothing else.
 */
export function parseAuthorization(header: string): Record<AuthKey, string> | AuthProblem {
  if (header.length > MAX_AUTHORIZATION_BYTES) return problem('maxLength', `Authorization is longer than ${MAX_AUTHORIZATION_BYTES} characters`);
  if (!header.startsWith(`${AUTH_SCHEME} `)) return problem('scheme', `Authorization scheme must be ${AUTH_SCHEME}`);
  const fields = new Map<string, string>();
  const malformed = (at: number) => problem('syntax', `Authorization is not ${AUTH_SCHEME} followed by key="value" pairs separated by commas (at character ${at + 1})`);
  let i = AUTH_SCHEME.length + 1;
  const n = header.length;
  for (;;) {
    const keyStart = i;
    while (i < n && isKeyChar(header.charCodeAt(i))) i++;
    if (i === keyStart || header.charCodeAt(i) !== EQUALS || header.charCodeAt(i + 1) !== QUOTE) return malformed(i);
    const key = header.slice(keyStart, i);
    i += 2;
    const valueStart = i;
    while (i < n && isValueChar(header.charCodeAt(i))) i++;
    if (header.charCodeAt(i) !== QUOTE) return malformed(i);
    if (!(AUTH_KEYS as readonly string[]).includes(key)) return problem('unknownKey', `Authorization has a key WeChat does not define: ${key.slice(0, 32)}`);
    if (fields.has(key)) return problem('repeatedKey', `Authorization gives ${key} more than once`, key);
    fields.set(key, header.slice(valueStart, i));
    i++;
    while (header.charCodeAt(i) === SP || header.charCodeAt(i) === TAB) i++;
    if (i === n) break;
    if (header.charCodeAt(i) !== COMMA) return malformed(i);
    i++;
    while (header.charCodeAt(i) === SP || header.charCodeAt(i) === TAB) i++;
  }
  for (const key of AUTH_KEYS) if (!fields.get(key)) return problem('missingKey', `Authorization lacks ${key}`, key);
  return Object.fromEntries(fields) as Record<AuthKey, string>;
}
