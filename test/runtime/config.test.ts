import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { resolveConfig } from '../../runtime/config.js';
import { ConfigError } from '../../runtime/errors.js';
import { clientConfig, keys } from '../helpers.js';

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
      expect(c.publicKey.type).toBe('public');
    }
  });

  it('defaults: main domain, 10 s timeout, no failover, no retry', () => {
    const c = resolveConfig(clientConfig({ baseUrl: undefined }) as never);
    expect(c).toMatchObject({ baseUrl: 'https://api.mch.weixin.qq.com', timeoutMs: 10000, backupBaseUrl: undefined, retry: undefined, decryptResponses: false });
    expect(resolveConfig(clientConfig({ failover: true }) as never).backupBaseUrl).toBe('https://api2.mch.weixin.qq.com');
  });

  it('keeps serials as opaque strings', () => {
    expect(resolveConfig(clientConfig({ serialNo: '00ABCDEF', wechatpayPublicKeyId: 'PUB_KEY_ID_0001' }) as never)).toMatchObject({ serialNo: '00ABCDEF', publicKeyId: 'PUB_KEY_ID_0001' });
  });

  it.each([
    { given: { privateKey: 'not a key' }, field: 'privateKey', message: 'is not a readable PEM private key' },
    { given: { privateKey: keys.wechatpayPublicPem }, field: 'privateKey', message: 'is not a readable PEM private key' },
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

  it('never repeats key material in the error, its JSON or its inspection', () => {
    const broken = keys.merchantPrivatePem.replace('MII', 'XII');
    const e = configError({ privateKey: broken });
    const body = broken.split('\n')[3]!;
    for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })]) expect(text).not.toContain(body);
  });
});
