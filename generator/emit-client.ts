// The client files, written with ts-morph from the operation models (the
// data they load is emit-data.ts's):
//   schemas.ts    a named type for every component schema
//   operations.ts request/response types and one standalone function per
//                 operation, which loads its data (data/<operationId>.ts) on its
//                 first call. The documented errors go into the JSDoc, where
//                 people read them, not into every client's bundle.
//   client.ts     createClient(), binding the functions to one runtime in a loop (their docs carry over),
//                 and parseNotification when the spec has webhooks (see emit-notifications.ts)
//   index.ts      the package's entry point
import { printStructure, StructureKind, type JSDocStructure, type OptionalKind, type StatementStructures } from 'ts-morph';
import type { JsonObject, LoadedSpec } from './load.js';
import type { OperationModel } from './model.js';
import { globalTypes, notificationMetaName, notificationTypeName, pascal, typeName } from './names.js';
import { isObject } from './refs.js';
import { DATA_DIR, dataModules, literal } from './emit-data.js';
import { notificationsFile } from './emit-notifications.js';
import type { WebhookModel } from './webhooks.js';

// Each file is built as one list of statement structures and printed straight
// to text. Going through a SourceFile would make ts-morph parse the text it
// just wrote (a third of this step's time on a 300-operation spec), and adding
// statements one by one re-parses the growing file each time (36 s there).
type Statements = (string | StatementStructures)[];

/**
 * `runtime` is the one module specifier every generated file imports the
 * runtime through: the client package's `wechatpay-membercard/runtime` for a
 * user's project, `../runtime/index.js` for this repository's generated/.
 */
/** `clientName`: the client's type, named after the spec (names.ts `clientTypeName`). */
export function emitClient(spec: LoadedSpec, ops: OperationModel[], runtime: string, hooks: readonly WebhookModel[], clientName: string): Record<string, string> {
  const print = (statements: Statements) => printStructure({ kind: StructureKind.SourceFile, statements });
  return {
    'schemas.ts': print(schemas(spec.root)),
    'operations.ts': print(operations(ops, runtime)),
    'client.ts': print(client(ops, hooks, runtime, clientName)),
    'index.ts': print(index(spec.root, ops, hooks, runtime, clientName)),
    ...(hooks.length ? { 'notifications.ts': print(notificationsFile(hooks, runtime)) } : {}),
  };
}

function componentSchemas(root: JsonObject): JsonObject {
  return isObject(root['components']) && isObject(root['components']['schemas']) ? root['components']['schemas'] : {};
}

function schemas(root: JsonObject): Statements {
  const out: Statements = [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: './types.js', namedImports: ['components'], isTypeOnly: true }];
  for (const [name, schema] of Object.entries(componentSchemas(root))) {
    const description = isObject(schema) && typeof schema['description'] === 'string' ? schema['description'] : undefined;
    out.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: typeName(name),
      type: `components['schemas'][${q(name)}]`,
      docs: description ? [doc(description)] : [],
    });
  }
  return out;
}

