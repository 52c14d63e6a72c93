// Platform certificates at the HTTP level, with nock and an injected clock:
// given as PEM, downloaded from GET /v3/certificates, refreshed, and beside
// the public key (the switch). Certificates are made by the local server's
// X.509 writer from the TEST-ONLY keys; openssl checks that writer once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { CertificateError, createClient, VerificationError, type ConfirmUserCardRequest, type MembercardClient } from '../../generated/index.js';
import { aeadEncrypt } from '../../runtime/aead.js';
import { createRuntime } from '../../runtime/call.js';
import { readCertificatesAnswer } from '../../runtime/certificate-download.js';
import { decrypt } from '../../runtime/encrypt.js';
import { selfSignedCertificate } from '../../runtime/local-server/x509.js';
import { clientConfig, keys, wechatHeaders, failureOf } from '../helpers.js';

const API = 'https://api.mch.weixin.qq.com';
const CONFIRM = '/v3/brand/partner/card-member/user-cards/478515832665/confirm';
const API_V3_KEY = 'LocalTestApiV3Key000000000000001';
const WRONG_API_V3_KEY = 'LocalTestApiV3Key000000000000002';
const DAY = 86_400;
const T0 = 1_800_000_000; // seconds; every clock below is relative to it
const PHONE = '13912345678';

