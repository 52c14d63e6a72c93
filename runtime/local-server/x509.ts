// A minimal X.509 v3 certificate writer, so that the local server can play
// WeChat Pay's platform certificates with fresh keys and any validity, on
// Node built-ins alone (node:crypto reads certificates but cannot make them).
// Self-signed, SHA256withRSA, a subject of CN and O: what the client reads is
// the serial, the validity and the public key.
import { createSign, type KeyObject } from 'node:crypto';

export interface CertificateSpec {
  /** Upper-case hex, as WeChat prints serials, e.g. `5157F09EFDC096DE15EBE81A47057A7232F1B8E1`. */
  serial: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  commonName?: string;
}

/** The certificate as PEM. */
export function selfSignedCertificate(spec: CertificateSpec): string {
  if (!/^[0-9A-F]{1,40}$/i.test(spec.serial)) throw new RangeError('serial must be 1 to 40 hex digits');
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(
    set(seq(oid('2.5.4.10'), utf8('Tenpay.com (local test)'))),
    set(seq(oid('2.5.4.3'), utf8(spec.commonName ?? 'Local WeChat Pay platform certificate'))),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(Buffer.from(spec.serial.length % 2 ? `0${spec.serial}` : spec.serial, 'hex')),
    sha256WithRsa,
    name,
    seq(time(spec.notBefore), time(spec.notAfter)),
    name,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(spec.privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = der.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

// A non-negative INTEGER: minimal bytes, a leading zero when the top bit is set.
function integer(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

// UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5).
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}
