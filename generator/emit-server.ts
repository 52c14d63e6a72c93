// local-server.ts: the binding between a generated client and the local
// WeChat Pay. It passes this spec's operations to the server core, with what
// only a server needs (the success response's rules and the spec's example of
// it), typed by the client's `Operations`, so handlers are checked against
// the spec by operationId. A file of its own: the client never loads it.
import { printStructure, StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import type { Json, LoadedSpec } from './load.js';
import type { OperationModel } from './model.js';
import { readExtension } from './extensions.js';
import { deref, isObject, lookup } from './refs.js';
import { RuleEmitter } from './rules.js';

/** `runtime`: the specifier the client files import the runtime through; the server core sits beside it. */
export function emitServer(spec: LoadedSpec, ops: OperationModel[], runtime: string): Record<string, string> {
  const server = localServerImport(runtime);
  // A named rule metadata.ts declares already (the request rules) is imported from there;
  // the server file declares only the rest. Names are the schemas', so the same name is the same rule.
  const inMetadata = new Set((ops[0]?.ruleDeclarations ?? []).map(ruleName));
  const rules = new RuleEmitter(spec);
  // The product's identity, which a copy of its paths in another spec does not carry.
  const store = readExtension(spec, spec.root, [], 'document', 'x-wechatpay-local-server');
  const entries = ops.map((op) => {
    const response = op.responseSchema ? rules.rule(named(op.responseSchema.at) ?? op.responseSchema.schema, op.responseSchema.at).text : 'null';
    const example = responseExample(spec, op);
    return `{ meta: ${op.operationId}Meta, response: ${response}${example === undefined ? '' : `, example: ${JSON.stringify(example)}`}${store ? `, store: '${store}'` : ''} }`;
  });
  const own = rules.declarations.filter((d) => !inMetadata.has(ruleName(d)));
  // Names may hold `$` (a schema `$x` has the rule `$xRule`), which \w and \b do not count.
  const used = [...new Set([...own, ...entries].join('\n').match(/(?<![\w$])[\w$]+Rule(?![\w$])/g) ?? [])].filter((n) => inMetadata.has(n));
  const statements: (string | StatementStructures)[] = [
    ...(own.length ? [ruleImport(runtime)] : []),
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: server, namedImports: ['startLocalServer'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: server, namedImports: ['LocalWechatPay', 'LocalWechatPayOptions', 'ServedOperation'], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './metadata.js', namedImports: [...ops.map((op) => `${op.operationId}Meta`), ...used] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './operations.js', namedImports: ['Operations'], isTypeOnly: true },
    // The core's types, faults and card store, so this module is the one import a test needs.
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: server },
    ...(own.length ? ['// Validation rules of the success responses: the server checks every body it sends against them.', ...own] : []),
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['Every operation of the spec, as the local WeChat Pay serves it.'],
      declarations: [{ name: 'operations', type: 'readonly ServedOperation[]', initializer: `[${entries.join(',\n')}]` }],
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

// A component schema is referenced, so its rule is declared once and shared.
function named(at: (string | number)[]): Json | undefined {
  return at.length === 3 && at[0] === 'components' && at[1] === 'schemas' ? { $ref: `#/components/schemas/${String(at[2])}` } : undefined;
}

function ruleImport(runtime: string): StatementStructures {
  return { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['Rule'], isTypeOnly: true };
}

function ruleName(declaration: string): string {
  return /^const ([\w$]+)/.exec(declaration)![1]!;
}

/** The server core's specifier: `…/runtime` → `…/local-server` (the package), `…/runtime/index.js` → `…/runtime/local-server/index.js` (a source tree). */
export function localServerImport(runtime: string): string {
  if (/\/index\.js$/.test(runtime)) return runtime.replace(/index\.js$/, 'local-server/index.js');
  if (/\/runtime$/.test(runtime)) return runtime.replace(/runtime$/, 'local-server');
  return `${runtime}/local-server`;
}

/**
 * The spec's example of the success response: the media type's `example`, else
 * its first `examples` entry's `value`, else the schema's `example` or first `examples` item.
 */
function responseExample(spec: LoadedSpec, op: OperationModel): Json | undefined {
  const operation = lookup(spec.root, op.at.map(String));
  const response = isObject(operation) && isObject(operation['responses']) ? deref(spec.root, operation['responses'][String(op.successStatus)], []).node : undefined;
  const media = isObject(response) && isObject(response['content']) ? response['content']['application/json'] : undefined;
  if (!isObject(media)) return undefined;
  if (media['example'] !== undefined) return media['example'];
  if (isObject(media['examples'])) {
    const first = Object.values(media['examples'])[0];
    const entry = deref(spec.root, first, []).node;
    if (isObject(entry) && entry['value'] !== undefined) return entry['value'];
  }
  const schema = deref(spec.root, media['schema'], []).node;
  if (isObject(schema)) {
    if (schema['example'] !== undefined) return schema['example'];
    if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  }
  return undefined;
}
