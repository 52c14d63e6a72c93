// The confirm call of bench/client.ts, in each WeChat Pay key mode: the
// signing server in its own process, and the three clients doing the same
// call against it. Shared with profiling scripts, which drive one client alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createClient } from '../generated/index.js';
import { selfSignedCertificate } from '../runtime/local-server/x509.js';
import { floorClient, type FloorKey } from './floor.js';

/** 'public-key': the WeChat Pay public key (PUB_KEY_ID_…). 'certificate': one platform certificate, picked by its serial. */
export type KeyMode = 'public-key' | 'certificate';
export type Call = () => Promise<unknown>;

export const pem = (f: string) => readFileSync(new URL(`../test/fixtures/keys/${f}`, import.meta.url), 'utf8');
const MCHID = '1900000001';
const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const CODE = '478515832665';
const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const PHONE = '13800138000';
const BIRTHDAY = '1990-07-15';

/** A platform certificate for the WeChat Pay test key pair, valid from yesterday for a year. */
function certificatePem(): string {
  const day = 86_400_000;
  return selfSignedCertificate({
    serial: CERT_SERIAL,
    privateKey: createPrivateKey(pem('wechatpay.key.pem')),
    publicKey: createPublicKey(pem('wechatpay.pub.pem')),
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 365 * day),
  });
}

export interface Bench {
  clients: Record<string, Call>;
  close(): void;
}

/** The server signs with the WeChat Pay test key and names `serial` in Wechatpay-Serial: the public key id, or the certificate's serial. */
export async function startServer(mode: KeyMode): Promise<{ port: number; server: ChildProcess }> {
  const serial = mode === 'public-key' ? PUBLIC_KEY_ID : CERT_SERIAL;
  const server = spawn(process.execPath, [new URL('../bench/server.mjs', import.meta.url).pathname, serial], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))));
  return { port, server };
}

export function benchClients(mode: KeyMode, port: number, names: readonly string[] = ['floor', 'ours', 'wechatpay-axios-plugin']): Bench {
  const baseUrl = `http://127.0.0.1:${port}`;
  const privateKey = pem('merchant.key.pem');
  const cert = mode === 'certificate' ? certificatePem() : undefined;
  const wechatpayKey: FloorKey = cert
    ? (() => {
        const x509 = new X509Certificate(cert);
        return { id: x509.serialNumber, key: x509.publicKey, notBefore: Date.parse(x509.validFrom) / 1000, notAfter: Date.parse(x509.validTo) / 1000 };
      })()
    : { id: PUBLIC_KEY_ID, key: createPublicKey(pem('wechatpay.pub.pem')), notBefore: -Infinity, notAfter: Infinity };

  const closers: (() => void)[] = [];
  const make: Record<string, () => Call> = {
    floor: () => {
      const floor = floorClient({ host: '127.0.0.1', port, mchid: MCHID, serialNo: SERIAL, privateKey: createPrivateKey(privateKey), keys: [wechatpayKey] });
      closers.push(() => floor.close());
      return () => floor.confirm(CODE, CARD_ID, { brand_id: '1004', openid: 'o', phone_number: PHONE, birthday: BIRTHDAY });
    },
    ours: () => {
      const keys = cert ? { platformCertificates: [cert] } : { wechatpayPublicKeyId: PUBLIC_KEY_ID, wechatpayPublicKey: pem('wechatpay.pub.pem') };
      const ours = createClient({ mchid: MCHID, serialNo: SERIAL, privateKey, ...keys, baseUrl });
      closers.push(() => ours.close());
      return () =>
        ours.confirmUserCard({
          user_card_code: CODE, card_id: CARD_ID, brand_id: '1004', openid: 'o', phone_number: PHONE,
          user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: BIRTHDAY }] },
          user_card_confirm_state: 'CREATE_CARD_SUCCESS',
        });
    },
    'wechatpay-axios-plugin': () => axiosPlugin(baseUrl, wechatpayKey.id, cert ?? pem('wechatpay.pub.pem')),
  };
  const clients: Record<string, Call> = {};
  for (const name of names) clients[name] = make[name]!();
  return { clients, close: () => closers.forEach((close) => close()) };
}

// wechatpay-axios-plugin, the most-used Node SDK, doing the same call: keys
// handed over once (its `certs` map takes a public key or a certificate by
// serial), fields encrypted with its own Rsa helper.
function axiosPlugin(baseURL: string, serial: string, wechatpayPem: string): Call {
  const require = createRequire(import.meta.url);
  const { Wechatpay, Rsa } = require('wechatpay-axios-plugin') as {
    Wechatpay: new (o: object) => { v3: Record<string, any> };
    Rsa: { encrypt(s: string, k: unknown): string; from(k: string, t: string): unknown; KEY_TYPE_PUBLIC: string };
  };
  const wxpay = new Wechatpay({ mchid: MCHID, serial: SERIAL, privateKey: pem('merchant.key.pem'), certs: { [serial]: wechatpayPem }, baseURL });
  const publicKey = Rsa.from(wechatpayPem, Rsa.KEY_TYPE_PUBLIC);
  const endpoint = wxpay.v3.brand.partner.cardMember.userCards._user_card_code_.confirm;
  return () =>
    endpoint.post(
      {
        brand_id: '1004', openid: 'o', phone_number: Rsa.encrypt(PHONE, publicKey),
        user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: Rsa.encrypt(BIRTHDAY, publicKey) }] },
        user_card_confirm_state: 'CREATE_CARD_SUCCESS',
      },
      { params: { card_id: CARD_ID }, user_card_code: CODE, headers: { 'Wechatpay-Serial': serial } },
    );
}
