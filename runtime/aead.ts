// AEAD_AES_256_GCM with the merchant's APIv3 key, as WeChat Pay uses it for the
// platform certificates of GET /v3/certificates and for notification resources:
// the key is the 32-byte APIv3 key, `nonce` the IV, `associated_data` the AAD,
// and the base64 ciphertext ends with the 16-byte authentication tag.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_BYTES = 16;

export interface AeadResource {
  algorithm?: string;
  /** The GCM IV as text (12 characters in WeChat's answers). */
  nonce: string;
  associated_data?: string;
  /** base64 of ciphertext ‖ tag. */
  ciphertext: string;
}

/** Thrown when a resource does not decrypt. Its message names neither the key nor any plaintext. */
export class AeadError extends Error {}

/** Checks and returns an APIv3 key as bytes: it must be exactly 32 bytes. */
export function apiV3KeyBytes(input: string | Buffer): Buffer {
  const key = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (key.length !== 32) throw new AeadError(`must be 32 bytes (the APIv3 key set in the merchant platform), got ${key.length}`);
  return key;
}

/** The plaintext of `resource`; throws AeadError when the tag does not check out (wrong key, damaged or forged data). */
export function aeadDecrypt(apiV3Key: Buffer, resource: AeadResource): Buffer {
  if (resource.algorithm !== undefined && resource.algorithm !== AEAD_ALGORITHM) {
    throw new AeadError(`algorithm ${JSON.stringify(String(resource.algorithm).slice(0, 32))} is not ${AEAD_ALGORITHM}`);
  }
  if (typeof resource.nonce !== 'string' || resource.nonce.length === 0 || typeof resource.ciphertext !== 'string') {
    throw new AeadError('needs a nonce and a ciphertext');
  }
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < TAG_BYTES) throw new AeadError('ciphertext is shorter than the authentication tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce, 'utf8'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plaintext = decipher.update(data.subarray(0, data.length - TAG_BYTES));
    const rest = decipher.final(); // checks the tag; GCM has nothing left over, so no copy is needed
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    // OpenSSL's message is not passed on: it says nothing useful and nothing here may echo input.
    throw new AeadError('does not decrypt: the authentication tag does not match (wrong APIv3 key, or damaged data)');
  }
}

/** The other direction, for the local server and tests. */
export function aeadEncrypt(apiV3Key: Buffer, plaintext: string | Buffer, associatedData: string, nonce = randomBytes(6).toString('hex')): Required<AeadResource> {
  const cipher = createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'), { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { algorithm: AEAD_ALGORITHM, nonce, associated_data: associatedData, ciphertext: Buffer.concat([body, cipher.getAuthTag()]).toString('base64') };
}
