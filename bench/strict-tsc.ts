// The compiler options the benches type-check a generated client with: the
// strict set the generator promises every accepted spec compiles under
// (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck
// false), for a tsconfig.json written outside the repository's own.
import path from 'node:path';

export function strictTscOptions(root: string): Record<string, unknown> {
  return {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules/@types')],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  };
}
