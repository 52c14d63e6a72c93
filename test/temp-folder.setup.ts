// Global setup of the test run: every temp file a test or a process it starts
// writes (key files of `serve`, tsx's compile cache, npm pack's work folders)
// goes into one folder of this run, removed when the run ends. Tests still
// remove what they create; this catches what tools and killed children leave.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NAMES = ['TMPDIR', 'TMP', 'TEMP'] as const;

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'wxp-test-run-'));
  const before = NAMES.map((name) => process.env[name]);
  for (const name of NAMES) process.env[name] = dir;
  return () => {
    NAMES.forEach((name, i) => {
      if (before[i] === undefined) delete process.env[name];
      else process.env[name] = before[i];
    });
    rmSync(dir, { recursive: true, force: true });
  };
}
