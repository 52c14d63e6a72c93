// Client configuration. Keys and certificates are parsed here, once; a bad one
// fails here with a message that names the field and never quotes the key.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { AeadError, apiV3KeyBytes } from './aead.js';
import { CertificateProblem, pemLabel, platformCertificate, type CertificateInput } from './certificates.js';
import { ConfigError } from './errors.js';
import type { Transport } from './transport.js';
import { PUBLIC_KEY_ID_PREFIX, publicKeyEntry, type VerificationKey } from './verify.js';

export const MAIN_BASE_URL = 'https://api.mch.weixin.qq.com';
export const BACKUP_BASE_URL = 'https://api2.mch.weixin.qq.com';
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export type KeyInput = string | Buffer | KeyObject;
export type { CertificateInput } from './certificates.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff; doubled each time, with jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Upper bound of one backoff. Default 5000 ms. */
  maxDelayMs?: number;
}

/** What every configuration has, whichever WeChat Pay key it verifies with. */
export interface CommonOptions {
  /** 商户号 */
  mchid: string;
  /** 商户API证书序列号 (an opaque string). */
  serialNo: string;
  /** 商户API证书私钥: PEM text, PEM bytes, or a KeyObject. */
  privateKey: KeyInput;
  /**
   * APIv3密钥 (32 bytes, set in the merchant platform). Decrypts notifications
   * (needed only to receive them), and the downloaded certificates with
   * `platformCertificates: 'download'`, which requires it.
   */
  apiV3Key?: string | Buffer;
  /** Default https://api.mch.weixin.qq.com. */
  baseUrl?: string;
  /** Whole-call time limit per attempt, in ms. Default 10000. */
  timeoutMs?: number;
  /**
   * The most bytes of a response body the client reads; past it the call fails
   * with a ResponseTooLargeError and the connection is closed. Default 1 MiB
   * (these APIs answer a few kB).
   */
  maxResponseBytes?: number;
  /**
   * Opt-in: when a connection to baseUrl fails before anything was sent
   * (refused, DNS), repeat the call once on the backup domain. Default off.
   */
  failover?: boolean | { backupBaseUrl: string };
  /** Opt-in: retry SYSTEM_ERROR answers, which the docs say to repeat with the same parameters. Default off. */
  retry?: RetryOptions;
  /** Opt-in: decrypt marked response fields (phone_number, …) with the merchant private key. Default off. */
  decryptResponses?: boolean;
  /** Default: node:http(s) with keep-alive. */
  transport?: Transport;
  /** For tests: the clock, in ms since the epoch. */
  now?: () => number;
  /** For tests: the nonce source. */
  nonce?: () => string;
}

/** The WeChat Pay public key (微信支付公钥), downloaded once from the merchant platform. */
export interface PublicKeyOptions {
  /** 微信支付公钥ID: `PUB_KEY_ID_…`. */
  wechatpayPublicKeyId: string;
  /** 微信支付公钥: PEM text, PEM bytes, or a KeyObject. */
  wechatpayPublicKey: KeyInput;
}

/** WeChat Pay platform certificates (微信支付平台证书): given, or downloaded and refreshed by the client. */
export type PlatformCertificateOptions =
  | {
      /** One or more platform certificates (PEM text or bytes, or X509Certificate); serial and validity are read from each. */
      platformCertificates: readonly CertificateInput[];
    }
  | {
      /** Download the certificates from GET /v3/certificates on first need, and again before the newest expires. */
      platformCertificates: 'download';
      /** The APIv3 key (32 bytes) set in the merchant platform: it decrypts the downloaded certificates. */
      apiV3Key: string | Buffer;
    };

type Absent<T> = { [K in keyof T]?: undefined };
type NoPlatformCertificates = { platformCertificates?: undefined };

/**
 * Which WeChat Pay keys responses are verified with: the public key, platform
 * certificates, or both (while WeChat switches a merchant from one to the
 * other and may sign with either).
 */
export type WechatpayKeyOptions =
  | (PublicKeyOptions & NoPlatformCertificates)
  | (PlatformCertificateOptions & Absent<PublicKeyOptions>)
  | (PublicKeyOptions & PlatformCertificateOptions);

export type ClientConfig = CommonOptions & WechatpayKeyOptions;

/** The WeChat Pay keys, parsed. */
export interface ResolvedKeys {
  publicKey: VerificationKey | undefined;
  /** Certificates given in the configuration. */
  certificates: readonly VerificationKey[];
  /** The APIv3 key, when configured. */
  apiV3Key: Buffer | undefined;
  /** platformCertificates: 'download' (with apiV3Key). */
  downloadCertificates: boolean;
}

export interface ResolvedConfig {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  keys: ResolvedKeys;
  baseUrl: string;
  backupBaseUrl: string | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
  retry: Required<RetryOptions> | undefined;
  decryptResponses: boolean;
}

