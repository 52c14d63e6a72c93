// Shared test helpers: the committed TEST-ONLY keys, an independent response
// signer, and openssl wrappers for checks that must not trust our own code.
import { createPrivateKey, createPublicKey, createSign, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { expect, onTestFinished } from 'vitest';
import { WechatPayError } from '../runtime/errors.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KEY_DIR = path.join(ROOT, 'test/fixtures/keys');

const pem = (name: string) => readFileSync(path.join(KEY_DIR, name), 'utf8');

export const keys = {
  merchantPrivatePem: pem('merchant.key.pem'),
  merchantPrivate: createPrivateKey(pem('merchant.key.pem')),
  merchantPublic: createPublicKey(pem('merchant.pub.pem')),
  wechatpayPrivate: createPrivateKey(pem('wechatpay.key.pem')),
  wechatpayPublicPem: pem('wechatpay.pub.pem'),
  wechatpayPublic: createPublicKey(pem('wechatpay.pub.pem')),
  otherPrivate: createPrivateKey(pem('other.key.pem')),
};

export const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
export const MCHID = '1900000001';
export const SERIAL_NO = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';

export function clientConfig(extra: Record<string, unknown> = {}) {
  return {
    mchid: MCHID,
    serialNo: SERIAL_NO,
    privateKey: keys.merchantPrivatePem,
    wechatpayPublicKeyId: PUBLIC_KEY_ID,
    wechatpayPublicKey: keys.wechatpayPublicPem,
    baseUrl: 'https://api.mch.weixin.qq.com',
    ...extra,
  };
}

// A confirm request whose encrypted fields hold these plaintexts: no error may ever contain them.
export const PHONE = '13912345678';
export const BIRTHDAY = '1990-07-15';
export const confirmRequest = {
  user_card_code: '478515832665',
  card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0',
  brand_id: '1004',
  openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA',
  phone_number: PHONE,
  user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY' as const, value: BIRTHDAY }] },
  user_card_confirm_state: 'CREATE_CARD_SUCCESS' as const,
};

/** Fails when any error, as text, JSON or inspected, carries a plaintext or a piece of a private key. */
export function expectNoSecrets(errors: readonly unknown[]): void {
  const secrets = [PHONE, BIRTHDAY, keys.merchantPrivatePem.split('\n')[5]!, 'PRIVATE KEY'];
  for (const e of errors) {
    for (const text of [String(e), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]) {
      for (const s of secrets) expect(text, `${(e as Error).name} leaks`).not.toContain(s);
    }
  }
}

/** Headers WeChat would send with `body`, signed without the code under test. */
export function wechatHeaders(body: string, o: { timestamp?: number | undefined; nonce?: string | undefined; key?: KeyObject | undefined; serial?: string | undefined } = {}): Record<string, string> {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? 'c5ac7061fccab6bf3e254dcf98995b8c';
  const signature = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(o.key ?? keys.wechatpayPrivate, 'base64');
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': o.serial ?? PUBLIC_KEY_ID,
    'Request-ID': '08F78BB5AF0610D302A0A9F0F3A8E7F0E4B1',
  };
}

/** A fresh folder in the temp dir, removed when the current test ends, whether it passes or fails. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `use` on files holding `contents` in a temp folder, then removes the folder. */
function withFiles<T>(contents: Record<string, string | Buffer>, use: (files: Record<string, string>) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'wxp-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, data] of Object.entries(contents)) writeFileSync((files[name] = path.join(dir, name)), data);
    return use(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl dgst -sha256 -verify`: true when `signatureB64` signs `message` under the PEM public key. */
export function opensslVerify(message: string, signatureB64: string, publicKeyFile: string): boolean {
  return withFiles({ msg: message, sig: Buffer.from(signatureB64, 'base64') }, ({ msg, sig }) => {
    try {
      execFileSync('openssl', ['dgst', '-sha256', '-verify', publicKeyFile, '-signature', sig!, msg!], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  });
}

/** `openssl pkeyutl -decrypt` with RSA-OAEP, SHA-1 and MGF1-SHA-1. */
export function opensslOaepDecrypt(ciphertextB64: string, privateKeyFile: string): string {
  return withFiles({ ct: Buffer.from(ciphertextB64, 'base64') }, ({ ct }) =>
    execFileSync('openssl', [
      'pkeyutl', '-decrypt', '-inkey', privateKeyFile, '-in', ct!,
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1', '-pkeyopt', 'rsa_mgf1_md:sha1',
    ]).toString('utf8'),
  );
}

/**
 * The typed error `p` rejects with; anything else (a raw TypeError, or no
 * failure at all) fails the test. Every error caught is pushed to `caught`,
 * for a test file's final scan for leaked secrets.
 */
export async function failureOf(p: Promise<unknown>, caught?: unknown[]): Promise<WechatPayError> {
  try {
    await p;
  } catch (e) {
    caught?.push(e);
    if (e instanceof WechatPayError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
