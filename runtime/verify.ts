// The one verifier of WeChat Pay's signatures, for API responses and for
// notifications alike. Pure: the caller gives the headers, the raw body, the
// keys and the clock, and gets back undefined (it checks out) or what failed.
//
// The key is picked by Wechatpay-Serial: `PUB_KEY_ID_…` names the WeChat Pay
// public key, anything else a platform certificate by its serial. One Map
// lookup per message; everything about a key is worked out when it is added.
import { createVerify, type KeyObject } from 'node:crypto';
import type { VerificationReason } from './errors.js';
import { H, WECHATPAY_NONCE, WECHATPAY_SERIAL, WECHATPAY_SIGNATURE, WECHATPAY_TIMESTAMP } from './headers.js';

export const MAX_CLOCK_SKEW_SECONDS = 300;
export const PUBLIC_KEY_ID_PREFIX = 'PUB_KEY_ID_';
/** WeChat's probes that merchants verify: such a signature must fail like any bad one. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

/** A key that WeChat Pay signs with. */
export interface VerificationKey {
  /** `PUB_KEY_ID_…` for the public key; the certificate serial (hex, as WeChat spells it) for a certificate. */
  readonly id: string;
  readonly kind: 'public-key' | 'certificate';
  readonly key: KeyObject;
  /** Validity in seconds since the epoch; -Infinity and Infinity for the public key, which does not expire. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** Length in base64 characters of one signature by this key (344 for 2048 bits). */
  readonly signatureChars: number;
}

/** The keys a verifier accepts, each under `keyId(key.id)`. */
export type KeySet = ReadonlyMap<string, VerificationKey>;

export interface SignedMessage {
  /** Header names lower-cased, as node:http and fetch give them. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes, exactly as they arrived. */
  body: Buffer;
}

export interface VerifyFailure {
  reason: Exclude<VerificationReason, 'invalid-json' | 'undecryptable-field'>;
  message: string;
}

/** The map key for a serial or public key id: certificate serials are hex, so case and leading zeros do not matter. */
export function keyId(serial: string): string {
  return serial.startsWith(PUBLIC_KEY_ID_PREFIX) ? serial : serial.toUpperCase().replace(/^0+(?=.)/, '');
}

export function publicKeyEntry(id: string, key: KeyObject): VerificationKey {
  return { id, kind: 'public-key', key, notBefore: -Infinity, notAfter: Infinity, signatureChars: signatureChars(key) };
}

/** Base64 length of an RSA signature: the modulus size in bytes, base64-encoded with padding. */
export function signatureChars(key: KeyObject): number {
  const bytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8);
  return 4 * Math.ceil(bytes / 3);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** Undefined when the message checks out, else what failed. */
export function verifySignature(message: SignedMessage, keys: KeySet, nowSeconds: number): VerifyFailure | undefined {
  const h = message.headers;
  const serial = h[H.serial];
  const signature = h[H.signature];
  const timestamp = h[H.timestamp];
  const nonce = h[H.nonce];
  if (!serial || !signature || !timestamp || !nonce) {
    const missing = [!timestamp && WECHATPAY_TIMESTAMP, !nonce && WECHATPAY_NONCE, !signature && WECHATPAY_SIGNATURE, !serial && WECHATPAY_SERIAL];
    return { reason: 'missing-header', message: `missing ${missing.filter(Boolean).join(', ')}` };
  }
  // node:http and fetch join a repeated header with ", "; none of these values can hold a comma.
  if (serial.includes(',') || signature.includes(',') || timestamp.includes(',') || nonce.includes(',')) {
    const names = [timestamp.includes(',') && WECHATPAY_TIMESTAMP, nonce.includes(',') && WECHATPAY_NONCE, signature.includes(',') && WECHATPAY_SIGNATURE, serial.includes(',') && WECHATPAY_SERIAL];
    return { reason: 'duplicate-header', message: `${names.filter(Boolean).join(', ')} arrived more than once (or holds a comma)` };
  }

  const entry = keys.get(serial) ?? keys.get(keyId(serial));
  if (!entry) {
    const what = serial.startsWith(PUBLIC_KEY_ID_PREFIX) ? 'the configured WeChat Pay public key id' : 'the serial of a known platform certificate';
    return { reason: 'unknown-serial', message: `${WECHATPAY_SERIAL} ${quote(serial)} is not ${what}` };
  }
  if (nowSeconds >= entry.notAfter) {
    return { reason: 'expired-certificate', message: `platform certificate ${entry.id} expired at ${iso(entry.notAfter)}` };
  }
  if (nowSeconds < entry.notBefore) {
    return { reason: 'certificate-not-yet-valid', message: `platform certificate ${entry.id} is valid only from ${iso(entry.notBefore)}` };
  }

  if (!TIMESTAMP.test(timestamp)) {
    return { reason: 'malformed-timestamp', message: `${WECHATPAY_TIMESTAMP} ${quote(timestamp)} is not a number of seconds` };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { reason: 'stale-timestamp', message: `${WECHATPAY_TIMESTAMP} ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from now (${nowSeconds})` };
  }

  if (signature.startsWith(SIGNTEST_PREFIX)) {
    return { reason: 'bad-signature', message: `${WECHATPAY_SIGNATURE} is a ${SIGNTEST_PREFIX} probe, which never verifies` };
  }
  if (signature.length !== entry.signatureChars || !BASE64.test(signature)) {
    return { reason: 'malformed-signature', message: `${WECHATPAY_SIGNATURE} is not one base64 signature of ${entry.signatureChars} characters (got ${signature.length})` };
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${timestamp}\n${nonce}\n`);
  verifier.update(message.body);
  verifier.update('\n');
  if (!verifier.verify(entry.key, signature, 'base64')) {
    return { reason: 'bad-signature', message: `${WECHATPAY_SIGNATURE} does not match the body (key ${entry.id})` };
  }
  return undefined;
}

// A header value in a message: bounded, and quoted so that control characters show.
function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
