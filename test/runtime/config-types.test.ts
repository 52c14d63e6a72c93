// Type-level tests of ClientConfig: `npm test` runs tsc over this file, and an
// expect-error directive that is not needed (because a wrong config compiles) fails the run.
import { describe, expectTypeOf, it } from 'vitest';
import type { ClientConfig } from '../../runtime/config.js';

const common = { mchid: '1900000001', serialNo: 'ABC', privateKey: 'pem' };
const publicKey = { wechatpayPublicKeyId: 'PUB_KEY_ID_1', wechatpayPublicKey: 'pem' };

describe('ClientConfig: one of the key modes, complete', () => {
  it('accepts each mode', () => {
    const modes: ClientConfig[] = [
      { ...common, ...publicKey },
      { ...common, platformCertificates: ['pem'] },
      { ...common, platformCertificates: 'download', apiV3Key: 'k' },
      { ...common, ...publicKey, platformCertificates: ['pem'] },
      { ...common, ...publicKey, platformCertificates: 'download', apiV3Key: 'k' },
      // The APIv3 key also decrypts notifications, so every mode may have it.
      { ...common, ...publicKey, apiV3Key: 'k' },
      { ...common, platformCertificates: ['pem'], apiV3Key: 'k' },
    ];
    expectTypeOf(modes).toBeArray();
  });

  it('refuses an incomplete or contradictory one', () => {
    // @ts-expect-error no WeChat Pay key at all
    const none: ClientConfig = { ...common };
    // @ts-expect-error the public key without its id
    const noId: ClientConfig = { ...common, wechatpayPublicKey: 'pem' };
    // @ts-expect-error the id without the key, beside certificates
    const halfSwitch: ClientConfig = { ...common, wechatpayPublicKeyId: 'PUB_KEY_ID_1', platformCertificates: ['pem'] };
    // @ts-expect-error downloading needs the APIv3 key
    const noApiV3Key: ClientConfig = { ...common, platformCertificates: 'download' };
    // @ts-expect-error timeout is not an option (timeoutMs is)
    const typo: ClientConfig = { ...common, ...publicKey, timeout: 5 };
    expectTypeOf([none, noId, halfSwitch, noApiV3Key, typo]).toBeArray();
  });
});