// Every option createClient knows; anything else is a typo that would otherwise be ignored.
const OPTIONS: readonly string[] = [
  'mchid', 'serialNo', 'privateKey', 'wechatpayPublicKeyId', 'wechatpayPublicKey', 'platformCertificates', 'apiV3Key',
  'baseUrl', 'timeoutMs', 'maxResponseBytes', 'failover', 'retry', 'decryptResponses', 'transport', 'now', 'nonce',
];
const RETRY_OPTIONS: readonly string[] = ['retries', 'baseDelayMs', 'maxDelayMs'];
const FAILOVER_OPTIONS: readonly string[] = ['backupBaseUrl'];

// Goes into a header between double quotes: printable ASCII, no quote.
const HEADER_SAFE = /^[\x21\x23-\x7e]+$/;
// WeChat's own API hosts: never over plain http.
const WECHAT_HOST = /(^|\.)weixin\.qq\.com\.?$/;

export function resolveConfig(c: ClientConfig): ResolvedConfig {
  if (c === null || typeof c !== 'object') throw new ConfigError('config', 'must be an object');
  refuseUnknown('', c, OPTIONS);
  for (const field of ['mchid', 'serialNo'] as const) headerSafe(field, c[field]);
  const baseUrl = checkUrl('baseUrl', c.baseUrl ?? MAIN_BASE_URL);
  let backupBaseUrl: string | undefined;
  if (c.failover !== undefined && c.failover !== false) {
    if (typeof c.failover === 'object' && c.failover !== null) refuseUnknown('failover.', c.failover, FAILOVER_OPTIONS);
    else if (c.failover !== true) throw new ConfigError('failover', 'must be true, false, or { backupBaseUrl }');
    backupBaseUrl = checkUrl('failover.backupBaseUrl', c.failover === true ? BACKUP_BASE_URL : c.failover.backupBaseUrl);
  }
  const timeoutMs = c.timeoutMs ?? 10_000;
  if (!(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new ConfigError('timeoutMs', 'must be a positive number of milliseconds');
  const maxResponseBytes = c.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0)) throw new ConfigError('maxResponseBytes', 'must be a positive integer number of bytes');
  let retry: ResolvedConfig['retry'];
  if (c.retry) {
    refuseUnknown('retry.', c.retry, RETRY_OPTIONS);
    const { retries, baseDelayMs = 200, maxDelayMs = 5000 } = c.retry;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new ConfigError('retry.retries', 'must be an integer from 0 to 10');
    if (!(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs)) throw new ConfigError('retry', 'needs 0 <= baseDelayMs <= maxDelayMs');
    retry = { retries, baseDelayMs, maxDelayMs };
  }
  for (const field of ['transport', 'now', 'nonce'] as const) {
    if (c[field] !== undefined && typeof c[field] !== 'function') throw new ConfigError(field, 'must be a function');
  }
  return {
    mchid: c.mchid,
    serialNo: c.serialNo,
    privateKey: rsaKey('privateKey', c.privateKey, 'private'),
    keys: resolveKeys(c, Math.floor((c.now ?? Date.now)() / 1000)),
    baseUrl,
    backupBaseUrl,
    timeoutMs,
    maxResponseBytes,
    retry,
    decryptResponses: c.decryptResponses === true,
  };
}

function resolveKeys(c: ClientConfig, nowSeconds: number): ResolvedKeys {
  const { wechatpayPublicKeyId: id, wechatpayPublicKey: pem, platformCertificates: certs, apiV3Key } = c;
  let publicKey: VerificationKey | undefined;
  if (id !== undefined || pem !== undefined) {
    if (id === undefined) throw new ConfigError('wechatpayPublicKeyId', 'is required with wechatpayPublicKey: the PUB_KEY_ID_… shown beside the key in the merchant platform');
    if (pem === undefined) throw new ConfigError('wechatpayPublicKey', 'is required with wechatpayPublicKeyId');
    headerSafe('wechatpayPublicKeyId', id);
    if (!id.startsWith(PUBLIC_KEY_ID_PREFIX)) throw new ConfigError('wechatpayPublicKeyId', `must start with ${PUBLIC_KEY_ID_PREFIX} (a platform certificate serial goes in platformCertificates)`);
    publicKey = publicKeyEntry(id, rsaKey('wechatpayPublicKey', pem, 'public'));
  }

  let certificates: VerificationKey[] = [];
  let key: Buffer | undefined;
  if (apiV3Key !== undefined) {
    try {
      // A copy: the caller's Buffer may be reused or zeroed.
      key = Buffer.from(apiV3KeyBytes(apiV3Key as string | Buffer));
    } catch (e) {
      if (!(e instanceof AeadError)) throw e;
      throw new ConfigError('apiV3Key', typeof apiV3Key === 'string' || Buffer.isBuffer(apiV3Key) ? e.message : 'must be a string or a Buffer');
    }
  }
  if (certs === 'download') {
    if (key === undefined) throw new ConfigError('apiV3Key', "is required with platformCertificates: 'download': it decrypts the downloaded certificates");
  } else if (certs !== undefined) {
    if (!Array.isArray(certs) || certs.length === 0) {
      throw new ConfigError('platformCertificates', "must be a non-empty array of certificates, or 'download'");
    }
    certificates = certs.map((input: CertificateInput, i) => {
      try {
        return platformCertificate(input);
      } catch (e) {
        if (e instanceof CertificateProblem) throw new ConfigError(`platformCertificates[${i}]`, e.message);
        throw e;
      }
    });
    if (!publicKey && certificates.every((cert) => cert.notAfter <= nowSeconds)) {
      throw new ConfigError('platformCertificates', 'every certificate has expired: download current ones from the merchant platform, or use the WeChat Pay public key');
    }
  }
  if (!publicKey && certs === undefined) {
    throw new ConfigError('wechatpayPublicKey', "a WeChat Pay key is required: wechatpayPublicKeyId + wechatpayPublicKey, or platformCertificates (a list, or 'download' with apiV3Key), or both");
  }
  return { publicKey, certificates, apiV3Key: key, downloadCertificates: certs === 'download' };
}

