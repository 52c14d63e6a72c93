import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../runtime/version.js';
import { ROOT } from './helpers.js';

it('the User-Agent version is package.json version', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
});
