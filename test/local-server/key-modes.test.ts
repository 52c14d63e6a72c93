// End to end over loopback: the generated client against the local WeChat Pay
// in each key mode, a switch in the middle of concurrent calls, an expired
// certificate, an unknown serial, a failing download, and the server's own
// refusal of ciphertext made for another key than Wechatpay-Serial names.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { inspect } from 'node:util';
import { CertificateError, createClient, type ClientConfig, type MembercardClient } from '../../generated/index.js';
import { startLocalWechatPay, type LocalWechatPay, type LocalWechatPayOptions } from '../../generated/local-server.js';
import { encrypt } from '../../runtime/encrypt.js';
import { authorization } from '../../runtime/sign.js';
import { failureOf, keys } from '../helpers.js';

const CARD = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const PHONE = '13800138000';
const HOUR = 3_600_000;
const serverKeys = { merchantPublicKey: keys.merchantPublic, merchantPrivateKey: keys.merchantPrivate, wechatpayPrivateKey: keys.wechatpayPrivate };

const open: { servers: LocalWechatPay[]; clients: MembercardClient[] } = { servers: [], clients: [] };
const caught: unknown[] = [];
const apiV3Keys: string[] = [];
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const s of open.servers.splice(0)) await s.close();
});

async function start(options: LocalWechatPayOptions = {}): Promise<LocalWechatPay> {
  const server = await startLocalWechatPay({ keys: serverKeys, ...options });
  open.servers.push(server);
  apiV3Keys.push(server.wechatpay.apiV3Key);
  return server;
}
function client(config: ClientConfig): MembercardClient {
  const c = createClient({ timeoutMs: 5000, ...config });
  open.clients.push(c);
  return c;
}
const failure = (p: Promise<unknown>) => failureOf(p, caught);

