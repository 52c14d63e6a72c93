// The request's marked fields: each must be RSA-OAEP ciphertext for the key
// the server decrypts with. The decryption key is a parameter, so other key
// modes (platform certificates) only change what is passed in.
import type { KeyObject } from 'node:crypto';
import { decryptFields } from '../encrypt.js';
import { mapStringsAt } from '../fields.js';

export type Decrypted = { plain: Record<string, unknown>; paths: string[] } | { undecryptable: string } | { tooMany: { field: string; count: number } };

/**
 * The body with every marked field decrypted, and which marked paths were
 * present; or the first field that does not decrypt; or, before anything is
 * decrypted, the field at which the count of encrypted values passed `limit`
 * (each is an RSA private-key operation).
 */
export function decryptRequestFields(body: Record<string, unknown>, marked: readonly string[], privateKey: KeyObject, limit: number): Decrypted {
  let count = 0;
  let over: string | undefined;
  mapStringsAt(body, marked, (v, path) => {
    if (++count > limit) over ??= path;
    return v;
  });
  if (over !== undefined) return { tooMany: { field: over, count } };
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