function operations(ops: OperationModel[], runtime: string): Statements {
  const out: Statements = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['callOperation'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['CallOptions', 'Flat', 'Runtime'], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './types.js', namedImports: ['operations'], isTypeOnly: true },
  ];
  const named = [...new Set(ops.map((o) => o.responseSchema?.name).filter((n): n is string => !!n))].map(typeName);
  // A schema named like a global this file uses (Record, Promise, NonNullable) is
  // imported under its own name; the global is then reached through globalThis.
  const global = globalTypes(named);
  if (named.length) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: './schemas.js', namedImports: named, isTypeOnly: true });
  const modules = dataModules(ops);

  for (const op of ops) {
    const o = `operations[${q(op.operationId)}]`;
    const parts: string[] = [];
    if (op.params.some((p) => p.in === 'path')) parts.push(`${o}['parameters']['path']`);
    // openapi-typescript makes `query` (`header`) optional when every parameter in it is:
    // an interface cannot extend `T | undefined` (TS2312).
    for (const where of ['query', 'header'] as const) {
      const own = op.params.filter((p) => p.in === where);
      if (own.length === 0) continue;
      const part = `${o}['parameters']['${where}']`;
      parts.push(own.some((p) => p.required) ? part : `${global('NonNullable')}<${part}>`);
    }
    if (op.body) parts.push(`${global('NonNullable')}<${o}['requestBody']>['content']['application/json']`);
    const { Req, Res } = ioNames(op);
    // An interface, not an alias: editors then show the request by its name in
    // the client's method signatures instead of expanding every field.
    out.push({
      kind: StructureKind.Interface,
      isExported: true,
      name: Req,
      extends: [parts.length ? `Flat<${parts.join(' & ')}>` : `${global('Record')}<string, never>`],
      docs: [`The request of {@link ${op.operationId}}: path, query, header and body fields in one object, with their wire names.`],
    });
    out.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: Res,
      type: !op.responseSchema ? 'void' : (op.responseSchema.name !== undefined ? typeName(op.responseSchema.name) : undefined) ?? `${o}['responses'][${op.successStatus}]['content']['application/json']`,
      docs: [op.responseSchema ? `The verified ${op.successStatus} body of {@link ${op.operationId}}.` : `${op.operationId} answers ${op.successStatus} with no body.`],
    });
    // The data is imported by the first call: its import() is written out,
    // so a bundler makes it a chunk of its own, dropped with the function when
    // a program does not use it. A declaration, not a constant made by a
    // call: V8 only pre-parses the body until the first call.
    out.push({
      kind: StructureKind.Function,
      isExported: true,
      name: op.operationId,
      parameters: [
        { name: 'runtime', type: 'Runtime' },
        { name: 'request', type: Req },
        { name: 'options', type: 'CallOptions', hasQuestionToken: true },
      ],
      returnType: `${global('Promise')}<${Res}>`,
      statements: `return callOperation(runtime, ${op.operationId}, () => import(${literal(`./${DATA_DIR}/${modules.get(op.operationId)}.js`)}), request, options) as ${global('Promise')}<${Res}>;`,
      docs: [operationDoc(op)],
    });
  }
  out.push({
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: 'Operations',
    type: `{\n${ops.map((op) => `${op.operationId}: { request: ${ioNames(op).Req}; response: ${ioNames(op).Res} };`).join('\n')}\n}`,
    docs: ['The request and response type of every operation, by operationId: what tables keyed by operation (the local server\'s handlers) are typed with.'],
  });
  out.push({ kind: StructureKind.TypeAlias, isExported: true, name: 'OperationId', type: 'keyof Operations', docs: ['The operationId of every operation of the spec.'] });
  return out;
}

function client(ops: OperationModel[], hooks: readonly WebhookModel[], runtime: string, clientName: string): Statements {
  const notify = hooks.length > 0;
  const parseDoc = `/**
   * Verifies a notification WeChat Pay sent to your notify_url with this client's keys (signature, serial, timestamp), checks it against the spec, and decrypts its resource with \`apiV3Key\`.
   * Pass the headers and the raw body exactly as they arrived: a body already parsed as JSON cannot be verified.
   * Resolves to the notification, discriminated by \`event_type\`; rejects with a NotificationError naming the failed check.
   * To serve a notify_url, see createNotificationHandler.
   */`;
  const notifyImports: Statements = notify
    ? [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: './notifications.js', namedImports: [...hooks.map(notificationMetaName), 'type Notification'] }]
    : [];
  return [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: notify ? ['bindOperations', 'createRuntime', 'notificationParser'] : ['bindOperations', 'createRuntime'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: notify ? ['Bound', 'ClientConfig', 'NotificationParser'] : ['Bound', 'ClientConfig'], isTypeOnly: true },
    ...notifyImports,
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './operations.js', namespaceImport: 'operations' },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: clientName,
      // Mapped from the functions, so each method shows its function's documentation without a second copy here.
      type: `Bound<typeof operations> & {\n/** Frees the keep-alive sockets of the default transport. */\nclose(): void${notify ? `;\n${parseDoc}\nparseNotification: NotificationParser<Notification>` : ''} }`,
      docs: ['Every operation of the spec, bound to one configuration. Create it once and reuse it: keys are parsed and connections kept alive.'],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: 'createClient',
      parameters: [{ name: 'config', type: 'ClientConfig' }],
      returnType: clientName,
      docs: ['Parses the keys once (a bad key throws a ConfigError here) and returns the client.'],
      statements: [
        'const runtime = createRuntime(config);',
        // An object of the functions, not the module namespace: a bundler then makes no namespace object
        // (a getter per operation, paid at import), and this body is only pre-parsed until the client is made.
        `return Object.assign(bindOperations(runtime, { ${ops.map((o) => `${o.operationId}: operations.${o.operationId}`).join(', ')} }), {
        close: () => runtime.close(),${notify ? `\nparseNotification: notificationParser<Notification>(runtime.notificationKeys, [${hooks.map(notificationMetaName).join(', ')}]),` : ''}
      });`,
      ],
    },
  ];
}

