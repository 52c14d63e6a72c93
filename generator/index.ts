// The generator package's programmatic API: the CLI's commands as functions.
export { check, type CheckOptions, type CheckResult, type Drift } from './check.js';
export { DEFAULT_RUNTIME_IMPORT, generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { OutputError } from './output.js';
export type { Skipped } from './skip.js';
export { SpecError } from './spec-error.js';
export { VERSION } from './version.js';
