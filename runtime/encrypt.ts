// RSA-OAEP (SHA-1, MGF1-SHA-1) encryption of sensitive fields, as APIv3 wants
// them: request fields under the WeChat Pay public key, response fields under
// the merchant's certificate.
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { mapStringsAt } from './fields.js';

const OAEP_SHA1 = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;

/** Largest plaintext in bytes that fits one OAEP-SHA1 block for this key (214 for 2048 bits). */
export function oaepLimit(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  return bits / 8 - 2 * 20 - 2;
}

export function encrypt(plaintext: string, publicKey: KeyObject): string {
  return publicEncrypt({ key: publicKey, padding: OAEP_SHA1.padding, oaepHash: OAEP_SHA1.oaepHash }, Buffer.from(plaintext, 'utf8')).toString('base64');
}

export function decrypt(ciphertextBase64: string, privateKey: KeyObject): string {
  return privateDecrypt({ key: privateKey, ...OAEP_SHA1 }, Buffer.from(ciphertextBase64, 'base64')).toString('utf8');
}

/** A copy of `body` with every marked field encrypted; with `ownBody` (an object the caller has just made), its own fields are replaced in place. */
export function encryptFields<T>(body: T, paths: readonly string[], publicKey: KeyObject, ownBody = false): T {
  return paths.length === 0 ? body : (mapStringsAt(body, paths, (v) => encrypt(v, publicKey), ownBody) as T);
}

/** A copy of `body` with every marked field decrypted; `onError` gets the path of a field that will not decrypt. */
export function decryptFields<T>(body: T, paths: readonly string[], privateKey: KeyObject, onError: (path: string) => never): T {
  if (paths.length === 0) return body;
  return mapStringsAt(body, paths, (v, path) => {
    try {
      return decrypt(v, privateKey);
    } catch {
      return onError(path);
    }
  }) as T;
}
