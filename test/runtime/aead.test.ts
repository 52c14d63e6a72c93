import { describe, expect, it } from 'vitest';
import { AeadError, aeadDecrypt, aeadEncrypt, apiV3KeyBytes } from '../../runtime/aead.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const resource = aeadEncrypt(KEY, '{"card_id":"c1"}', 'certificate', 'a1b2c3d4e5f6');

describe('AEAD_AES_256_GCM with the APIv3 key', () => {
  it('decrypts what it encrypted, with the nonce, associated data and tag WeChat uses', () => {
    expect(resource).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', nonce: 'a1b2c3d4e5f6', associated_data: 'certificate' });
    expect(Buffer.from(resource.ciphertext, 'base64')).toHaveLength(16 + 16);
    expect(aeadDecrypt(KEY, resource).toString()).toBe('{"card_id":"c1"}');
  });

  const flip = (b64: string, at: number) => {
    const b = Buffer.from(b64, 'base64');
    b[at < 0 ? b.length + at : at]! ^= 1;
    return b.toString('base64');
  };
  it.each([
    { name: 'another key', key: Buffer.from('x'.repeat(32)), given: {}, want: 'does not decrypt' },
    { name: 'a flipped tag byte', key: KEY, given: { ciphertext: flip(resource.ciphertext, -1) }, want: 'does not decrypt' },
    { name: 'a flipped ciphertext byte', key: KEY, given: { ciphertext: flip(resource.ciphertext, 0) }, want: 'does not decrypt' },
    { name: 'other associated data', key: KEY, given: { associated_data: 'transaction' }, want: 'does not decrypt' },
    { name: 'another nonce', key: KEY, given: { nonce: 'a1b2c3d4e5f7' }, want: 'does not decrypt' },
    { name: 'a ciphertext shorter than the tag', key: KEY, given: { ciphertext: 'AAAA' }, want: 'shorter than the authentication tag' },
    { name: 'AES-128', key: KEY, given: { algorithm: 'AEAD_AES_128_GCM' }, want: 'is not AEAD_AES_256_GCM' },
    { name: 'no nonce', key: KEY, given: { nonce: '' }, want: 'needs a nonce' },
  ])('refuses $name, naming neither key nor plaintext', ({ key, given, want }) => {
    let error: unknown;
    try {
      aeadDecrypt(key, { ...resource, ...given });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AeadError);
    const message = (error as Error).message;
    expect(message).toContain(want);
    for (const secret of [KEY.toString(), 'x'.repeat(32), 'card_id']) expect(message).not.toContain(secret);
  });

  it.each([
    { given: 'k'.repeat(32), want: 32 },
    { given: Buffer.alloc(32), want: 32 },
    { given: '密'.repeat(10) + 'kk', want: 32 },
    { given: '密'.repeat(11), want: 'got 33' },
  ])('an APIv3 key is 32 bytes, counted in UTF-8: $given', ({ given, want }) => {
    if (typeof want === 'number') expect(apiV3KeyBytes(given)).toHaveLength(want);
    else expect(() => apiV3KeyBytes(given)).toThrow(want);
  });

  it('refuses keys of another length, saying only the length', () => {
    expect(() => apiV3KeyBytes('short-key')).toThrow('must be 32 bytes (the APIv3 key set in the merchant platform), got 9');
  });
});
