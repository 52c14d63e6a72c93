// The client both soak benches (soak.ts, hostile-soak.ts) call the soak server
// with: the product's generated client, the test keys, the server's URL.
import { readFileSync } from 'node:fs';
import { createClient, type MembercardClient } from '../generated/index.js';

const pem = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}`, import.meta.url), 'utf8');

export function soakClient(baseUrl: string, timeoutMs: number): MembercardClient {
  return createClient({
    mchid: '1900000001',
    serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    privateKey: pem('merchant.key.pem'),
    wechatpayPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
    wechatpayPublicKey: pem('wechatpay.pub.pem'),
    baseUrl,
    timeoutMs,
  });
}
