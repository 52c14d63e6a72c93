// The one report of an import: per operation, what was not carried (and
// why), what was repaired (and how), what was dropped; and counts of every
// convention mapped. Printed for people, written as JSON for tools.

/**
 * - `not-carried`: the operation is left out of the output (the reason says why);
 * - `repaired`: a bug of the description, repaired as the message says;
 * - `dropped`: a word the generated client cannot enforce, left out (the message names it);
 * - `added`: something the description implies and the output now says.
 */
export type FindingKind = 'not-carried' | 'repaired' | 'dropped' | 'added';

export interface Finding {
  kind: FindingKind;
  message: string;
  /** `file:line` in the source. */
  where: string;
}

export interface OperationReport {
  method: string;
  path: string;
  /** The operationId in the output; absent for an operation not carried. */
  operationId?: string;
  findings: Finding[];
}

export interface ImportReport {
  source: string;
  /** `Swagger 2.0`, `OpenAPI 3.0.3`… */
  version: string;
  /** Operations read, written to the output, and left out. */
  counts: { operations: number; imported: number; notCarried: number; schemas: number };
  /** Conventions mapped, by rule, with how many places each (e.g. `format rfc3339 → date-time`). */
  mapped: Record<string, number>;
  /** Every operation of the source, in its order (an operation's `findings` may be empty). */
  operations: OperationReport[];
}

/** Counts of a label, sorted by label, so the JSON is the same every run. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(label: string, n = 1): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + n);
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** The report as text: the counts, then each operation left out or changed. */
export function formatReport(report: ImportReport): string {
  const { counts } = report;
  const lines = [
    `import ${report.source} (${report.version}): ${counts.imported} of ${counts.operations} operations imported, ${counts.notCarried} not carried; ${counts.schemas} shared schemas`,
  ];
  const mapped = Object.entries(report.mapped);
  if (mapped.length) lines.push('mapped:', ...mapped.map(([rule, n]) => `  ${rule}: ${n}`));
  const notCarried = report.operations.filter((o) => o.operationId === undefined);
  if (notCarried.length) {
    lines.push(`not carried (${notCarried.length}):`);
    for (const op of notCarried) {
      const reasons = op.findings.filter((f) => f.kind === 'not-carried');
      lines.push(`  ${op.method} ${op.path}: ${reasons.map((f) => `${f.message} (${f.where})`).join('; ')}`);
    }
  }
  const changed = report.operations.filter((o) => o.operationId !== undefined && o.findings.length > 0);
  if (changed.length) {
    lines.push(`imported with changes (${changed.length}):`);
    for (const op of changed) {
      lines.push(`  ${op.method} ${op.path} → ${op.operationId}`);
      for (const f of op.findings) lines.push(`    ${f.kind}: ${f.message} (${f.where})`);
    }
  }
  return lines.join('\n');
}
