// The data files of a client: what the runtime reads at run time, as JSON
// text in string literals (runtime/operation.ts reads it):
//   rules.ts             the rules of the spec's named schemas, each once, by
//                        schema name: request, response and notification rules
//                        name them as { "$ref": name }
//   data/<operation>.ts  one module per operation, loaded by its first call
//                        (operations.ts) and by the local server:
//                        `meta` (OperationMeta), the success response's rule
//                        and the spec's example of it (the local server's)
// Written as final text: there is nothing for a formatter to do, and the
// files are most of the output of a large spec.
import type { Json, LoadedSpec } from './load.js';
import type { OperationModel } from './model.js';
import { deref, isObject, lookup } from './refs.js';
import { RuleEmitter } from './rules.js';
import type { WebhookModel } from './webhooks.js';

/** The folder of the operations' data modules, in the output folder. */
export const DATA_DIR = 'data';

/** `header`: the do-not-edit line each file starts with. */
export function emitData(spec: LoadedSpec, ops: OperationModel[], hooks: readonly WebhookModel[], runtime: string, header: string): Record<string, string> {
  const rules = new RuleEmitter(spec);
  const responses = ops.map((op) => (op.responseSchema ? rules.rule(named(op.responseSchema.at) ?? op.responseSchema.schema, op.responseSchema.at).rule : undefined));
  for (const hook of hooks) {
    for (const { name, at } of [hook.envelope, hook.resource]) {
      const r = rules.rule({ $ref: `#/components/schemas/${name}` }, at);
      // Notification data is decrypted as a whole with the APIv3 key; RSA-marked fields inside it would never be decrypted.
      if (r.encrypted.length) throw spec.error(at, `${name} is notification data and cannot mark fields with x-wechatpay-encryption (${r.encrypted.join(', ')})`);
    }
  }
  // The request rules' shared rules (read with the operations) and the rest; a name is one schema, so one rule.
  const shared = new Map([...(ops[0]?.sharedRules ?? []), ...rules.shared]);
  const files: Record<string, string> = {
    'rules.ts':
      `${header}import type { SharedRules } from ${literal(runtime)};\n` +
      "/** The rules of the spec's named schemas, each as JSON by schema name; the other rules name them as { \"$ref\": name }. */\n" +
      `export const rules: SharedRules = {\n${[...shared.keys()]
        .sort()
        .map((name) => `  ${literal(name)}: ${literal(JSON.stringify(shared.get(name)))},\n`)
        .join('')}};\n`,
  };
  const modules = dataModules(ops);
  ops.forEach((op, i) => {
    const response = responses[i];
    const example = responseExample(spec, op);
    files[`${DATA_DIR}/${modules.get(op.operationId)}.ts`] =
      `${header}// What the runtime needs to call ${op.operationId}${response || example !== undefined ? ', and what the local server answers with' : ''}: JSON, read by the runtime's readOperation.\n` +
      "export { rules } from '../rules.js';\n" +
      `export const meta: string = ${literal(JSON.stringify(operationMeta(op)))};\n` +
      (response ? `export const response: string = ${literal(JSON.stringify(response))};\n` : '') +
      (example === undefined ? '' : `export const example: string = ${literal(JSON.stringify(example))};\n`);
  });
  return files;
}

/**
 * The module name of each operation's data: its operationId, with `.2`, `.3`
 * after one whose name differs from an earlier one's only in case (a
 * case-insensitive file system would hold them as one file).
 */
export function dataModules(ops: readonly OperationModel[]): Map<string, string> {
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const op of ops) {
    let name = op.operationId;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${op.operationId}.${n}`;
    taken.add(name.toLowerCase());
    names.set(op.operationId, name);
  }
  return names;
}

/** The runtime's OperationMeta of an operation, as JSON (keys in the order of its interface). */
function operationMeta(op: OperationModel): Record<string, Json> {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    pathParams: op.params.filter((p) => p.in === 'path').map((p) => p.name),
    queryParams: op.params.filter((p) => p.in === 'query').map((p) => p.name),
    headerParams: op.params.filter((p) => p.in === 'header').map((p) => p.name),
    bodyParams: op.body ? op.body.names : null,
    request: op.requestRule,
    encrypted: op.encrypted,
    ...(op.encryptedQuery.length ? { encryptedQuery: op.encryptedQuery } : {}),
    responseEncrypted: op.responseEncrypted,
    successStatus: op.successStatus,
    responseBody: op.responseSchema !== null,
    wechatpaySerialRequired: op.wechatpaySerialRequired,
  };
}

/** A JavaScript string literal of `text`: single quotes, as the formatted files write them. */
export function literal(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

// A component schema is referenced, so its rule is shared.
function named(at: (string | number)[]): Json | undefined {
  return at.length === 3 && at[0] === 'components' && at[1] === 'schemas' ? { $ref: `#/components/schemas/${String(at[2])}` } : undefined;
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
