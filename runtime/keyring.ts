// The client's WeChat Pay keys over time: the verification KeySet (a Map by
// serial, read once per response), the key that encrypts request fields, and,
// when certificates are downloaded, when to fetch them again.
//
// Download policy: on first need; again in the background once the newest
// certificate is within `refreshAheadSeconds` of expiring; and once (at most
// every minute) when a response names a serial not yet known, since WeChat
// starts signing with a new certificate before the old one expires. One
// download at a time: every caller shares the one in flight. A failed download
// keeps the certificates at hand, which go on verifying until they expire.
import { CertificateError, WechatPayError } from './errors.js';
import type { ResolvedKeys } from './config.js';
import { keyId, type KeySet, type VerificationKey } from './verify.js';

/** The key that encrypts a request's marked fields; `id` goes into its Wechatpay-Serial. */
export interface EncryptionKey {
  readonly id: string;
  readonly key: VerificationKey['key'];
}

/** Fetches, decrypts and verifies the current certificates; `known` helps verify the answer. Throws a WechatPayError. */
export type CertificateDownload = (known: KeySet) => Promise<VerificationKey[]>;

export interface KeyringOptions {
  /** Start refreshing this long before the newest certificate expires. Default one day. */
  refreshAheadSeconds?: number;
}

const HOUR = 3600;
const UNKNOWN_SERIAL_INTERVAL = 60;
const FIRST_FAILURE_BACKOFF = 5;

export class Keyring {
  /** The keys a response may be signed with. Replaced, never mutated, so a reader always sees one whole set. */
  keys: KeySet;
  /** True when certificates are downloaded, so an unknown serial may become known. */
  readonly downloads: boolean;

  private readonly publicKey: VerificationKey | undefined;
  private readonly given: readonly VerificationKey[];
  private downloaded: readonly VerificationKey[] = [];
  private encryption: EncryptionKey | undefined;
  /** When the encryption choice must be made again (a certificate expires or becomes valid). */
  private recheckAt = -Infinity;
  private newestNotAfter = -Infinity;
  private inflight: Promise<void> | undefined;
  private lastAttempt = -Infinity;
  private failures = 0;
  private lastError: WechatPayError | undefined;
  private readonly refreshAhead: number;

  constructor(
    keys: ResolvedKeys,
    private readonly download: CertificateDownload | undefined,
    options: KeyringOptions = {},
  ) {
    this.publicKey = keys.publicKey;
    this.given = keys.certificates;
    this.downloads = download !== undefined;
    this.refreshAhead = options.refreshAheadSeconds ?? 24 * HOUR;
    this.keys = this.build();
  }

  /**
   * Undefined when the keys at hand serve a call made now (the per-call fast
   * path); else a promise that settles once they do, or rejects with a
   * CertificateError. May start a background download.
   */
  prepare(operation: string, nowSeconds: number): Promise<void> | undefined {
    if (!this.download) return undefined;
    const usable = this.choose(nowSeconds) !== undefined;
    if (usable) {
      if (this.refreshDue(nowSeconds)) this.background(nowSeconds);
      return undefined;
    }
    return this.fetchNow(operation, nowSeconds);
  }

  /** The key that encrypts a call's fields now: the public key when configured, else the newest valid certificate. */
  encryptionKey(operation: string, nowSeconds: number): EncryptionKey {
    const key = this.choose(nowSeconds);
    if (key) return key;
    throw new CertificateError(operation, 'no WeChat Pay platform certificate is valid now', this.lastError);
  }

  /**
   * A response named a serial that is not in `keys`. With downloads, fetch the
   * certificates again (at most once a minute, sharing one in flight) and
   * resolve true when `keys` changed, so the response is worth verifying again.
   */
  async refreshForUnknownSerial(nowSeconds: number): Promise<boolean> {
    if (!this.download) return false;
    const before = this.keys;
    if (!this.inflight && nowSeconds - this.lastAttempt < UNKNOWN_SERIAL_INTERVAL) return false;
    try {
      await this.refresh(nowSeconds);
    } catch {
      return false;
    }
    return this.keys !== before;
  }

  private fetchNow(operation: string, nowSeconds: number): Promise<void> {
    const mayTry = this.inflight || this.failures === 0 || nowSeconds - this.lastAttempt >= this.backoff();
    const attempt = mayTry ? this.refresh(nowSeconds) : Promise.reject(this.lastError);
    return attempt.then(
      () => {
        if (this.choose(nowSeconds)) return;
        // Counted as a failure, so that calls do not download again and again.
        this.failures++;
        this.lastError = new CertificateError(operation, 'GET /v3/certificates answered no certificate that is valid now');
        throw this.lastError;
      },
      (e: unknown) => {
        if (e instanceof CertificateError) throw e;
        throw new CertificateError(operation, 'could not download the WeChat Pay platform certificates', e instanceof WechatPayError ? e : undefined);
      },
    );
  }

  private refreshDue(nowSeconds: number): boolean {
    if (this.inflight) return false;
    if (this.failures > 0) return nowSeconds - this.lastAttempt >= this.backoff();
    if (this.lastAttempt === -Infinity) return true;
    return nowSeconds >= this.newestNotAfter - this.refreshAhead && nowSeconds - this.lastAttempt >= HOUR;
  }

  // 5 s after the first failure, doubling, at most an hour.
  private backoff(): number {
    return Math.min(HOUR, FIRST_FAILURE_BACKOFF * 2 ** Math.max(0, this.failures - 1));
  }

  private background(nowSeconds: number): void {
    // The outcome is kept in lastError; the calls go on with the keys at hand.
    this.refresh(nowSeconds).catch(() => undefined);
  }

  private refresh(nowSeconds: number): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttempt = nowSeconds;
    const run = (async () => {
      try {
        this.downloaded = await this.download!(this.keys);
        this.failures = 0;
        this.lastError = undefined;
        this.keys = this.build();
      } catch (e) {
        this.failures++;
        this.lastError = e instanceof WechatPayError ? e : undefined;
        throw e;
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = run;
    return run;
  }

  private build(): KeySet {
    const map = new Map<string, VerificationKey>();
    for (const cert of [...this.given, ...this.downloaded]) map.set(keyId(cert.id), cert);
    if (this.publicKey) map.set(this.publicKey.id, this.publicKey);
    this.newestNotAfter = Math.max(-Infinity, ...[...this.given, ...this.downloaded].map((c) => c.notAfter));
    this.recheckAt = -Infinity;
    return map;
  }

  private choose(nowSeconds: number): EncryptionKey | undefined {
    if (nowSeconds < this.recheckAt) return this.encryption;
    if (this.publicKey) {
      this.encryption = this.publicKey;
      this.recheckAt = Infinity;
      return this.encryption;
    }
    let best: VerificationKey | undefined;
    let recheck = Infinity;
    for (const cert of this.keys.values()) {
      if (cert.notBefore > nowSeconds) recheck = Math.min(recheck, cert.notBefore);
      if (cert.notBefore > nowSeconds || cert.notAfter <= nowSeconds) continue;
      if (!best || cert.notAfter > best.notAfter || (cert.notAfter === best.notAfter && cert.notBefore > best.notBefore)) best = cert;
    }
    this.encryption = best;
    // Nothing valid: look again on the next call (a download may be under way).
    this.recheckAt = best ? Math.min(recheck, best.notAfter) : -Infinity;
    return best;
  }
}
