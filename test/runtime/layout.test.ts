// The runtime's module layout: no import circle anywhere under runtime/, and
// the product's card store (runtime/local-server/card-store/) reached from
// the spec-driven core at one seam only (runtime/local-server/product.ts).
// Imports are read with TypeScript's own pre-processor, type-only and
// dynamic ones included: a type circle is a circle for a reader too.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers.js';

const RUNTIME = path.join(ROOT, 'runtime');
const STORE = 'local-server/card-store/';
const SEAM = 'local-server/product.ts';

type Graph = ReadonlyMap<string, readonly string[]>;

/** Every .ts file under `dir`, relative to it, with the relative imports it makes (as paths relative to `dir`). */
function importGraph(dir: string): Graph {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'));
  return new Map(
    files.map((file) => {
      const imported = ts.preProcessFile(readFileSync(path.join(dir, file), 'utf8'), true, true).importedFiles.map((i) => i.fileName);
      const local = imported.filter((s) => s.startsWith('.')).map((s) => path.posix.join(path.posix.dirname(file), s).replace(/\.js$/, '.ts'));
      return [file, [...new Set(local)]];
    }),
  );
}

/** Every import circle (each once, from its first file in sorted order), as the files in import order. */
function circles(graph: Graph): string[][] {
  const found = new Map<string, string[]>();
  const walk = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      const loop = trail.slice(at);
      const start = loop.indexOf([...loop].sort()[0]!);
      const canonical = [...loop.slice(start), ...loop.slice(0, start)];
      found.set(canonical.join(' → '), canonical);
      return;
    }
    for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
  };
  // The runtime is small (a few dozen files): a plain walk from every file is quick enough.
  for (const file of graph.keys()) walk(file, []);
  return [...found.values()];
}

describe('circles: the check itself', () => {
  const table: { given: Record<string, string[]>; want: string[][] }[] = [
    { given: { 'a.ts': ['b.ts'], 'b.ts': [] }, want: [] },
    { given: { 'a.ts': ['a.ts'] }, want: [['a.ts']] },
    // The card store's circle before it moved: cards imported the three endpoint modules, which imported cards back.
    {
      given: { 'cards.ts': ['card-member.ts', 'membership-activities.ts', 'member-services.ts'], 'card-member.ts': ['cards.ts'], 'membership-activities.ts': ['cards.ts', 'card-member.ts'], 'member-services.ts': ['card-member.ts', 'cards.ts'] },
      want: [['card-member.ts', 'cards.ts'], ['cards.ts', 'membership-activities.ts'], ['card-member.ts', 'cards.ts', 'membership-activities.ts'], ['cards.ts', 'member-services.ts'], ['card-member.ts', 'cards.ts', 'member-services.ts']],
    },
    { given: { 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] }, want: [['a.ts', 'b.ts', 'c.ts']] },
  ];
  it.each(table)('$given', ({ given, want }) => {
    expect(circles(new Map(Object.entries(given))).sort()).toEqual(want.sort());
  });
});

describe('the runtime', () => {
  const graph = importGraph(RUNTIME);

  it('reads the imports (the check is not looking at nothing)', () => {
    expect(graph.get('local-server/product.ts')).toContain('local-server/card-store/index.ts');
    expect(graph.get('local-server/card-store/member-services.ts')).toEqual(['local-server/card-store/card-member.ts', 'local-server/card-store/store.ts']);
  });

  it('has no import circle', () => {
    expect(circles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('reaches the card store from the core only through the seam', () => {
    const crossing = [...graph].flatMap(([file, imports]) => (file.startsWith(STORE) ? [] : imports.filter((i) => i.startsWith(STORE)).map((i) => `${file} → ${i}`)));
    expect(crossing).toEqual([`${SEAM} → ${STORE}index.ts`]);
  });

  it('keeps the card store to itself: it imports no core module but leaf helpers', () => {
    // A store file that imported the core's server modules would let the store depend on what depends on it.
    const reached = [...graph].flatMap(([file, imports]) => (file.startsWith(STORE) ? imports.filter((i) => !i.startsWith(STORE)) : []));
    expect([...new Set(reached)]).toEqual(['local-server/time.ts']);
  });
});
