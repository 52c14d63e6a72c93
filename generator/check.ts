// Compares what the spec generates with what is on disk: a unified diff per
// changed file, and the files missing or unexpected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';

export interface Drift {
  changed: { file: string; patch: string }[];
  missing: string[];
  unexpected: string[];
}

export function compareWithDisk(expected: Map<string, string>, outDir: string): Drift {
  const onDisk = existsSync(outDir) ? readdirSync(outDir).filter((f) => !f.startsWith('.')).sort() : [];
  const drift: Drift = { changed: [], missing: [], unexpected: onDisk.filter((f) => !expected.has(f)) };
  for (const [file, want] of expected) {
    const full = path.join(outDir, file);
    if (!existsSync(full)) {
      drift.missing.push(file);
      continue;
    }
    const have = readFileSync(full, 'utf8');
    if (have !== want) {
      const name = path.posix.join(path.basename(outDir), file);
      drift.changed.push({ file, patch: createTwoFilesPatch(`${name} (on disk)`, `${name} (from spec)`, have, want, '', '', { context: 3 }) });
    }
  }
  return drift;
}

export function isClean(d: Drift): boolean {
  return d.changed.length === 0 && d.missing.length === 0 && d.unexpected.length === 0;
}

export function describeDrift(d: Drift, outDir: string): string {
  const lines: string[] = [];
  for (const c of d.changed) lines.push(c.patch.trimEnd());
  for (const f of d.missing) lines.push(`missing: ${path.join(outDir, f)} (the spec generates it; it is not on disk)`);
  for (const f of d.unexpected) lines.push(`unexpected: ${path.join(outDir, f)} (on disk; the spec does not generate it)`);
  return lines.join('\n');
}
