// local-server.ts: the binding between a generated client and the local
// WeChat Pay. It passes this spec's operations to the server core (their data
// modules, which also hold what only a server needs: the success response's
// rule and the spec's example of it), typed by the client's `Operations`, so
// handlers are checked against the spec by operationId. A file of its own:
// the client never loads it. It loads every operation's data at once.
import { printStructure, StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import { DATA_DIR, dataModules } from './emit-data.js';
import type { LoadedSpec } from './load.js';
import type { OperationModel } from './model.js';
import { readExtension } from './extensions.js';

/** `runtime`: the specifier the client files import the runtime through; the server core sits beside it. */
export function emitServer(spec: LoadedSpec, ops: OperationModel[], runtime: string): Record<string, string> {
  const server = localServerImport(runtime);
  // The product's identity, which a copy of its paths in another spec does not carry.
  const store = readExtension(spec, spec.root, [], 'document', 'x-wechatpay-local-server');
  const modules = dataModules(ops);
  // `…Data`: no other name of this file ends so, and operationIds are unique.
  const data = (op: OperationModel) => `${op.operationId}Data`;
  const statements: (string | StatementStructures)[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: server, namedImports: ['servedOperations', 'startLocalServer'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: server, namedImports: ['LocalWechatPay', 'LocalWechatPayOptions', 'ServedOperation'], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './operations.js', namedImports: ['Operations'], isTypeOnly: true },
    ...ops.map((op): StatementStructures => ({ kind: StructureKind.ImportDeclaration, moduleSpecifier: `./${DATA_DIR}/${modules.get(op.operationId)}.js`, namespaceImport: data(op) })),
    // The core's types, faults and card store, so this module is the one import a test needs.
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: server },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Every operation of the spec, as the local WeChat Pay serves it.'],
      declarations: [{ name: 'operations', type: 'readonly ServedOperation[]', initializer: `servedOperations([${ops.map(data).join(', ')}]${store ? `, '${store}'` : ''})` }],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: 'startLocalWechatPay',
      parameters: [{ name: 'options', type: 'LocalWechatPayOptions<Operations>', initializer: '{}' }],
      returnType: 'Promise<LocalWechatPay>',
      docs: [
        {
          description:
            'Starts the local WeChat Pay for this spec on 127.0.0.1. Each operation is answered by its handler in `options.handlers` (keyed by operationId, typed by the spec),\n' +
            "else by the product's card store for its membership-card endpoints (in the product's spec, or with `cardStore: true`), else by the example of its success response in the spec, else by a body synthesized from the response schema.",
        },
      ],
      statements: 'return startLocalServer<Operations>(operations, options);',
    },
  ];
  return { 'local-server.ts': printStructure({ kind: StructureKind.SourceFile, statements }) };
}

/** The server core's specifier: `…/runtime` → `…/local-server` (the package), `…/runtime/index.js` → `…/runtime/local-server/index.js` (a source tree). */
export function localServerImport(runtime: string): string {
  if (/\/index\.js$/.test(runtime)) return runtime.replace(/index\.js$/, 'local-server/index.js');
  if (/\/runtime$/.test(runtime)) return runtime.replace(/runtime$/, 'local-server');
  return `${runtime}/local-server`;
}
