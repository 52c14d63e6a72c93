// The local WeChat Pay as a process: `wechatpay-local-server` (the client package's bin), used by the printed configuration.
import { expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../generated/index.js';
import { startServe } from './local-server/serve-process.js';

it('serve prints its operations and a working client configuration, and deletes its keys when stopped', async () => {
  const serve = startServe(['--client', 'generated']);
  try {
    const { out, config } = await serve.ready;
    expect(out).toMatch(/^local WeChat Pay listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/POST +\/v3\/brand\/partner\/card-member\/user-cards\/\{user_card_code\}\/confirm +confirmUserCard +answered by the card store/);
    expect(out).toMatch(/PATCH +\/v3\/marketing\/membercard-open\/cards\/\{card_id\} +updateCardTemplate +answered by the card store/);
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
    expect(await serve.stop()).toBe(0);
    expect(existsSync(config['privateKeyFile']!)).toBe(false);
    expect(existsSync(path.dirname(config['privateKeyFile']!))).toBe(false);
  } finally {
    await serve.stop();
  }
});

it.each([
  { args: ['--client', 'no/such/folder'], want: /--client no\/such\/folder: no such file or folder/ },
  { args: ['--client', 'spec'], want: /the folder has no local-server\.js or local-server\.ts/ },
])('serve $args refuses with a sentence and exit 1', async ({ args, want }) => {
  const serve = startServe(args);
  await expect(serve.ready).rejects.toThrow(/exited early \(1\)/);
  expect(serve.output().err).toMatch(want);
});
