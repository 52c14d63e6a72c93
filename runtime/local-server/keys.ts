// The server's key material: given, or two fresh 2048-bit pairs (merchant, WeChat Pay).
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
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
