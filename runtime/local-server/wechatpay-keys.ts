// The local server's WeChat Pay keys, in the modes WeChat runs merchants in:
// the public key only, platform certificates only, or both (the switch, when
// WeChat may sign with either). It says which key signs the next answer (and
// can be switched mid-run), which private key decrypts a request's fields by
// the request's Wechatpay-Serial, and what GET /v3/certificates answers.
import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { aeadEncrypt } from '../aead.js';
import { CERTIFICATES_PATH } from '../certificate-download.js';
import type { PlatformCertificateOptions, PublicKeyOptions } from '../config.js';
import { keyId, PUBLIC_KEY_ID_PREFIX } from '../verify.js';
import { selfSignedCertificate } from './x509.js';

export type KeyMode = 'public-key' | 'certificate' | 'both';

export interface PlatformCertificateSpec {
  /** Upper-case hex; default 40 random hex digits. */
  serial?: string;
  /** Default: a fresh 2048-bit key. */
  privateKey?: KeyObject;
  /** Default: an hour before the server starts. */
  notBefore?: Date;
  /** Default: five years after notBefore. */
  notAfter?: Date;
}

export interface KeyModeOptions {
  /** Which WeChat Pay keys the server holds. Default 'public-key'. With 'both' it signs with the public key until told otherwise. */
  mode?: KeyMode;
  /** The platform certificates it holds in modes 'certificate' and 'both'; default one, valid now. */
  certificates?: readonly PlatformCertificateSpec[];
  /** The APIv3 key (32 bytes) that encrypts the certificates of GET /v3/certificates. Default: 32 random characters. */
  apiV3Key?: string;
}

export interface PlatformCertificate {
  serial: string;
  pem: string;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

interface Key {
  /** Wechatpay-Serial: the public key id or a certificate serial. */
  serial: string;
  privateKey: KeyObject;
}

export interface ResponseKey {
  serial: string;
  privateKey: KeyObject;
}

const generate = promisify(generateKeyPair);

/** GET /v3/certificates, which the server answers in every key mode it holds certificates in. */
export function isCertificatesRequest(method: string, target: string): boolean {
  return method === 'GET' && target.split('?')[0] === CERTIFICATES_PATH;
}
const YEAR_MS = 365 * 86_400_000;

export class WechatpayKeys {
  readonly mode: KeyMode;
  readonly apiV3Key: string;
  readonly certificates: readonly PlatformCertificate[];
  private readonly publicKey: Key | undefined;
  private readonly byId = new Map<string, Key>();
  private signing: Key;
  private failDownloadsLeft = 0;

  private constructor(mode: KeyMode, publicKey: Key | undefined, certificates: PlatformCertificate[], apiV3Key: string, private readonly now: () => number) {
    this.mode = mode;
    this.publicKey = publicKey;
    this.certificates = certificates;
    this.apiV3Key = apiV3Key;
    for (const cert of certificates) this.byId.set(keyId(cert.serial), { serial: cert.serial, privateKey: cert.privateKey });
    if (publicKey) this.byId.set(publicKey.serial, publicKey);
    this.signing = publicKey ?? this.newestCertificate();
  }

  /** `publicKey` is the server's WeChat Pay public key pair (its id and private key); it is held in modes 'public-key' and 'both'. */
  static async create(options: KeyModeOptions, publicKey: Key, now: () => number): Promise<WechatpayKeys> {
    const mode = options.mode ?? 'public-key';
    if (!['public-key', 'certificate', 'both'].includes(mode)) throw new RangeError(`key mode must be 'public-key', 'certificate' or 'both'`);
    if (!publicKey.serial.startsWith(PUBLIC_KEY_ID_PREFIX)) throw new RangeError(`the public key id must start with ${PUBLIC_KEY_ID_PREFIX}`);
    const apiV3Key = options.apiV3Key ?? randomBytes(16).toString('hex');
    if (Buffer.byteLength(apiV3Key) !== 32) throw new RangeError('apiV3Key must be 32 bytes');
    const specs = mode === 'public-key' ? [] : (options.certificates ?? [{}]);
    if (mode !== 'public-key' && specs.length === 0) throw new RangeError(`key mode '${mode}' needs at least one certificate`);
    const certificates = await Promise.all(specs.map((spec) => makeCertificate(spec, now())));
    return new WechatpayKeys(mode, mode === 'certificate' ? undefined : publicKey, certificates, apiV3Key, now);
  }

