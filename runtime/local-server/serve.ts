// The local WeChat Pay as a process (bin.ts: `wechatpay-local-server [--port N]`).
// Writes its fresh keys to a temp folder and prints a client configuration.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalWechatPay } from './index.js';

export async function serve(port: number): Promise<void> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wechatpay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(path.join(tmpdir(), 'local-wechatpay-'));
  const merchantKeyFile = path.join(dir, 'apiclient_key.pem');
  const wechatpayPublicKeyFile = path.join(dir, 'wechatpay_pub.pem');
  writeFileSync(merchantKeyFile, merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(wechatpayPublicKeyFile, wechatpay.publicKey.export({ type: 'spki', format: 'pem' }));
  const server = await startLocalWechatPay({
    port,
    keys: { merchantPublicKey: merchant.publicKey, merchantPrivateKey: merchant.privateKey, wechatpayPrivateKey: wechatpay.privateKey },
  });
  const { mchid, serialNo, wechatpayPublicKeyId, baseUrl } = server.clientConfig;
  console.log(`local WeChat Pay listening on ${server.url} (Ctrl-C to stop)`);
  console.log('client configuration (read the key files with fs.readFileSync):');
  console.log(JSON.stringify({ mchid, serialNo, wechatpayPublicKeyId, baseUrl, privateKeyFile: merchantKeyFile, wechatpayPublicKeyFile }, null, 2));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
