// The request's marked fields: each must be RSA-OAEP ciphertext for the key
// the server decrypts with. The decryption key is a parameter, so other key
// modes (platform certificates) only change what is passed in.
import type { KeyObject } from 'node:crypto';
import { decryptFields } from '../encrypt.js';
import { mapStringsAt } from '../fields.js';

export type Decrypted = { plain: Record<string, unknown>; paths: string[] } | { undecryptable: string };

/** The body with every marked field decrypted, and which marked paths were present; or the first field that does not decrypt. */
export function decryptRequestFields(body: Record<string, unknown>, marked: readonly string[], privateKey: KeyObject): Decrypted {
  try {
    const plain = decryptFields(body, marked, privateKey, (path) => {
      throw new Undecryptable(path);
    });
    return { plain, paths: presentPaths(body, marked) };
  } catch (e) {
    if (e instanceof Undecryptable) return { undecryptable: e.path };
    throw e;
  }
}

class Undecryptable extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}

/** The marked paths that hold at least one string in `body`. */
function presentPaths(body: unknown, paths: readonly string[]): string[] {
  return paths.filter((p) => {
    let found = false;
    mapStringsAt(body, [p], (v) => ((found = true), v));
    return found;
  });
}