  /** The key that signs the next answer. */
  signer(): ResponseKey {
    return this.signing;
  }

  /**
   * From now on, sign with the public key, with the newest valid certificate
   * ('certificate'), or with the certificate of that serial.
   */
  signWith(which: 'public-key' | 'certificate' | string): void {
    if (which === 'public-key') {
      if (!this.publicKey) throw new RangeError(`the server holds no public key in mode '${this.mode}'`);
      this.signing = this.publicKey;
    } else if (which === 'certificate') {
      this.signing = this.newestCertificate();
    } else {
      const key = this.byId.get(keyId(which));
      if (!key || key === this.publicKey) throw new RangeError(`the server holds no certificate ${which}`);
      this.signing = key;
    }
  }

  /** The private key for ciphertext made for the key a request's Wechatpay-Serial names; a problem when it names none. */
  decryptionKey(header: string | string[] | undefined): { serial: string; privateKey: KeyObject } | { problem: string } | undefined {
    if (header === undefined) return undefined;
    const serial = Array.isArray(header) ? header.join(', ') : header;
    const key = this.byId.get(keyId(serial));
    if (key) return key;
    return { problem: `Wechatpay-Serial ${JSON.stringify(serial.slice(0, 64))} is not ${this.describe()}` };
  }

  /** The next `times` downloads of GET /v3/certificates answer 500 SYSTEM_ERROR. */
  failDownloads(times = 1): void {
    this.failDownloadsLeft += times;
  }

  /** Whether this download should fail (counts it down). */
  takeDownloadFailure(): boolean {
    if (this.failDownloadsLeft === 0) return false;
    this.failDownloadsLeft--;
    return true;
  }

  /** The body of GET /v3/certificates: each certificate encrypted with the APIv3 key. */
  certificatesAnswer(): string {
    const key = Buffer.from(this.apiV3Key, 'utf8');
    return JSON.stringify({
      data: this.certificates.map((c) => ({
        serial_no: c.serial,
        effective_time: c.notBefore.toISOString(),
        expire_time: c.notAfter.toISOString(),
        encrypt_certificate: aeadEncrypt(key, c.pem, 'certificate'),
      })),
    });
  }

  /** The key fields of a client configuration for this mode: the public key, certificates downloaded, or both. */
  clientKeyOptions(): (PublicKeyOptions & { platformCertificates?: undefined }) | Extract<PlatformCertificateOptions, { platformCertificates: 'download' }> | (PublicKeyOptions & Extract<PlatformCertificateOptions, { platformCertificates: 'download' }>) {
    const download = { platformCertificates: 'download' as const, apiV3Key: this.apiV3Key };
    if (!this.publicKey) return download;
    const publicKey = { wechatpayPublicKeyId: this.publicKey.serial, wechatpayPublicKey: createPublicKey(this.publicKey.privateKey) };
    return this.mode === 'both' ? { ...publicKey, ...download } : publicKey;
  }

  private newestCertificate(): Key {
    const nowMs = this.now();
    const valid = this.certificates.filter((c) => c.notBefore.getTime() <= nowMs && nowMs < c.notAfter.getTime());
    const newest = (valid.length > 0 ? valid : this.certificates).reduce((a, b) => (b.notAfter > a.notAfter ? b : a));
    return this.byId.get(keyId(newest.serial))!;
  }

  private describe(): string {
    if (this.mode === 'public-key') return 'the WeChat Pay public key id';
    return this.mode === 'both' ? 'the WeChat Pay public key id or a platform certificate serial' : 'a platform certificate serial';
  }
}

async function makeCertificate(spec: PlatformCertificateSpec, nowMs: number): Promise<PlatformCertificate> {
  const privateKey = spec.privateKey ?? (await generate('rsa', { modulusLength: 2048 })).privateKey;
  // A first digit of 1–F: no leading zero for anyone to drop.
  const serial = (spec.serial ?? (randomBytes(20).toString('hex').replace(/^0/, '1'))).toUpperCase();
  const notBefore = spec.notBefore ?? new Date(nowMs - 3_600_000);
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + 5 * YEAR_MS);
  const pem = selfSignedCertificate({ serial, privateKey, publicKey: createPublicKey(privateKey), notBefore, notAfter });
  return { serial, pem, privateKey, notBefore, notAfter };
}
