// The CommonJS build: rollup rewrites esbuild's ES module bundles (dist/bundle)
// file for file into CommonJS (dist/cjs). esbuild bundles once; this only
// changes the module format, so both formats load the same chunks.
//
// Why not esbuild's own CommonJS output: it exports every name through a getter
// (__export, then __toCommonJS, then __reExport for the runtime: three closures
// and property definitions per name), paid at each require; it was about 1 ms
// of the CommonJS import (bench/import). Rollup writes `exports.name = name`.
// It is @rollup/wasm-node: the native rollup's platform packages did not all
// reach the lockfile, and `npm ci` refused it.
import { builtinModules } from 'node:module';

const builtin = new Set(builtinModules);
const external = (id) => id.startsWith('node:') || builtin.has(id);

const output = {
  dir: 'dist/cjs',
  format: 'cjs',
  // esbuild's chunk names already carry a content hash.
  chunkFileNames: 'chunks/[name].js',
  generatedCode: { preset: 'es2015', symbols: false },
  // No default exports anywhere: named exports only, no interop helpers.
  exports: 'named',
  interop: 'default',
  esModule: false,
};

export default [
  // The client and its runtime: one copy of the runtime behind both entries (errors are the same classes).
  { input: { 'generated/index': 'dist/bundle/client.js', 'runtime/index': 'dist/bundle/runtime.js' }, external, treeshake: false, output },
  // The local server, bundled apart as in the ES module build, so the client's entries load none of its code.
  { input: { 'generated/local-server': 'dist/bundle/local-server.js' }, external, treeshake: false, output },
];
