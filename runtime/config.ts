// Client configuration. Keys are parsed here, once; a bad key fails here with
// a message that names the field and never quotes the key.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { ConfigError } from './errors.js';
import type { Transport } from './transport.js';

export const MAIN_BASE_URL = 'https://api.mch.weixin.qq.com';
export const BACKUP_BASE_URL = 'https://api2.mch.weixin.qq.com';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff; doubled each time, with jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Upper bound of one backoff. Default 5000 ms. */
  maxDelayMs?: number;
}

export interface ClientConfig {
  /** 商户号 */
  mchid: string;
  /** 商户API证书序列号 (an opaque string). */
  serialNo: string;
  /** 商户API证书私钥: PEM text, PEM bytes, or a KeyObject. */
  privateKey: string | Buffer | KeyObject;
  /** 微信支付公钥ID, e.g. `PUB_KEY_ID_…` (an opaque string). */
  wechatpayPublicKeyId: string;
  /** 微信支付公钥: PEM text, PEM bytes, or a KeyObject. */
  wechatpayPublicKey: string | Buffer | KeyObject;
  /** Default https://api.mch.weixin.qq.com. */
  baseUrl?: string;
  /** Whole-call time limit per attempt, in ms. Default 10000. */
  timeoutMs?: number;
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

export interface ResolvedConfig {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  publicKeyId: string;
  publicKey: KeyObject;
  baseUrl: string;
  backupBaseUrl: string | undefined;
  timeoutMs: number;
  retry: Required<RetryOptions> | undefined;
  decryptResponses: boolean;
}

// Goes into a header between double quotes: printable ASCII, no quote.
const HEADER_SAFE = /^[\x21\x23-\x7e]+$/;

export function resolveConfig(c: ClientConfig): ResolvedConfig {
  if (c === null || typeof c !== 'object') throw new ConfigError('config', 'must be an object');
  for (const field of ['mchid', 'serialNo', 'wechatpayPublicKeyId'] as const) {
    const v = c[field];
    if (typeof v !== 'string' || !HEADER_SAFE.test(v)) {
      throw new ConfigError(field, 'must be a non-empty string of printable ASCII without spaces or quotes');
    }
  }
  const baseUrl = checkUrl('baseUrl', c.baseUrl ?? MAIN_BASE_URL);
  const backupBaseUrl = !c.failover
    ? undefined
    : checkUrl('failover.backupBaseUrl', c.failover === true ? BACKUP_BASE_URL : c.failover.backupBaseUrl);
  const timeoutMs = c.timeoutMs ?? 10_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new ConfigError('timeoutMs', 'must be a positive number of milliseconds');
  let retry: ResolvedConfig['retry'];
  if (c.retry) {
    const { retries, baseDelayMs = 200, maxDelayMs = 5000 } = c.retry;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new ConfigError('retry.retries', 'must be an integer from 0 to 10');
    if (!(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs)) throw new ConfigError('retry', 'needs 0 <= baseDelayMs <= maxDelayMs');
    retry = { retries, baseDelayMs, maxDelayMs };
  }
  return {
    mchid: c.mchid,
    serialNo: c.serialNo,
    privateKey: rsaKey('privateKey', c.privateKey, 'private'),
    publicKeyId: c.wechatpayPublicKeyId,
    publicKey: rsaKey('wechatpayPublicKey', c.wechatpayPublicKey, 'public'),
    baseUrl,
    backupBaseUrl,
    timeoutMs,
    retry,
    decryptResponses: c.decryptResponses === true,
  };
}

function checkUrl(field: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  // No path prefix: the signature covers the path from the root, as WeChat sees it.
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ConfigError(field, 'must be an http(s) origin without path, query or credentials, e.g. https://api.mch.weixin.qq.com');
  }
  return url.origin;
}

function rsaKey(field: string, input: unknown, type: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  if (input instanceof KeyObject) {
    key = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      key = type === 'private' ? createPrivateKey(input) : createPublicKey(input);
    } catch {
      // Node's message is not quoted: some OpenSSL errors echo input details.
      throw new ConfigError(field, `is not a readable ${type === 'private' ? 'PEM private key' : 'PEM public key'}`);
    }
  } else {
    throw new ConfigError(field, 'must be a PEM string, a Buffer, or a KeyObject');
  }
  if (key.type !== type) throw new ConfigError(field, `must be an RSA ${type} key, got a ${key.type} key`);
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(field, `must be an RSA key, got ${key.asymmetricKeyType ?? 'another type'}`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new ConfigError(field, 'must be at least 2048 bits');
  return key;
}
