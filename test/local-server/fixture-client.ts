// A generated client for a spec other than the product's, written to a temp
// folder for one test file and removed after it: the generator's own output,
// importing this repository's runtime by absolute path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFiles } from '../../generator/generate.js';
import { writeOutput } from '../../generator/output.js';
import { ROOT } from '../helpers.js';

export interface GeneratedClient {
  dir: string;
  remove(): void;
}

export async function generateClient(specFile: string): Promise<GeneratedClient> {
  const files = await generateFiles({ specFile, specLabel: path.relative(ROOT, specFile), runtimeImport: `${ROOT}/runtime/index.js` });
  const dir = mkdtempSync(path.join(tmpdir(), 'wxp-fixture-client-'));
  try {
    writeOutput(dir, files);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
