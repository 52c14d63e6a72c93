// The server's key material: given, or two fresh 2048-bit pairs (merchant, WeChat Pay).
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export interface LocalWechatPayKeys {
  /** Verifies request signatures. */
  merchantPublicKey: KeyObject | string;
  /** Optional: only used to hand out a ready `clientConfig`. */
  merchantPrivateKey?: KeyObject | string;
  /** Signs responses and decrypts request fields. */
  wechatpayPrivateKey: KeyObject | string;
}

const generate = promisify(generateKeyPair);

export async function freshKeys(): Promise<LocalWechatPayKeys> {
  const opts = { modulusLength: 2048 } as const;
  const [merchant, wechatpay] = await Promise.all([generate('rsa', opts), generate('rsa', opts)]);
  return { merchantPublicKey: merchant.publicKey, merchantPrivateKey: merchant.privateKey, wechatpayPrivateKey: wechatpay.privateKey };
}

export function toPublic(k: KeyObject | string): KeyObject {
  return typeof k === 'string' ? createPublicKey(k) : k.type === 'private' ? createPublicKey(k) : k;
}

export function toPrivate(k: KeyObject | string): KeyObject {
  return typeof k === 'string' ? createPrivateKey(k) : k;
}

/**
 * The WeChat Pay public key's id, when none is given: it follows from the key,
 * as WeChat's does, so two local servers with fresh keys never share one. A
 * client pointed at the wrong server is then told the serial is unknown, not
 * that a signature is bad. Same shape as WeChat's (`PUB_KEY_ID_` and digits).
 */
export function localPublicKeyId(key: KeyObject | string): string {
  const digest = createHash('sha256').update(toPublic(key).export({ type: 'spki', format: 'der' })).digest();
  return `PUB_KEY_ID_0000000000LOCAL${digest.readUInt32BE(0).toString().padStart(10, '0')}`;
}