const request: ConfirmUserCardRequest = { user_card_code: '478515832665', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', brand_id: '1004', openid: 'o', phone_number: PHONE, user_card_confirm_state: 'CREATE_CARD_SUCCESS' };
const CARD_JSON = JSON.stringify({ user_card_code: '478515832665', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', openid: 'o', brand_id: '1004', user_card_state: 'EFFECTIVE' });

interface TestCert { serial: string; pem: string; privateKey: KeyObject; notBefore: number; notAfter: number }
function cert(serial: string, privateKey: KeyObject, notBefore: number, notAfter: number): TestCert {
  const pem = selfSignedCertificate({ serial, privateKey, publicKey: createPublicKey(privateKey), notBefore: new Date(notBefore * 1000), notAfter: new Date(notAfter * 1000) });
  return { serial, pem, privateKey, notBefore, notAfter };
}
const A = cert('3775B6A45ACD588826D15E583A95F5DD2F1A9BB6', keys.wechatpayPrivate, T0 - 300 * DAY, T0 + 30 * DAY);
const B = cert('5157F09EFDC096DE15EBE81A47057A7232F1B8E1', keys.otherPrivate, T0 - DAY, T0 + 400 * DAY);
const OLD = cert('0A1B2C3D4E5F', keys.otherPrivate, T0 - 400 * DAY, T0 - DAY);

function answer(certs: TestCert[], key = API_V3_KEY): string {
  return JSON.stringify({
    data: certs.map((c) => ({
      serial_no: c.serial,
      effective_time: new Date(c.notBefore * 1000).toISOString(),
      expire_time: new Date(c.notAfter * 1000).toISOString(),
      encrypt_certificate: aeadEncrypt(Buffer.from(key), c.pem, 'certificate'),
    })),
  });
}
const signedBy = (c: TestCert, body: string, at: number) => wechatHeaders(body, { key: c.privateKey, serial: c.serial, timestamp: at });

/** A clock the test moves. */
function clock(start: number) {
  let t = start;
  return { now: () => t * 1000, set: (s: number) => void (t = s), get: () => t };
}
const noPublicKey = { wechatpayPublicKeyId: undefined, wechatpayPublicKey: undefined };

let client: MembercardClient | undefined;
const caught: unknown[] = [];
const failure = (p: Promise<unknown>) => failureOf(p, caught);

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  client?.close();
  client = undefined;
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  const secrets = [API_V3_KEY, WRONG_API_V3_KEY, PHONE, 'PRIVATE KEY', '-----BEGIN CERTIFICATE-----'];
  expect(caught.length).toBeGreaterThan(5);
  for (const e of caught) {
    for (const text of [String(e), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]) {
      for (const s of secrets) expect(text, `${(e as Error).name} leaks`).not.toContain(s);
    }
  }
});

describe('the test certificates', () => {
  it('are X.509 that openssl reads, with the serial and validity asked for', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-cert-'));
    try {
      const file = path.join(dir, 'cert.pem');
      writeFileSync(file, B.pem);
      const out = execFileSync('openssl', ['x509', '-in', file, '-noout', '-serial', '-enddate']).toString();
      expect(out).toContain(`serial=${B.serial}`);
      expect(out).toContain(`notAfter=${new X509Certificate(B.pem).validTo}`);
      expect(execFileSync('openssl', ['verify', '-attime', String(T0), '-CAfile', file, file]).toString()).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('readCertificatesAnswer', () => {
  it('returns each certificate the answer encrypted: serial, validity and public key', () => {
    const [a, b] = readCertificatesAnswer(Buffer.from(answer([A, B])), Buffer.from(API_V3_KEY));
    expect(a).toMatchObject({ id: A.serial, kind: 'certificate', notBefore: A.notBefore, notAfter: A.notAfter });
    expect(b).toMatchObject({ id: B.serial, notAfter: B.notAfter });
    expect(a!.key.export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(A.privateKey).export({ type: 'spki', format: 'pem' }));
  });

  const flipTag = (body: string) => {
    const o = JSON.parse(body) as { data: { encrypt_certificate: { ciphertext: string } }[] };
    const bytes = Buffer.from(o.data[0]!.encrypt_certificate.ciphertext, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    o.data[0]!.encrypt_certificate.ciphertext = bytes.toString('base64');
    return JSON.stringify(o);
  };
  const withEntry = (patch: Record<string, unknown>) => JSON.stringify({ data: [{ ...(JSON.parse(answer([A])) as { data: object[] }).data[0], ...patch }] });

  it.each([
    { name: 'a wrong APIv3 key', body: answer([A], WRONG_API_V3_KEY), want: 'data[0].encrypt_certificate does not decrypt: the authentication tag does not match (wrong APIv3 key, or damaged data)' },
    { name: 'a flipped tag byte', body: flipTag(answer([A])), want: 'data[0].encrypt_certificate does not decrypt: the authentication tag does not match (wrong APIv3 key, or damaged data)' },
    { name: 'another algorithm', body: withEntry({ encrypt_certificate: { ...aeadEncrypt(Buffer.from(API_V3_KEY), A.pem, 'certificate'), algorithm: 'AEAD_AES_128_GCM' } }), want: 'data[0].encrypt_certificate algorithm "AEAD_AES_128_GCM" is not AEAD_AES_256_GCM' },
    { name: 'a serial_no that is not the certificate’s', body: withEntry({ serial_no: B.serial }), want: `data[0].serial_no is "${B.serial}", but the certificate's own serial is ${A.serial}` },
    { name: 'a public key instead of a certificate', body: withEntry({ encrypt_certificate: aeadEncrypt(Buffer.from(API_V3_KEY), keys.wechatpayPublicPem, 'certificate') }), want: 'data[0].encrypt_certificate decrypts, but is a PEM PUBLIC KEY, not a CERTIFICATE' },
    { name: 'no data', body: '{"data":[]}', want: 'data must be a non-empty array' },
    { name: 'not JSON', body: '<html>', want: '(body) is not valid JSON' },
  ])('refuses $name, naming neither key', ({ body, want }) => {
    let message = '';
    try {
      readCertificatesAnswer(Buffer.from(body), Buffer.from(API_V3_KEY));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(want);
  });
});

describe('certificates given as PEM', () => {
  it('encrypts with the newest valid certificate, names it in Wechatpay-Serial, and verifies answers signed by any of them', async () => {
    const t = clock(T0);
    client = createClient(clientConfig({ ...noPublicKey, platformCertificates: [OLD.pem, A.pem, B.pem], now: t.now }) as never);
    let seen: { serial: unknown; phone: string } | undefined;
    nock(API).post(CONFIRM).query(true).times(2).reply(function (_uri, body) {
      seen = { serial: this.req.headers['wechatpay-serial'], phone: (body as { phone_number: string }).phone_number };
      return [200, CARD_JSON, signedBy(seen.serial === B.serial ? A : B, CARD_JSON, t.get())];
    });
    await expect(client.confirmUserCard(request)).resolves.toMatchObject({ user_card_state: 'EFFECTIVE' });
    expect(seen!.serial).toBe(B.serial);
    expect(decrypt(seen!.phone, B.privateKey)).toBe(PHONE);
    await client.confirmUserCard(request);
  });

  it.each([
    { name: 'an expired certificate', signer: OLD, want: 'expired-certificate' },
    { name: 'a certificate not given', signer: cert('FFFF0001', keys.merchantPrivate, T0 - DAY, T0 + DAY), want: 'unknown-serial' },
    { name: 'a public key id, with no public key configured', signer: { ...A, serial: 'PUB_KEY_ID_0114232134912410000000000000' }, want: 'unknown-serial' },
  ])('refuses an answer signed by $name → $want', async ({ signer, want }) => {
    const t = clock(T0);
    client = createClient(clientConfig({ ...noPublicKey, platformCertificates: [OLD.pem, A.pem], now: t.now }) as never);
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(signer, CARD_JSON, T0));
    expect(await failure(client.confirmUserCard(request))).toMatchObject({ kind: 'verification', reason: want });
  });

  it('moves to the next certificate when the newest expires, and fails typed when none is left', async () => {
    const t = clock(T0);
    client = createClient(clientConfig({ ...noPublicKey, platformCertificates: [A.pem], now: t.now }) as never);
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(A, CARD_JSON, T0));
    await client.confirmUserCard(request);
    t.set(A.notAfter);
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(CertificateError);
    expect(e.message).toBe('confirmUserCard: no WeChat Pay platform certificate is valid now');
  });
});

describe("certificates downloaded with 'download'", () => {
  const download = (t: ReturnType<typeof clock>, extra: Record<string, unknown> = {}) =>
    createClient(clientConfig({ ...noPublicKey, platformCertificates: 'download', apiV3Key: API_V3_KEY, now: t.now, ...extra }) as never);

  it('downloads once on first need, even for concurrent calls, then encrypts for the downloaded certificate', async () => {
    const t = clock(T0);
    client = download(t);
    let downloads = 0;
    nock(API).get('/v3/certificates').reply(() => {
      downloads++;
      const body = answer([A]);
      return [200, body, signedBy(A, body, T0)];
    });
    const serials: unknown[] = [];
    nock(API).post(CONFIRM).query(true).times(5).reply(function (_uri, body) {
      serials.push(this.req.headers['wechatpay-serial']);
      expect(decrypt((body as { phone_number: string }).phone_number, A.privateKey)).toBe(PHONE);
      return [200, CARD_JSON, signedBy(A, CARD_JSON, T0)];
    });
    await Promise.all(Array.from({ length: 5 }, () => client!.confirmUserCard(request)));
    expect(downloads).toBe(1);
    expect(serials).toEqual(Array(5).fill(A.serial));
  });

  it.each([
    { name: 'a wrong APIv3 key', body: () => answer([A], WRONG_API_V3_KEY), reason: 'undecryptable-field' },
    { name: 'a download signed by a key it does not carry', body: () => answer([A]), signer: B, reason: 'unknown-serial' },
    { name: 'a download whose signature does not verify', body: () => answer([A]), signer: { ...B, serial: A.serial }, reason: 'bad-signature' },
  ])('fails the call with a CertificateError on $name, naming neither key', async ({ body, signer, reason }) => {
    const t = clock(T0);
    client = download(t);
    const text = body();
    nock(API).get('/v3/certificates').reply(200, text, signedBy(signer ?? A, text, T0));
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(CertificateError);
    expect((e as CertificateError).cause).toBeInstanceOf(VerificationError);
    expect((e as CertificateError).cause).toMatchObject({ operation: 'downloadCertificates', reason });
    expect(e.message).toMatch(/^confirmUserCard: could not download the WeChat Pay platform certificates: downloadCertificates: /);
  });

  /** A client in download mode that has downloaded [A] and made one call at T0. */
  async function startedWithA(t: ReturnType<typeof clock>) {
    client = download(t);
    const first = answer([A]);
    nock(API).get('/v3/certificates').reply(200, first, signedBy(A, first, T0));
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(A, CARD_JSON, T0));
    await client.confirmUserCard(request);
    return client;
  }

  it('a refresh that fails keeps the certificates that still verify; once they expire, calls fail typed', async () => {
    const t = clock(T0);
    client = await startedWithA(t);

    // Within a day of A's expiry: a background refresh, which fails; the call goes on with A.
    const late = A.notAfter - 3600;
    t.set(late);
    nock(API).get('/v3/certificates').reply(500, { code: 'SYSTEM_ERROR', message: '系统繁忙' });
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(A, CARD_JSON, late));
    await expect(client.confirmUserCard(request)).resolves.toMatchObject({ user_card_state: 'EFFECTIVE' });

    // A has expired and the download still fails: the call is not sent.
    t.set(A.notAfter + 60);
    nock(API).get('/v3/certificates').reply(500, { code: 'SYSTEM_ERROR', message: '系统繁忙' });
    const e = await failure(client.confirmUserCard(request));
    expect(e).toBeInstanceOf(CertificateError);
    expect((e as CertificateError).cause).toMatchObject({ kind: 'api', code: 'SYSTEM_ERROR', operation: 'downloadCertificates' });
  });

  it('refreshes before the newest expires and moves to the new certificate', async () => {
    const t = clock(T0);
    client = await startedWithA(t);

    const late = A.notAfter - 3600;
    t.set(late);
    const second = answer([A, B]);
    nock(API).get('/v3/certificates').reply(200, second, signedBy(B, second, late));
    const serials: unknown[] = [];
    nock(API).post(CONFIRM).query(true).times(2).reply(function () {
      serials.push(this.req.headers['wechatpay-serial']);
      return [200, CARD_JSON, signedBy(B, CARD_JSON, late)];
    });
    // The first call is not held up by the refresh: it may still encrypt for A.
    await client.confirmUserCard(request);
    await client.confirmUserCard(request);
    expect(serials.at(-1)).toBe(B.serial);
  });

  it('an answer signed by a certificate not yet known triggers one download, then verifies', async () => {
    const t = clock(T0);
    client = await startedWithA(t);

    t.set(T0 + 120);
    const second = answer([A, B]);
    nock(API).get('/v3/certificates').reply(200, second, signedBy(A, second, T0 + 120));
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(B, CARD_JSON, T0 + 120));
    await expect(client.confirmUserCard(request)).resolves.toMatchObject({ user_card_state: 'EFFECTIVE' });

    // A serial WeChat does not list either: no second download within the minute, so unknown-serial.
    const C = cert('C0FFEE01', keys.merchantPrivate, T0 - DAY, T0 + DAY);
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(C, CARD_JSON, T0 + 150));
    t.set(T0 + 150);
    expect(await failure(client.confirmUserCard(request))).toMatchObject({ reason: 'unknown-serial' });
  });
});

describe('Runtime.verify: a notification checked with the client keys', () => {
  const note = '{"id":"n1","event_type":"MEMBERCARDSP.USER_CARD.CREATE"}';
  const message = (headers: Record<string, string>) => ({ headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(note) });

  it('downloads on first need, and verifies by the serial the notification names', async () => {
    const t = clock(T0);
    const runtime = createRuntime(clientConfig({ ...noPublicKey, platformCertificates: 'download', apiV3Key: API_V3_KEY, now: t.now }) as never);
    const body = answer([A, B]);
    nock(API).get('/v3/certificates').reply(200, body, signedBy(A, body, T0));
    try {
      await expect(runtime.verify(message(signedBy(B, note, T0)))).resolves.toBeUndefined();
      await expect(runtime.verify(message({ ...signedBy(B, note, T0), 'Wechatpay-Timestamp': 'abc' }))).resolves.toMatchObject({ reason: 'malformed-timestamp' });
      await expect(runtime.verify(message(signedBy(OLD, note, T0)))).resolves.toMatchObject({ reason: 'unknown-serial' });
    } finally {
      runtime.close();
    }
  });
});

describe('parseNotification with downloaded certificates', () => {
  // The envelope is not a card event's: refused for it, which shows the signature checked out first.
  const note = '{"id":"n1","event_type":"MEMBERCARDSP.USER_CARD.CREATE"}';

  it('waits for the first download, then verifies synchronously by the serial the notification names', async () => {
    const t = clock(T0);
    const c = createClient(clientConfig({ ...noPublicKey, platformCertificates: 'download', apiV3Key: API_V3_KEY, now: t.now }) as never);
    const body = answer([A, B]);
    nock(API).get('/v3/certificates').reply(200, body, signedBy(A, body, T0));
    try {
      await expect(c.parseNotification(signedBy(B, note, T0), note)).rejects.toMatchObject({ check: 'envelope' });
      await expect(c.parseNotification(signedBy(A, note, T0), note)).rejects.toMatchObject({ check: 'envelope' });
      await expect(c.parseNotification(signedBy(A, `${note} `, T0), note)).rejects.toMatchObject({ check: 'bad-signature' });
      // Not listed, and the last download is less than a minute old: refused without another download.
      await expect(c.parseNotification(signedBy(OLD, note, T0), note)).rejects.toMatchObject({ check: 'unknown-serial', status: 401 });
    } finally {
      c.close();
    }
  });

  it('a failed first download rejects with its CertificateError, not as a verdict on the notification', async () => {
    const t = clock(T0);
    const c = createClient(clientConfig({ ...noPublicKey, platformCertificates: 'download', apiV3Key: API_V3_KEY, now: t.now }) as never);
    nock(API).get('/v3/certificates').reply(500, { code: 'SYSTEM_ERROR', message: 'busy' });
    try {
      await expect(c.parseNotification(signedBy(A, note, T0), note)).rejects.toBeInstanceOf(CertificateError);
    } finally {
      c.close();
    }
  });
});

describe('the switch: public key and certificates together', () => {
  it('encrypts with the public key and accepts answers signed by either', async () => {
    const t = clock(T0);
    client = createClient(clientConfig({ platformCertificates: [A.pem], now: t.now }) as never);
    const serials: unknown[] = [];
    let n = 0;
    nock(API).post(CONFIRM).query(true).times(2).reply(function (_uri, body) {
      serials.push(this.req.headers['wechatpay-serial']);
      expect(decrypt((body as { phone_number: string }).phone_number, keys.wechatpayPrivate)).toBe(PHONE);
      return [200, CARD_JSON, n++ === 0 ? wechatHeaders(CARD_JSON, { timestamp: T0 }) : signedBy(A, CARD_JSON, T0)];
    });
    await client.confirmUserCard(request);
    await client.confirmUserCard(request);
    expect(serials).toEqual(['PUB_KEY_ID_0114232134912410000000000000', 'PUB_KEY_ID_0114232134912410000000000000']);
  });

  it("with 'download', does not wait for the download: it runs in the background, and an unknown serial waits for it", async () => {
    const t = clock(T0);
    client = createClient(clientConfig({ platformCertificates: 'download', apiV3Key: API_V3_KEY, now: t.now }) as never);
    const body = answer([A]);
    nock(API).get('/v3/certificates').delay(50).reply(200, body, signedBy(A, body, T0));
    nock(API).post(CONFIRM).query(true).reply(200, CARD_JSON, signedBy(A, CARD_JSON, T0));
    await expect(client.confirmUserCard(request)).resolves.toMatchObject({ user_card_state: 'EFFECTIVE' });
  });
});
