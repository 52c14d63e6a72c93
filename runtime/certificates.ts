// WeChat Pay platform certificates: X.509, each with its own serial and
// validity. Everything the verifier and the encryption need is read here,
// once per certificate, with node:crypto's X509Certificate.
import { X509Certificate } from 'node:crypto';
import { signatureChars, type VerificationKey } from './verify.js';

export type CertificateInput = string | Buffer | X509Certificate;

/** Why a certificate was refused; the caller adds the field name. Never quotes the input. */
export class CertificateProblem extends Error {}

export function platformCertificate(input: CertificateInput): VerificationKey {
  let cert: X509Certificate;
  if (input instanceof X509Certificate) {
    cert = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const label = pemLabel(input);
    if (label !== undefined && label !== 'CERTIFICATE') throw new CertificateProblem(`is a PEM ${label}, not a CERTIFICATE`);
    try {
      cert = new X509Certificate(input);
    } catch {
      throw new CertificateProblem('is not a readable X.509 certificate (PEM or DER)');
    }
  } else {
    throw new CertificateProblem('must be a PEM string, a Buffer, or an X509Certificate');
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new CertificateProblem(`must hold an RSA key, got ${key.asymmetricKeyType ?? 'another type'}`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new CertificateProblem('must hold a key of at least 2048 bits');
  const notBefore = Date.parse(cert.validFrom) / 1000;
  const notAfter = Date.parse(cert.validTo) / 1000;
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter)) throw new CertificateProblem('has a validity period that cannot be read');
  return { id: cert.serialNumber, kind: 'certificate', key, notBefore, notAfter, signatureChars: signatureChars(key) };
}

/** The label of the first PEM block (`CERTIFICATE`, `PUBLIC KEY`, `PRIVATE KEY`, …), or undefined for DER or garbage. */
export function pemLabel(input: string | Buffer): string | undefined {
  const head = (typeof input === 'string' ? input : input.subarray(0, 200).toString('latin1')).slice(0, 200);
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(head)?.[1];
}
