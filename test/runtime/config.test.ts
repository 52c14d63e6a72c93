import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { resolveConfig } from '../../runtime/config.js';
import { ConfigError } from '../../runtime/errors.js';
import { clientConfig, keys, ROOT } from '../helpers.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CERT = (JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/vectors/wechatpay-go-notify.json'), 'utf8')) as { platform_certificate_pem: string }).platform_certificate_pem;
const API_V3_KEY = 'a'.repeat(32);
const noPublicKey = { wechatpayPublicKeyId: undefined, wechatpayPublicKey: undefined };

function configError(extra: Record<string, unknown>): ConfigError {
  try {
    resolveConfig(clientConfig(extra) as never);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('parses PEM strings, Buffers and KeyObjects once', () => {
    for (const privateKey of [keys.merchantPrivatePem, Buffer.from(keys.merchantPrivatePem), keys.merchantPrivate]) {
      const c = resolveConfig(clientConfig({ privateKey }) as never);
      expect(c.privateKey.type).toBe('private');
      expect(c.keys.publicKey?.key.type).toBe('public');
    }
  });

  it('defaults: main domain, 10 s timeout, no failover, no retry', () => {
    const c = resolveConfig(clientConfig({ baseUrl: undefined }) as never);
    expect(c).toMatchObject({ baseUrl: 'https://api.mch.weixin.qq.com', timeoutMs: 10000, backupBaseUrl: undefined, retry: undefined, decryptResponses: false });
    expect(resolveConfig(clientConfig({ failover: true }) as never).backupBaseUrl).toBe('https://api2.mch.weixin.qq.com');
  });

  it('keeps serials as opaque strings', () => {
    expect(resolveConfig(clientConfig({ serialNo: '00ABCDEF', wechatpayPublicKeyId: 'PUB_KEY_ID_0001' }) as never)).toMatchObject({ serialNo: '00ABCDEF', keys: { publicKey: { id: 'PUB_KEY_ID_0001' } } });
  });

  it.each([
    { name: 'public key only', given: {}, want: { publicKey: { id: 'PUB_KEY_ID_0114232134912410000000000000', kind: 'public-key' }, certificates: [], apiV3Key: undefined, downloadCertificates: false } },
    { name: 'public key, with the APIv3 key for notifications', given: { apiV3Key: API_V3_KEY }, want: { publicKey: { kind: 'public-key' }, apiV3Key: Buffer.from(API_V3_KEY), downloadCertificates: false } },
    { name: 'certificates given, with the APIv3 key for notifications', given: { ...noPublicKey, platformCertificates: [CERT], apiV3Key: API_V3_KEY }, want: { certificates: [{ id: 'D7CE59D1F522D701' }], apiV3Key: Buffer.from(API_V3_KEY), downloadCertificates: false } },
    { name: 'certificates as PEM', given: { ...noPublicKey, platformCertificates: [CERT, Buffer.from(CERT)] }, want: { publicKey: undefined, certificates: [{ id: 'D7CE59D1F522D701' }, { id: 'D7CE59D1F522D701' }] } },
    { name: 'certificates downloaded', given: { ...noPublicKey, platformCertificates: 'download', apiV3Key: API_V3_KEY }, want: { publicKey: undefined, certificates: [], apiV3Key: Buffer.from(API_V3_KEY), downloadCertificates: true } },
    { name: 'the switch: public key and certificates', given: { platformCertificates: [CERT] }, want: { publicKey: { kind: 'public-key' }, certificates: [{ kind: 'certificate' }] } },
  ])('key mode: $name', ({ given, want }) => {
    expect(resolveConfig(clientConfig(given) as never).keys).toMatchObject(want);
  });

  it.each([
    // #16.4: a key of the wrong kind
    { given: { wechatpayPublicKey: keys.merchantPrivatePem }, field: 'wechatpayPublicKey', message: 'is a private key where a public key belongs' },
    { given: { wechatpayPublicKey: keys.merchantPrivate }, field: 'wechatpayPublicKey', message: 'is a private key where a public key belongs' },
    { given: { wechatpayPublicKey: keys.merchantPrivate.export({ type: 'pkcs1', format: 'pem' }) }, field: 'wechatpayPublicKey', message: 'is a private key where a public key belongs' },
    { given: { wechatpayPublicKey: keys.merchantPrivate.export({ type: 'pkcs8', format: 'der' }) }, field: 'wechatpayPublicKey', message: 'is a private key where a public key belongs' },
    { given: { wechatpayPublicKey: CERT }, field: 'wechatpayPublicKey', message: 'is a certificate' },
    { given: { privateKey: keys.wechatpayPublicPem }, field: 'privateKey', message: 'is a public key where a private key belongs' },
    { given: { privateKey: keys.wechatpayPublic }, field: 'privateKey', message: 'is a public key where a private key belongs' },
    { given: { privateKey: CERT }, field: 'privateKey', message: 'is a certificate' },
    { given: { platformCertificates: [keys.wechatpayPublicPem] }, field: 'platformCertificates[0]', message: 'is a PEM PUBLIC KEY, not a CERTIFICATE' },
    { given: { platformCertificates: [CERT, keys.merchantPrivatePem] }, field: 'platformCertificates[1]', message: 'is a PEM PRIVATE KEY, not a CERTIFICATE' },
    { given: { platformCertificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] }, field: 'platformCertificates[0]', message: 'is not a readable X.509 certificate' },
    // #16.4: plain http to WeChat's hosts
    { given: { baseUrl: 'http://api.mch.weixin.qq.com' }, field: 'baseUrl', message: 'must use https' },
    { given: { baseUrl: 'http://API2.MCH.WEIXIN.QQ.COM' }, field: 'baseUrl', message: 'must use https' },
    { given: { baseUrl: 'http://api.mch.weixin.qq.com.:80' }, field: 'baseUrl', message: 'must use https' },
    { given: { failover: { backupBaseUrl: 'http://api2.mch.weixin.qq.com' } }, field: 'failover.backupBaseUrl', message: 'must use https' },
    // #16.4: options it does not know, with the nearest known name
    { given: { timeout: 5 }, field: 'timeout', message: 'is not an option; did you mean timeoutMs?' },
    { given: { baseURL: 'https://api.mch.weixin.qq.com' }, field: 'baseURL', message: 'did you mean baseUrl?' },
    { given: { privatekey: keys.merchantPrivatePem }, field: 'privatekey', message: 'did you mean privateKey?' },
    { given: { wechatpayPublicKeyID: 'PUB_KEY_ID_1' }, field: 'wechatpayPublicKeyID', message: 'did you mean wechatpayPublicKeyId?' },
    { given: { platformCertificate: [CERT] }, field: 'platformCertificate', message: 'did you mean platformCertificates?' },
    { given: { retry: { retires: 2 } }, field: 'retry.retires', message: 'did you mean retry.retries?' },
    { given: { failover: { backupUrl: 'https://x.example' } }, field: 'failover.backupUrl', message: 'did you mean failover.backupBaseUrl?' },
    { given: { colour: 'red' }, field: 'colour', message: 'is not an option (known: mchid,' },
    // key modes, incomplete or contradictory
    { given: { wechatpayPublicKey: undefined }, field: 'wechatpayPublicKey', message: 'is required with wechatpayPublicKeyId' },
    { given: { wechatpayPublicKeyId: undefined }, field: 'wechatpayPublicKeyId', message: 'is required with wechatpayPublicKey' },
    { given: noPublicKey, field: 'wechatpayPublicKey', message: 'a WeChat Pay key is required' },
    { given: { wechatpayPublicKeyId: 'D7CE59D1F522D701' }, field: 'wechatpayPublicKeyId', message: 'must start with PUB_KEY_ID_' },
    { given: { platformCertificates: [] }, field: 'platformCertificates', message: 'must be a non-empty array' },
    { given: { platformCertificates: 'downloads' }, field: 'platformCertificates', message: "or 'download'" },
    { given: { platformCertificates: 'download' }, field: 'apiV3Key', message: 'is required with' },
    { given: { platformCertificates: 'download', apiV3Key: 'short' }, field: 'apiV3Key', message: 'must be 32 bytes' },
    { given: { platformCertificates: 'download', apiV3Key: 32 }, field: 'apiV3Key', message: 'must be a string or a Buffer' },
    // In every mode the APIv3 key decrypts notifications, so it is checked in every mode.
    { given: { apiV3Key: 'short' }, field: 'apiV3Key', message: 'must be 32 bytes' },
    { given: { platformCertificates: [CERT], apiV3Key: Buffer.alloc(16) }, field: 'apiV3Key', message: 'must be 32 bytes' },
    { given: { ...noPublicKey, platformCertificates: [CERT], now: () => Date.parse('2031-05-01T00:00:00Z') }, field: 'platformCertificates', message: 'every certificate has expired' },
    { given: { privateKey: 'not a key' }, field: 'privateKey', message: 'is not a readable PEM private key' },
    { given: { wechatpayPublicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, field: 'wechatpayPublicKey', message: 'is not a readable PEM public key' },
    { given: { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }, field: 'privateKey', message: 'must be an RSA key' },
    { given: { privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey }, field: 'privateKey', message: 'must be at least 2048 bits' },
    { given: { mchid: '' }, field: 'mchid', message: 'must be a non-empty string' },
    { given: { serialNo: 'A"B' }, field: 'serialNo', message: 'without spaces or quotes' },
    { given: { baseUrl: 'https://api.mch.weixin.qq.com/v3' }, field: 'baseUrl', message: 'without path' },
    { given: { timeoutMs: 0 }, field: 'timeoutMs', message: 'positive' },
    { given: { retry: { retries: 11 } }, field: 'retry.retries', message: 'from 0 to 10' },
  ])('refuses $field: $message', ({ given, field, message }) => {
    const e = configError(given);
    expect(e.field).toBe(field);
    expect(e.message).toContain(message);
  });

  it('never names the APIv3 key, a wrong-kind key or the nearest option value in its message', () => {
    for (const given of [{ platformCertificates: 'download', apiV3Key: 'k'.repeat(31) }, { wechatpayPublicKey: keys.merchantPrivatePem }, { timeout: 'SECRET-VALUE' }]) {
      const e = configError(given);
      for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })]) {
        expect(text).not.toContain('k'.repeat(31));
        expect(text).not.toContain(keys.merchantPrivatePem.split('\n')[3]!);
        expect(text).not.toContain('SECRET-VALUE');
      }
    }
  });

  it('keeps loopback and other hosts on http (a local server), and https everywhere', () => {
    for (const baseUrl of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9', 'https://api.mch.weixin.qq.com', 'http://wechatpay-proxy.internal']) {
      expect(resolveConfig(clientConfig({ baseUrl }) as never).baseUrl).toBe(new URL(baseUrl).origin);
    }
  });

  it('never repeats key material in the error, its JSON or its inspection', () => {
    const broken = keys.merchantPrivatePem.replace('MII', 'XII');
    const e = configError({ privateKey: broken });
    const body = broken.split('\n')[3]!;
    for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })]) expect(text).not.toContain(body);
  });
});
