// Every answer signed as WeChat signs it: Wechatpay-Timestamp, -Nonce,
// -Serial and -Signature over `TIMESTAMP\nNONCE\nBODY\n`. The signing key and
// the serial it is announced under are parameters (the key mode decides them).
// The response faults tamper here, after the body is final.
import { randomBytes, type KeyObject } from 'node:crypto';
import { rsaSign } from '../sign.js';
import type { Fault } from './faults.js';

export interface ResponseSigner {
  /** Sent as Wechatpay-Serial: the public key id (or platform certificate serial) the client verifies with. */
  serial: string;
  privateKey: KeyObject;
}

export interface SignedResponse {
  headers: Record<string, string>;
  /** The bytes to send (cut in half for the truncated-json fault, after signing). */
  wire: string;
}

export function signResponse(text: string, signer: ResponseSigner, nowSeconds: number, requestId: string, tamper?: Fault): SignedResponse {
  const wire = tamper?.type === 'truncated-json' ? text.slice(0, Math.floor(text.length / 2)) : text;
  const timestamp = String(nowSeconds - (tamper?.type === 'stale-timestamp' ? 600 : 0));
  const nonce = randomBytes(16).toString('hex');
  const headers: Record<string, string> = {
    'Request-ID': requestId,
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': tamper?.type === 'wrong-serial' ? 'PUB_KEY_ID_SOMEONE_ELSE' : signer.serial,
    // bad-signature: a real signature, but over another nonce than the header says (works for 204 too).
    'Wechatpay-Signature': rsaSign(`${timestamp}\n${tamper?.type === 'bad-signature' ? `x${nonce}` : nonce}\n${wire}\n`, signer.privateKey),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
  if (tamper?.type === 'missing-signature') delete headers['Wechatpay-Signature'];
  if (wire) headers['Content-Type'] = 'application/json; charset=utf-8';
  return { headers, wire };
}