/** The three calls of the membership-card flow; resolves to what they returned. */
async function threeCalls(c: MembercardClient, code: string) {
  const card = await c.confirmUserCard({ user_card_code: code, card_id: CARD, brand_id: '1004', openid: `o-${code}`, phone_number: PHONE, user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
  const invalid = await c.invalidateUserCard({ user_card_code: code, card_id: CARD, brand_id: '1004', openid: `o-${code}` });
  const updated = await c.updateCardTemplate({ card_id: CARD, title: `卡 ${code}`.slice(0, 10) });
  return { card, invalid, updated };
}

describe('each key mode, configured from what the server hands out', () => {
  const THREE = ['confirmUserCard OK', 'invalidateUserCard OK', 'updateCardTemplate OK'];
  it.each([
    { mode: 'public-key' as const, want: ['apiV3Key', 'wechatpayPublicKey', 'wechatpayPublicKeyId'], served: THREE },
    { mode: 'certificate' as const, want: ['apiV3Key', 'platformCertificates'], served: ['downloadCertificates OK', ...THREE] },
    // The download runs in the background: the public key serves the calls meanwhile.
    { mode: 'both' as const, want: ['apiV3Key', 'platformCertificates', 'wechatpayPublicKey', 'wechatpayPublicKeyId'], served: ['downloadCertificates OK', ...THREE] },
  ])('$mode: the three calls go through, every request verified by the server', async ({ mode, want, served }) => {
    const server = await start({ keyMode: { mode } });
    expect(Object.keys(server.clientConfig).sort()).toEqual(['baseUrl', 'mchid', 'privateKey', 'serialNo', ...want].sort());
    const got = await threeCalls(client(server.clientConfig), `m-${mode}`);
    expect(got.card).toMatchObject({ user_card_state: 'EFFECTIVE' });
    expect(got.invalid).toMatchObject({ user_card_state: 'INVALID' });
    expect(got.updated).toBeUndefined();
    await vi.waitFor(() => expect(server.requests().map((r) => `${r.operationId} ${r.verdict}`).sort()).toEqual([...served].sort()));
  });

  it('certificate mode with the certificates given as PEM files: no download', async () => {
    const server = await start({ keyMode: { mode: 'certificate', certificates: [{}, {}] } });
    const { mchid, serialNo, privateKey, baseUrl } = server.clientConfig;
    const pems = server.wechatpay.certificates.map((c) => c.pem);
    await threeCalls(client({ mchid, serialNo, privateKey, baseUrl, platformCertificates: pems }), 'pem');
    expect(server.requests().map((r) => r.operationId)).toEqual(['confirmUserCard', 'invalidateUserCard', 'updateCardTemplate']);
  });
});

describe('the switch from certificates to the public key', () => {
  it('a client configured with both keys: no call fails while the server switches in the middle of 40 concurrent calls', async () => {
    const server = await start({ keyMode: { mode: 'both' } });
    server.wechatpay.signWith('certificate');
    const c = client(server.clientConfig);
    const confirm = (i: number) => c.confirmUserCard({ user_card_code: `sw-${i}`, card_id: CARD, brand_id: '1004', openid: `o-${i}`, phone_number: PHONE, user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
    // 20 calls signed by the certificate; when 10 are done, the server switches and 20 more start, while 10 are still in flight.
    const second: Promise<unknown>[] = [];
    let done = 0;
    const first = Array.from({ length: 20 }, (_, i) =>
      confirm(i).then(() => {
        if (++done !== 10) return;
        server.wechatpay.signWith('public-key');
        for (let j = 20; j < 40; j++) second.push(confirm(j));
      }),
    );
    const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(first);
    results.push(...(await Promise.allSettled(second)));
    expect(results).toHaveLength(40);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const signedBy = new Set(server.requests().filter((r) => r.operationId === 'confirmUserCard').map((r) => r.signedWith));
    expect(signedBy.size).toBe(2);
  });

  it('a client configured with the public key only fails typed on answers signed by a certificate', async () => {
    const server = await start({ keyMode: { mode: 'both' } });
    const { mchid, serialNo, privateKey, baseUrl, wechatpayPublicKeyId, wechatpayPublicKey } = server.clientConfig;
    const c = client({ mchid, serialNo, privateKey, baseUrl, wechatpayPublicKeyId: wechatpayPublicKeyId!, wechatpayPublicKey: wechatpayPublicKey! });
    await threeCalls(c, 'pk-1');
    server.wechatpay.signWith('certificate');
    expect(await failure(c.updateCardTemplate({ card_id: CARD, title: 't' }))).toMatchObject({ kind: 'verification', reason: 'unknown-serial' });
  });
});

describe('certificates that do not check out', () => {
  it('an answer signed by an expired certificate', async () => {
    const now = Date.now();
    const server = await start({ keyMode: { mode: 'certificate', certificates: [{ notBefore: new Date(now - 400 * 24 * HOUR), notAfter: new Date(now - HOUR) }, {}] } });
    const [expired, valid] = server.wechatpay.certificates;
    const { mchid, serialNo, privateKey, baseUrl } = server.clientConfig;
    const c = client({ mchid, serialNo, privateKey, baseUrl, platformCertificates: [expired!.pem, valid!.pem] });
    server.wechatpay.signWith(expired!.serial);
    const e = await failure(c.updateCardTemplate({ card_id: CARD, title: 't' }));
    expect(e).toMatchObject({ kind: 'verification', reason: 'expired-certificate' });
    expect(e.message).toContain(expired!.serial);
  });

  it('an answer signed by a certificate the client was not given', async () => {
    const server = await start({ keyMode: { mode: 'certificate', certificates: [{}, {}] } });
    const [given, other] = server.wechatpay.certificates;
    const { mchid, serialNo, privateKey, baseUrl } = server.clientConfig;
    const c = client({ mchid, serialNo, privateKey, baseUrl, platformCertificates: [given!.pem] });
    server.wechatpay.signWith(other!.serial);
    expect(await failure(c.updateCardTemplate({ card_id: CARD, title: 't' }))).toMatchObject({ kind: 'verification', reason: 'unknown-serial' });
  });

  it('a download that fails: the call fails typed and was not sent; the next download, after the backoff, succeeds', async () => {
    let now = Date.now();
    const server = await start({ keyMode: { mode: 'certificate' }, now: () => now });
    const c = client({ ...server.clientConfig, now: () => now });
    server.wechatpay.failDownloads(1);
    const e = await failure(c.updateCardTemplate({ card_id: CARD, title: 't' }));
    expect(e).toBeInstanceOf(CertificateError);
    expect(e).toMatchObject({ kind: 'certificate', cause: { kind: 'api', code: 'SYSTEM_ERROR', operation: 'downloadCertificates' } });
    expect(server.requests().map((r) => r.operationId)).toEqual(['downloadCertificates']);
    now += 10_000;
    await expect(c.updateCardTemplate({ card_id: CARD, title: 't' })).resolves.toBeUndefined();
  });

  it('a refresh that fails keeps the certificate that still verifies', async () => {
    let now = Date.now();
    const server = await start({ keyMode: { mode: 'certificate', certificates: [{ notBefore: new Date(now - HOUR), notAfter: new Date(now + 12 * HOUR) }] }, now: () => now });
    const c = client({ ...server.clientConfig, now: () => now });
    await threeCalls(c, 'r-1');
    now += 2 * HOUR; // the newest certificate now expires within a day, and the last download is an hour old
    server.wechatpay.failDownloads(1);
    await threeCalls(c, 'r-2');
    // The refresh ran beside the calls, which did not wait for it.
    await vi.waitFor(() => expect(server.requests().filter((r) => r.operationId === 'downloadCertificates').map((r) => r.status)).toEqual([200, 500]));
  });
});

describe("the server's own check: ciphertext for the key Wechatpay-Serial names", () => {
  async function rawConfirm(server: LocalWechatPay, serial: string, phoneCiphertext: string) {
    const target = `/v3/brand/partner/card-member/user-cards/raw-1/confirm?card_id=${CARD}`;
    const body = JSON.stringify({ brand_id: '1004', openid: 'o', phone_number: phoneCiphertext, user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
    const { mchid, serialNo } = server.clientConfig;
    const auth = authorization({ method: 'POST', pathWithQuery: target, body, timestamp: Math.floor(Date.now() / 1000), nonce: `n-${Math.random()}`, mchid, serialNo, privateKey: keys.merchantPrivate });
    const res = await fetch(`${server.url}${target}`, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Wechatpay-Serial': serial, Authorization: auth }, body });
    return { status: res.status, body: (await res.json()) as { code: string; message: string } };
  }

  it.each([
    { name: 'the public key, named by its id', serial: 'public', encryptFor: 'public', want: { status: 200 } },
    { name: 'a certificate, named by its serial', serial: 'cert', encryptFor: 'cert', want: { status: 200 } },
    { name: 'the public key, but Wechatpay-Serial names a certificate', serial: 'cert', encryptFor: 'public', want: { status: 400, code: 'PARAM_ERROR', message: 'phone_number is not RSA-OAEP ciphertext for the key Wechatpay-Serial names' } },
    { name: 'a certificate, but Wechatpay-Serial names the public key', serial: 'public', encryptFor: 'cert', want: { status: 400, code: 'PARAM_ERROR', message: 'phone_number is not RSA-OAEP ciphertext for the key Wechatpay-Serial names' } },
    { name: 'a key the server does not hold', serial: 'unknown', encryptFor: 'public', want: { status: 400, code: 'INVALID_REQUEST', message: 'Wechatpay-Serial "5157F09EFDC096DE15EBE81A47057A7232F1B8E1" is not the WeChat Pay public key id or a platform certificate serial' } },
  ])('encrypted for $name → $want.status', async ({ serial, encryptFor, want }) => {
    const server = await start({ keyMode: { mode: 'both' } });
    const cert = server.wechatpay.certificates[0]!;
    const publicKeyId = server.clientConfig.wechatpayPublicKeyId!;
    const key = encryptFor === 'public' ? keys.wechatpayPublic : createPublicKey(cert.privateKey);
    const named = serial === 'public' ? publicKeyId : serial === 'cert' ? cert.serial : '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
    const got = await rawConfirm(server, named, encrypt(PHONE, key));
    expect({ status: got.status, ...(got.status === 200 ? {} : { code: got.body.code, message: got.body.message.replace(/ \(.*\)$/, '') }) }).toEqual(want);
  });
});

describe('no secret in any error', () => {
  it('none of the errors above holds the APIv3 key, a private key or a plaintext', () => {
    expect(caught.length).toBeGreaterThan(3);
    for (const e of caught) {
      for (const text of [String(e), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]) {
        for (const s of [PHONE, 'PRIVATE KEY', '-----BEGIN CERTIFICATE-----', ...apiV3Keys]) expect(text).not.toContain(s);
      }
    }
  });
});