// Every generated name is exported by name, and the runtime by `export *`
// last. An explicit export shadows a star export of the same name, so a spec
// whose schema or operation shares a name with the runtime (`Transport`, …)
// still compiles; two star exports would collide (TS2308).
function index(root: JsonObject, ops: OperationModel[], hooks: readonly WebhookModel[], runtime: string, clientName: string): Statements {
  const exp = (o: { moduleSpecifier: string; namedExports?: string[]; isTypeOnly?: boolean }): StatementStructures => ({ kind: StructureKind.ExportDeclaration, ...o });
  const schemaNames = Object.keys(componentSchemas(root)).map(typeName);
  return [
    exp({ moduleSpecifier: './client.js', namedExports: ['createClient', `type ${clientName}`] }),
    exp({ moduleSpecifier: './operations.js', namedExports: [...ops.flatMap((op) => [op.operationId, `type ${ioNames(op).Req}`, `type ${ioNames(op).Res}`]), 'type Operations', 'type OperationId'] }),
    ...(hooks.length ? [exp({ moduleSpecifier: './notifications.js', namedExports: [...hooks.map(notificationMetaName), 'type Notification', ...hooks.map((h) => `type ${notificationTypeName(h)}`)] })] : []),
    // Type-only modules are re-exported as types, so importing the client does not load them.
    ...(schemaNames.length ? [exp({ moduleSpecifier: './schemas.js', namedExports: schemaNames, isTypeOnly: true })] : []),
    exp({ moduleSpecifier: './types.js', namedExports: ['components', 'operations', 'paths'], isTypeOnly: true }),
    exp({ moduleSpecifier: runtime }),
  ];
}

function operationDoc(op: OperationModel): OptionalKind<JSDocStructure> {
  const lines: string[] = [];
  if (op.summary) lines.push(op.summary, '');
  if (op.description) lines.push(op.description.trim(), '');
  lines.push(`\`${op.method} ${op.path}\` → ${op.successStatus}${op.responseSchema ? '' : ' (no body)'}`);
  const encrypted = [...op.encryptedQuery, ...op.encrypted];
  if (encrypted.length) lines.push('', `Encrypted by the client before signing (pass plaintext): ${encrypted.map((p) => `\`${p}\``).join(', ')}.`);
  const { common, business } = op.errors;
  if (common.length || business.length) {
    lines.push('', 'Documented errors (HTTP status, code: description — remedy):');
    // The common errors read the same on every page: their codes are enough here.
    if (common.length) lines.push(`- the errors every API lists: ${common.map((e) => `${e.status} ${e.code}`).join(', ')}`);
    for (const e of business) lines.push(`- ${e.status} ${e.code}: ${e.description} — ${e.solution}`);
  }
  if (op.docTitle || op.docUpdated) lines.push('', `Doc page: ${op.docTitle ?? ''}${op.docUpdated ? `, updated ${op.docUpdated}` : ''}.`);
  const tags = [{ tagName: 'throws', text: '{ValidationError} before sending, if the request breaks a rule of the spec.' }];
  tags.push({ tagName: 'throws', text: '{ApiError} (ParamError, InvalidRequestError, SignError, SystemError, …) when WeChat answers non-2xx.' });
  tags.push({ tagName: 'throws', text: '{VerificationError} when a 2xx response fails signature, serial or timestamp checks, or is not JSON.' });
  tags.push({ tagName: 'throws', text: '{NetworkError} / {TimeoutError} when no complete response arrives.' });
  if (op.docUrl) tags.push({ tagName: 'see', text: `{@link ${op.docUrl}}` });
  return { description: safe(lines.join('\n')), tags };
}

function doc(text: string): OptionalKind<JSDocStructure> {
  return { description: safe(text.trim()) };
}

// A `*/` inside a description would end the comment early.
function safe(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

function ioNames(op: OperationModel): { Req: string; Res: string } {
  return { Req: `${pascal(op.operationId)}Request`, Res: `${pascal(op.operationId)}Response` };
}

function q(s: string): string {
  return JSON.stringify(s);
}
