import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../generator/version.js';
import { ROOT } from '../helpers.js';

it('the generator’s --version is generator/package.json version, and it peers on the client of the same minor', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'generator/package.json'), 'utf8'));
  const client = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(VERSION).toBe(pkg.version);
  expect(pkg.peerDependencies).toEqual({ 'wechatpay-membercard': `^${client.version}` });
});
