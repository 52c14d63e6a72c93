// What one request may cost the local server: bytes read, characters parsed,
// and RSA decryptions. WeChat's pages state none of these limits; these are
// ours, each far above what a correct call of any operation sends, and each
// checked before the work it bounds is done.

/**
 * The request line and all headers together (node's `maxHeaderSize`; node
 * answers 431 past it). A correct call's are under 1 KB.
 */
export const MAX_HEADER_BYTES = 8 * 1024;

/** The Authorization header: a signature by a 4096-bit key and the four other values fit in under 900 characters. */
export const MAX_AUTHORIZATION_BYTES = 2048;

/**
 * A request body, counted while it is read: past it the server answers 413
 * and closes the connection without reading the rest (a declared
 * Content-Length past it is refused before any of the body is read).
 */
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Encrypted values in one request, counted before any is decrypted: each is
 * an RSA private-key operation (about half a millisecond). The spec's marked
 * lists (`common_field_list[].value`) have no `maxItems`, and the pages no
 * count; one value per common field WeChat offers is well under this.
 */
export const MAX_ENCRYPTED_VALUES = 32;

/** JSON nesting in a request body: the deepest request schema is a few levels; the walkers that follow a body recurse. */
export const MAX_JSON_DEPTH = 32;

/**
 * After a 413, what the client still sends is read and dropped for at most
 * this long and this much, then the connection is cut (see linger.ts).
 */
export const LINGER_MS = 2000;
export const LINGER_BYTES = 8 * 1024 * 1024;
