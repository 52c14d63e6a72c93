// A mistake in the spec, reported as `file:line: sentence`, without a stack
// trace; and `Problems`, which gathers every mistake of a spec so that one
// run reports them all (see generate.ts).
import { hintFor } from './hints.js';

export type SpecPath = readonly (string | number)[];

export interface SpecErrorOptions {
  /** Where in the bundled document (load.ts) the mistake is: which operation, webhook or component it belongs to. */
  at?: SpecPath | undefined;
  /** What to do about it, printed after the sentence; by default the hint table's (hints.ts). */
  hint?: string | undefined;
}

export class SpecError extends Error {
  readonly at: SpecPath | undefined;
  readonly hint: string | undefined;
  /** Every refusal this error stands for: itself, or (`SpecError.of`) each one a run found, in order. */
  readonly refusals: readonly SpecError[];

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
    options: SpecErrorOptions & { refusals?: readonly SpecError[] } = {},
  ) {
    const hint = options.hint ?? hintFor(detail);
    const refusals = options.refusals;
    super(refusals ? `${refusals.map((r) => r.message).join('\n')}\n${refusalCount(refusals.length)}` : `${file}${line ? `:${line}` : ''}: ${detail}${hint ? ` (hint: ${hint})` : ''}`);
    this.name = 'SpecError';
    this.at = options.at;
    this.hint = hint;
    this.refusals = refusals ?? [this];
  }

  /** One error for these refusals (at least one): the refusal itself when there is one; otherwise one whose message lists them all and whose file, line and detail are the first's. */
  static of(refusals: readonly SpecError[]): SpecError {
    const [first] = refusals;
    if (!first) throw new Error('SpecError.of needs at least one refusal');
    if (refusals.length === 1) return first;
    return new SpecError(first.file, first.line, first.detail, { at: first.at, hint: first.hint, refusals });
  }
}

/** What the CLI prints: `error: file:line: sentence (hint: …)` for each refusal, sorted, then the count and what was not done. */
export function formatRefusals(e: SpecError, outcome: string): string {
  return [...e.refusals.map((r) => `error: ${r.message}`), `${refusalCount(e.refusals.length)} in the spec: ${outcome}`].join('\n');
}

/** `1 refusal`, `3 refusals`. */
export function refusalCount(n: number): string {
  return `${n} refusal${n === 1 ? '' : 's'}`;
}

/**
 * The refusals of one run. Each independent part of the spec (an extension,
 * a schema node's keywords, an operation, a webhook, a generated name) is
 * checked as one unit through `run`: its first mistake is recorded and the
 * next unit is checked, so one bad operation never hides another.
 */
export class Problems {
  private readonly found: SpecError[] = [];
  private readonly places = new Set<string>();

  /** Runs one unit; a SpecError it throws is recorded and `undefined` returned. Any other error is a bug and propagates. */
  run<T>(unit: () => T): T | undefined {
    try {
      return unit();
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      e.refusals.forEach((r) => this.add(r));
      return undefined;
    }
  }

  /**
   * Records a refusal. The first refusal at a place of the document is kept
   * and later ones at the same place dropped: a later check that trips over a
   * part an earlier one refused (a request body whose $ref is broken, a
   * rule for an array without items) would only repeat it less clearly.
   */
  add(e: SpecError): void {
    const place = e.at ? JSON.stringify(e.at) : `${e.file}:${e.line}:${e.detail}`;
    if (this.places.has(place)) return;
    this.places.add(place);
    this.found.push(e);
  }

  get size(): number {
    return this.found.length;
  }

  /** The refusals in a stable order: by file, then line, then sentence. */
  list(): SpecError[] {
    return [...this.found].sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compare(a.detail, b.detail));
  }

  /** Throws one SpecError for everything recorded (see SpecError.of), if anything was. */
  throwIfAny(): void {
    if (this.found.length) throw SpecError.of(this.list());
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
