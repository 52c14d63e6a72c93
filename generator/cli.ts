#!/usr/bin/env node
// wechatpay-membercard generate | check | audit | serve — see --help.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { audit, formatAudit } from './audit/audit.js';
import { compareWithDisk, describeDrift, isClean } from './check.js';
import { generateFiles, specLabel } from './generate.js';
import { loadSpec } from './load.js';
import { SpecError } from './spec-error.js';

const HELP = `Usage: wechatpay-membercard <command> [options]

Commands:
  generate [SPEC]     write the typed client into the output folder
  check [SPEC]        rebuild in memory and compare with the output folder;
                      exit 1 with a unified diff when they differ
  audit PAGE.txt…     compare WeChat doc pages (text copied from the browser)
                      with the spec; exit 0 agree, 1 differ, 2 unreadable page
  serve [--port N]    run the local WeChat Pay on 127.0.0.1 until Ctrl-C

Options:
  --out DIR           output folder (default: generated)
  --spec FILE         the spec to audit against (default: spec/membercard.yaml)
  --json              audit: print the findings as JSON
  -h, --help          this text

SPEC defaults to spec/membercard.yaml.`;

const DEFAULT_SPEC = 'spec/membercard.yaml';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    console.log(HELP);
    return command ? 0 : 2;
  }
  if (command === 'serve') {
    const { values } = parseArgs({ args: rest, options: { port: { type: 'string' } } });
    const port = Number(values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error('--port takes a port number from 0 to 65535');
      return 2;
    }
    const { serve } = await import('../runtime/local-server/serve.js');
    await serve(port);
    return 0;
  }
  if (command === 'audit') return runAudit(rest);
  if (command !== 'generate' && command !== 'check') {
    console.error(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    return 2;
  }
  const args = commandArgs(command, rest);
  if (typeof args === 'number') return args;
  if (args.positionals.length > 1) {
    console.error(`${command} takes one spec file, got ${args.positionals.length}`);
    return 2;
  }
  const specFile = args.positionals[0] ?? DEFAULT_SPEC;
  const outDir = args.values.out ?? 'generated';
  let files: Map<string, string>;
  try {
    files = await generateFiles({ specFile, specLabel: specLabel(specFile, process.cwd()) });
  } catch (e) {
    if (e instanceof SpecError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
  if (command === 'generate') {
    mkdirSync(outDir, { recursive: true });
    for (const stale of readdirSync(outDir)) if (!files.has(stale) && stale.endsWith('.ts')) rmSync(path.join(outDir, stale));
    for (const [name, text] of files) writeFileSync(path.join(outDir, name), text);
    console.log(`generated ${files.size} files in ${outDir}/ from ${specFile}`);
    return 0;
  }
  const drift = compareWithDisk(files, outDir);
  if (isClean(drift)) {
    console.log(`${outDir}/ matches ${specFile} (${files.size} files)`);
    return 0;
  }
  console.error(describeDrift(drift, outDir));
  console.error(`\n${outDir}/ does not match ${specFile}: run \`npm run generate\` and commit the result.`);
  return 1;
}

const OPTIONS = { out: { type: 'string' }, spec: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const TAKES: Record<string, readonly string[]> = { generate: ['out', 'help'], check: ['out', 'help'], audit: ['spec', 'json', 'help'] };

/** The command's options and positionals, or the exit code when there is nothing left to do (--help, a bad option). */
function commandArgs(command: string, rest: string[]) {
  let args;
  try {
    args = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const other = Object.keys(args.values).find((k) => !TAKES[command]?.includes(k));
  if (other) {
    console.error(`${command} does not take --${other}\n\n${HELP}`);
    return 2;
  }
  if (args.values.help) {
    console.log(HELP);
    return 0;
  }
  return args;
}

function runAudit(rest: string[]): number {
  const args = commandArgs('audit', rest);
  if (typeof args === 'number') return args;
  if (args.positionals.length === 0) {
    console.error('audit needs at least one page: wechatpay-membercard audit PAGE.txt… [--spec FILE] [--json]');
    return 2;
  }
  const pages: { file: string; text: string }[] = [];
  for (const file of args.positionals) {
    try {
      pages.push({ file, text: readFileSync(file, 'utf8') });
    } catch (e) {
      console.error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
  }
  let result;
  try {
    result = audit(loadSpec(args.values.spec ?? DEFAULT_SPEC), pages);
  } catch (e) {
    if (e instanceof SpecError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  console.log(args.values.json ? JSON.stringify(result, null, 2) : formatAudit(result));
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 70;
  },
);
