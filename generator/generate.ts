// spec → the files of the output folder, in memory, formatted; and
// `generate(options)`, which writes them. Building touches no disk, so
// `generate` and `check` build exactly the same bytes.
import path from 'node:path';
import { emitClient } from './emit-client.js';
import { emitData } from './emit-data.js';
import { emitServer } from './emit-server.js';
import { emitTypes } from './emit-types.js';
import { format } from './format.js';
import { loadSpec, type LoadedSpec } from './load.js';
import { clientNameProblem } from './names.js';
import { checkOpenApi3 } from './openapi-version.js';
import { HEADER_MARK, OutputError, writeOutput } from './output.js';
import { readPassing, type Skipped } from './skip.js';

/** Where generated code imports the runtime from, unless told otherwise: the client package's runtime entry. */
export const DEFAULT_RUNTIME_IMPORT = 'wechatpay-membercard/runtime';

/** The options of `generate` and `check`, as the CLI's flags name them. Relative paths are relative to the working directory. */
export interface GenerateOptions {
  /** The OpenAPI 3.x spec (YAML or JSON). */
  spec: string;
  /** The output folder. */
  out: string;
  /** The module specifier the generated files import the runtime through. Default: `wechatpay-membercard/runtime`. */
  runtimeImport?: string | undefined;
  /** The client's type name. Default: the spec's info.title in PascalCase + `Client`, when it is plain ASCII (otherwise this is required). */
  clientName?: string | undefined;
  /**
   * Generate the operations that pass and leave out the others, listed in
   * `skipped` with their reasons (see skip.ts for what a refusal takes with
   * it). A refusal of the document itself still stops the run, as does a spec
   * with no operation left. Default: any refusal stops the run.
   */
  skipInvalid?: boolean | undefined;
}

export interface GenerateResult {
  /** Names of the files written into `out`. */
  written: string[];
  /** Names of files in `out` the generator had written before and no longer generates, now removed. */
  removed: string[];
  /** With skipInvalid: what was left out, and why. */
  skipped: Skipped[];
}

/**
 * Writes the client for `spec` into `out`. Only files the generator writes are
 * touched: see output.ts. Throws a SpecError for a mistake in the spec and an
 * OutputError for a file in the way, before writing anything.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { files, skipped } = await buildOutput(options);
  return { ...writeOutput(options.out, files), skipped };
}

/** The files `generate` would write for these options, in memory, and what was left out. */
export function buildOutput(options: GenerateOptions): Promise<Output> {
  return generateOutput({ specFile: options.spec, specLabel: specLabel(options.spec, options.out), runtimeImport: options.runtimeImport, clientName: options.clientName, skipInvalid: options.skipInvalid });
}

export interface Output {
  files: Map<string, string>;
  skipped: Skipped[];
}

export interface GenerateInput {
  /** Path of the spec file. */
  specFile: string;
  /** Name of the spec shown in the header line (relative to the output folder, so output is the same on every machine and from every directory). */
  specLabel: string;
  /** See GenerateOptions.runtimeImport. */
  runtimeImport?: string | undefined;
  /** The spec's text, if already read. */
  text?: string;
  /** See GenerateOptions. */
  clientName?: string | undefined;
  skipInvalid?: boolean | undefined;
}

/** The files for a spec that has no refusal (otherwise throws a SpecError listing them all). */
export async function generateFiles(input: GenerateInput): Promise<Map<string, string>> {
  return (await generateOutput({ ...input, skipInvalid: false })).files;
}

export async function generateOutput(input: GenerateInput): Promise<Output> {
  const runtimeImport = input.runtimeImport ?? DEFAULT_RUNTIME_IMPORT;
  // It is printed inside a string literal in every file.
  if (!/^[^\s'"`\\]+$/.test(runtimeImport)) throw new OutputError(`--runtime-import ${JSON.stringify(runtimeImport)} is not a module specifier`);
  const bad = input.clientName === undefined ? undefined : clientNameProblem(input.clientName);
  if (bad) throw new OutputError(bad);
  const spec = loadSpec(input.specFile, input.text, { before: checkOpenApi3 });
  return generateFromSpec(spec, input.specLabel, runtimeImport, input);
}

/**
 * `spec` must have been loaded with `{ before: checkOpenApi3 }`. Throws one
 * SpecError listing every refusal (SpecError.refusals), unless skipInvalid
 * leaves the refused parts out (skip.ts).
 */
export async function generateFromSpec(spec: LoadedSpec, specLabel: string, runtimeImport = DEFAULT_RUNTIME_IMPORT, options: { clientName?: string | undefined; skipInvalid?: boolean | undefined } = {}): Promise<Output> {
  const { model, skipped } = readPassing(spec, options);
  const { ops, hooks, clientName } = model;
  const header = `${HEADER_MARK} from ${specLabel}. Do not edit: edit the spec and regenerate.\n`;
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries({ ...emitClient(spec, ops, runtimeImport, hooks, clientName), ...emitServer(spec, ops, runtimeImport) })) files[name] = await format(header + text);
  // The data files are written final (emit-data.ts).
  Object.assign(files, emitData(spec, ops, hooks, runtimeImport, header));
  // types.ts stays as openapi-typescript prints it (TypeScript's own printer:
  // deterministic, 4-space indent, double quotes). Running prettier over it
  // only restyled it, and cost 40% of generation on a 300-operation spec.
  files['types.ts'] = header + (await emitTypes(spec.root));
  return { files: new Map(Object.keys(files).sort().map((name) => [name, files[name]!])), skipped };
}

/** The label for a spec path: relative to the output folder, with forward slashes. */
export function specLabel(specFile: string, outDir: string): string {
  return path.relative(path.resolve(outDir), path.resolve(specFile)).split(path.sep).join('/');
}
