// APIv3 request signing. A pure function of its inputs: the caller supplies
// the timestamp and nonce, so fixed vectors can test it.
import { createSign, randomBytes, type KeyObject } from 'node:crypto';

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface SignInput {
  method: string;
  /** Path and query exactly as they go on the request line, e.g. `/v3/x/a%2Fb?card_id=1`. */
  pathWithQuery: string;
  /** The exact body bytes sent; '' when there is none. */
  body: string;
  timestamp: number;
  nonce: string;
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
}

/** `METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n` */
export function requestMessage(i: Pick<SignInput, 'method' | 'pathWithQuery' | 'body' | 'timestamp' | 'nonce'>): string {
  return `${i.method}\n${i.pathWithQuery}\n${i.timestamp}\n${i.nonce}\n${i.body}\n`;
}

export function rsaSign(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

/** The Authorization header value for one request. */
export function authorization(i: SignInput): string {
  const signature = rsaSign(requestMessage(i), i.privateKey);
  return `${AUTH_SCHEME} mchid="${i.mchid}",nonce_str="${i.nonce}",timestamp="${i.timestamp}",serial_no="${i.serialNo}",signature="${signature}"`;
}

/** 32 hex characters from the CSPRNG. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}