function headerSafe(field: string, v: unknown): void {
  if (typeof v !== 'string' || !HEADER_SAFE.test(v)) {
    throw new ConfigError(field, 'must be a non-empty string of printable ASCII without spaces or quotes');
  }
}

function checkUrl(field: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  // No path prefix: the signature covers the path from the root, as WeChat sees it.
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(field, 'must be an http(s) origin without path, query or credentials, e.g. https://api.mch.weixin.qq.com');
  }
  if (url.protocol === 'http:' && WECHAT_HOST.test(url.hostname)) {
    throw new ConfigError(field, `must use https: WeChat Pay's hosts are never called over plain http (http is for a local server, e.g. http://127.0.0.1:port)`);
  }
  return url.origin;
}

function rsaKey(field: string, input: unknown, type: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  if (input instanceof KeyObject) {
    key = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    // The label first: createPublicKey happily derives a public key from a private key or a certificate.
    const label = pemLabel(input);
    const kind = label === undefined ? undefined : /PRIVATE KEY$/.test(label) ? 'private' : /PUBLIC KEY$/.test(label) ? 'public' : label === 'CERTIFICATE' ? 'certificate' : 'other';
    if (kind === 'certificate') {
      throw new ConfigError(field, type === 'public' ? 'is a certificate, not the WeChat Pay public key: platform certificates go in platformCertificates' : 'is a certificate, not the merchant API private key (apiclient_key.pem)');
    }
    if (kind !== undefined && kind !== 'other' && kind !== type) throw wrongKind(field, kind);
    if (kind === undefined && type === 'public' && isPrivateKey(input)) throw wrongKind(field, 'private');
    try {
      key = type === 'private' ? createPrivateKey(input) : createPublicKey(input);
    } catch {
      // Node's message is not quoted: some OpenSSL errors echo input details.
      throw new ConfigError(field, `is not a readable ${type === 'private' ? 'PEM private key' : 'PEM public key'}`);
    }
  } else {
    throw new ConfigError(field, 'must be a PEM string, a Buffer, or a KeyObject');
  }
  if (key.type !== type) throw wrongKind(field, key.type === 'private' ? 'private' : 'public');
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(field, `must be an RSA key, got ${key.asymmetricKeyType ?? 'another type'}`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new ConfigError(field, 'must be at least 2048 bits');
  return key;
}

function wrongKind(field: string, got: 'private' | 'public'): ConfigError {
  return got === 'private'
    ? new ConfigError(field, 'is a private key where a public key belongs: give the WeChat Pay public key (pub_key.pem), and never share a private key')
    : new ConfigError(field, 'is a public key where a private key belongs: give the merchant API private key (apiclient_key.pem)');
}

// Unlabelled input (DER bytes): does it read as a private key?
function isPrivateKey(input: string | Buffer): boolean {
  const attempts = [() => createPrivateKey(input)];
  if (Buffer.isBuffer(input)) {
    for (const type of ['pkcs8', 'pkcs1'] as const) attempts.push(() => createPrivateKey({ key: input, format: 'der', type }));
  }
  return attempts.some((parse) => {
    try {
      parse();
      return true;
    } catch {
      return false;
    }
  });
}

function refuseUnknown(prefix: string, given: object, known: readonly string[]): void {
  for (const name of Object.keys(given)) {
    if (known.includes(name)) continue;
    const near = closest(name, known);
    throw new ConfigError(`${prefix}${name}`, `is not an option${near ? `; did you mean ${prefix}${near}?` : ''} (known: ${known.join(', ')})`);
  }
}

/** The known name nearest to `name` (case-insensitive edit distance, a prefix counts as near), if any is near. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const l = k.toLowerCase();
    const distance = l.startsWith(n) || n.startsWith(l) ? Math.abs(l.length - n.length) * 0.5 : editDistance(n, l);
    // Near: within a third of the longer name's length (at least 2 edits).
    const score = distance / Math.max(2, Math.max(n.length, l.length) / 3);
    if (score < bestScore) [best, bestScore] = [k, score];
  }
  return bestScore <= 1 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
