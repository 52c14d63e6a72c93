// Compares what the spec generates with what is on disk: a unified diff per
// changed file, and the files missing or no longer generated. Files in the
// output folder that the generator did not write are none of its business.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { buildOutput, type GenerateOptions } from './generate.js';
import { generatedFiles } from './output.js';
import type { Skipped } from './skip.js';

export interface Drift {
  changed: { file: string; patch: string }[];
  missing: string[];
  unexpected: string[];
}

export interface CheckOptions extends GenerateOptions {
  /** The command that regenerates, quoted in the report. Default: the `generate` command with these options. */
  generateCommand?: string;
}

export interface CheckResult {
  /** Whether the output folder holds exactly what the spec generates. */
  ok: boolean;
  drift: Drift;
  /** One line when ok; otherwise the diffs, the missing and stale files, and the command to run. */
  report: string;
  /** With skipInvalid: what the spec's client leaves out, and why. */
  skipped: Skipped[];
}

/** Builds the output in memory and compares it with `out`. Throws a SpecError for a mistake in the spec. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const { files, skipped } = await buildOutput(options);
  const drift = compareWithDisk(files, options.out);
  const ok = isClean(drift);
  const report = ok
    ? `${options.out} matches ${options.spec} (${files.size} files)`
    : `${describeDrift(drift, options.out)}\n\n${options.out} does not match ${options.spec}: run \`${options.generateCommand ?? generateCommand(options)}\` and commit the result.`;
  return { ok, drift, report, skipped };
}

/** The CLI command that runs `generate` with these options. */
export function generateCommand(options: GenerateOptions): string {
  const args = ['generate', '--spec', options.spec, '--out', options.out];
  if (options.runtimeImport !== undefined) args.push('--runtime-import', options.runtimeImport);
  if (options.clientName !== undefined) args.push('--client-name', options.clientName);
  if (options.skipInvalid) args.push('--skip-invalid');
  return ['wechatpay-membercard-generator', ...args.map(shellQuote)].join(' ');
}

/** `arg` as one shell word. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function compareWithDisk(expected: Map<string, string>, outDir: string): Drift {
  const drift: Drift = { changed: [], missing: [], unexpected: generatedFiles(outDir).filter((f) => !expected.has(f)) };
  for (const [file, want] of expected) {
    const full = path.join(outDir, file);
    if (!existsSync(full)) {
      drift.missing.push(file);
      continue;
    }
    const have = readFileSync(full, 'utf8');
    if (have !== want) {
      const name = path.posix.join(path.basename(path.resolve(outDir)), file);
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
  for (const f of d.unexpected) lines.push(`no longer generated: ${path.join(outDir, f)} (written by the generator earlier; the spec does not generate it now)`);
  return lines.join('\n');
}
