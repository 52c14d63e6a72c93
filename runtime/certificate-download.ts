// GET /v3/certificates: WeChat Pay's list of platform certificates, each
// encrypted with the merchant's APIv3 key (AEAD_AES_256_GCM). This module reads
// the answer; the runtime sends the signed request and verifies the answer's
// signature with the certificates it carries (the APIv3 key authenticates
// them: only WeChat and the merchant know it).
import { AeadError, aeadDecrypt, type AeadResource } from './aead.js';
import { CertificateProblem, platformCertificate } from './certificates.js';
import { keyId, type VerificationKey } from './verify.js';

export const CERTIFICATES_PATH = '/v3/certificates';
export const CERTIFICATES_OPERATION = 'downloadCertificates';

/** One entry of the answer's `data`. */
export interface CertificateEntry {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: AeadResource & { algorithm: string; associated_data: string };
}

/** The answer does not hold usable certificates; `field` is where (e.g. `data[1].encrypt_certificate`). */
export class CertificatesAnswerProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly reason: 'invalid-json' | 'undecryptable-field',
  ) {
    super(`${field} ${message}`);
  }
}

/** Decrypts every certificate of the answer and checks that each is what its entry says. */
export function readCertificatesAnswer(body: Buffer, apiV3Key: Buffer): VerificationKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CertificatesAnswerProblem('(body)', 'is not valid JSON', 'invalid-json');
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) throw new CertificatesAnswerProblem('data', 'must be a non-empty array', 'invalid-json');
  return data.map((item: unknown, i) => {
    const at = `data[${i}]`;
    const entry = item as Partial<CertificateEntry> | null;
    if (typeof entry?.serial_no !== 'string' || typeof entry.encrypt_certificate !== 'object' || entry.encrypt_certificate === null) {
      throw new CertificatesAnswerProblem(at, 'needs serial_no and encrypt_certificate', 'invalid-json');
    }
    let pem: Buffer;
    try {
      pem = aeadDecrypt(apiV3Key, entry.encrypt_certificate);
    } catch (e) {
      if (e instanceof AeadError) throw new CertificatesAnswerProblem(`${at}.encrypt_certificate`, e.message, 'undecryptable-field');
      throw e;
    }
    let cert: VerificationKey;
    try {
      cert = platformCertificate(pem);
    } catch (e) {
      if (e instanceof CertificateProblem) throw new CertificatesAnswerProblem(`${at}.encrypt_certificate`, `decrypts, but ${e.message}`, 'invalid-json');
      throw e;
    }
    if (keyId(entry.serial_no) !== keyId(cert.id)) {
      throw new CertificatesAnswerProblem(`${at}.serial_no`, `is ${JSON.stringify(entry.serial_no.slice(0, 64))}, but the certificate's own serial is ${cert.id}`, 'invalid-json');
    }
    // WeChat's spelling of the serial: it goes back to WeChat in Wechatpay-Serial.
    return { ...cert, id: entry.serial_no };
  });
}
