// A mistake in the spec, reported as `file:line: sentence`, without a stack trace.
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'SpecError';
  }
}
