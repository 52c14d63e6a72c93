// The local server's key modes as a unit: which key signs, which key decrypts
// by Wechatpay-Serial, and what GET /v3/certificates answers (read back by the
// client's own reader).
import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { readCertificatesAnswer } from '../../runtime/certificate-download.js';
import { localPublicKeyId } from '../../runtime/local-server/keys.js';
import { WechatpayKeys } from '../../runtime/local-server/wechatpay-keys.js';
import { keys } from '../helpers.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const PUBLIC = { serial: 'PUB_KEY_ID_0000000000LOCAL0000000001', privateKey: keys.wechatpayPrivate };
const DAY = 86_400_000;
const certs = [
  { serial: '1A2B3C', privateKey: keys.otherPrivate, notBefore: new Date(NOW - 400 * DAY), notAfter: new Date(NOW - DAY) },
  { serial: '4D5E6F', privateKey: keys.merchantPrivate, notBefore: new Date(NOW - DAY), notAfter: new Date(NOW + 400 * DAY) },
];
const make = (mode: 'public-key' | 'certificate' | 'both') => WechatpayKeys.create({ mode, certificates: certs, apiV3Key: 'k'.repeat(32) }, PUBLIC, () => NOW);

describe('WechatpayKeys', () => {
  it.each([
    { mode: 'public-key' as const, signer: PUBLIC.serial, options: ['wechatpayPublicKey', 'wechatpayPublicKeyId'], certificates: 0 },
    { mode: 'certificate' as const, signer: '4D5E6F', options: ['apiV3Key', 'platformCertificates'], certificates: 2 },
    { mode: 'both' as const, signer: PUBLIC.serial, options: ['apiV3Key', 'platformCertificates', 'wechatpayPublicKey', 'wechatpayPublicKeyId'], certificates: 2 },
  ])('$mode: signs with $signer by default, hands out the matching client options', async ({ mode, signer, options, certificates }) => {
    const k = await make(mode);
    expect(k.signer().serial).toBe(signer);
    expect(Object.keys(k.clientKeyOptions()).sort()).toEqual(options);
    expect(k.certificates).toHaveLength(certificates);
  });

  it('switches the signing key: the public key, the newest valid certificate, a serial', async () => {
    const k = await make('both');
    k.signWith('certificate');
    expect(k.signer().serial).toBe('4D5E6F');
    k.signWith('1a2b3c');
    expect(k.signer().serial).toBe('1A2B3C');
    k.signWith('public-key');
    expect(k.signer().serial).toBe(PUBLIC.serial);
    expect(() => k.signWith('FFFF')).toThrow('the server holds no certificate FFFF');
    expect(() => (async () => (await make('certificate')).signWith('public-key'))()).rejects.toThrow("no public key in mode 'certificate'");
  });

  it.each([
    { mode: 'public-key' as const, serial: PUBLIC.serial, want: PUBLIC.serial },
    { mode: 'public-key' as const, serial: '4D5E6F', want: 'Wechatpay-Serial "4D5E6F" is not the WeChat Pay public key id' },
    { mode: 'certificate' as const, serial: '4d5e6f', want: '4D5E6F' },
    { mode: 'certificate' as const, serial: PUBLIC.serial, want: `Wechatpay-Serial "${PUBLIC.serial}" is not a platform certificate serial` },
    { mode: 'both' as const, serial: '1A2B3C', want: '1A2B3C' },
    { mode: 'both' as const, serial: '1A2B3C, 1A2B3C', want: 'Wechatpay-Serial "1A2B3C, 1A2B3C" is not the WeChat Pay public key id or a platform certificate serial' },
  ])('$mode: Wechatpay-Serial $serial → $want', async ({ mode, serial, want }) => {
    const got = (await make(mode)).decryptionKey(serial)!;
    expect('problem' in got ? got.problem : got.serial).toBe(want);
  });

  it('answers GET /v3/certificates with every certificate, encrypted under the APIv3 key, as the client reads it', async () => {
    const k = await make('certificate');
    const read = readCertificatesAnswer(Buffer.from(k.certificatesAnswer()), Buffer.from('k'.repeat(32)));
    expect(read.map((c) => c.id)).toEqual(['1A2B3C', '4D5E6F']);
    expect(read[1]!.key.export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(keys.merchantPrivate).export({ type: 'spki', format: 'pem' }));
    expect(read[0]!.notAfter * 1000).toBe(NOW - DAY);
  });

  it('counts down injected download failures', async () => {
    const k = await make('certificate');
    k.failDownloads(2);
    expect([k.takeDownloadFailure(), k.takeDownloadFailure(), k.takeDownloadFailure()]).toEqual([true, true, false]);
  });
});

describe('the public key id, when none is given', () => {
  it('follows from the key: the same from a private key and its public half, another for another key, shaped like WeChat’s', () => {
    const id = localPublicKeyId(keys.wechatpayPrivate);
    expect(id).toMatch(/^PUB_KEY_ID_0000000000LOCAL\d{10}$/);
    expect(localPublicKeyId(createPublicKey(keys.wechatpayPrivate))).toBe(id);
    expect(localPublicKeyId(keys.otherPrivate)).not.toBe(id);
    expect(localPublicKeyId(keys.merchantPrivate)).not.toBe(id);
  });
});
