// The local WeChat Pay as a process: `wechatpay-local-server` (the client package's bin), used by the printed configuration.
import { expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../generated/index.js';
import { ROOT } from './helpers.js';

it('serve prints a working client configuration and stops on SIGTERM', async () => {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'runtime/local-server/bin.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    const config = await new Promise<Record<string, string>>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const json = out.slice(out.indexOf('{'));
        if (out.includes('{') && json.trimEnd().endsWith('}')) resolve(JSON.parse(json));
      });
      child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
    });
    expect(out).toMatch(/^local WeChat Pay listening on http:\/\/127\.0\.0\.1:\d+/);
    const client = createClient({
      mchid: config['mchid']!,
      serialNo: config['serialNo']!,
      wechatpayPublicKeyId: config['wechatpayPublicKeyId']!,
      baseUrl: config['baseUrl']!,
      privateKey: readFileSync(config['privateKeyFile']!),
      wechatpayPublicKey: readFileSync(config['wechatpayPublicKeyFile']!),
    });
    await expect(client.updateCardTemplate({ card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', title: 't' })).resolves.toBeUndefined();
    client.close();
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
