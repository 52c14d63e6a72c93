// The package as a consumer gets it: npm pack, install into an empty project
// (no other packages, so nothing of the generator can load), import, call, type-check.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.js';

describe('npm pack → install → use', () => {
  it('imports the client and the local server by package name, calls it, and type-checks under strict', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxp-consumer-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], { cwd: dir, stdio: 'pipe' });
    expect(readdirSync(path.join(dir, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['wechatpay-membercard']);

    const consumer = `
      import { createClient, ValidationError, type UserCard } from 'wechatpay-membercard';
      import { startLocalWechatPay } from 'wechatpay-membercard/local-server';
      const server = await startLocalWechatPay();
      const client = createClient(server.clientConfig);
      const card: UserCard = await client.confirmUserCard({ user_card_code: 'p1', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', brand_id: '1004', openid: 'o', phone_number: '13800138000', user_card_confirm_state: 'CREATE_CARD_SUCCESS' });
      let refused = '';
      try { await client.invalidateUserCard({ user_card_code: 'p1', brand_id: '1004', card_id: 'x'.repeat(33), openid: 'o' }); } catch (e) { if (e instanceof ValidationError) refused = e.issues[0]!.rule; }
      client.close();
      await server.close();
      console.log(JSON.stringify({ state: card.user_card_state, refused }));
    `;
    writeFileSync(path.join(dir, 'consumer.ts'), consumer);
    writeFileSync(path.join(dir, 'consumer.mjs'), consumer.replace(', type UserCard', '').replace('const card: UserCard', 'const card').replace('e.issues[0]!.rule', 'e.issues[0].rule'));

    const out = execFileSync(process.execPath, ['consumer.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ state: 'EFFECTIVE', refused: 'maxLength' });

    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'false', '--typeRoots', path.join(ROOT, 'node_modules/@types'), '--types', 'node', 'consumer.ts'],
      { cwd: dir, stdio: 'pipe' },
    );
  }, 120_000);
});
