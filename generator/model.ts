// The operations of the spec, read into plain data that the emitters use,
// with every consistency check that can name a line of the spec.
import type { Json, JsonObject, LoadedSpec } from './load.js';
import { mergeAllOf } from './all-of.js';
import { checkExtensions, readExtension, type ErrorEntry } from './extensions.js';
import { checkKeywords, schemaType } from './keywords.js';
import { checkExports, checkOperationId, clientTypeName, objectMemberProblem } from './names.js';
import { checkRefs, deref, isObject, lookup, reach, touches } from './refs.js';
import { RuleEmitter, type RuleJson } from './rules.js';
import { Problems } from './spec-error.js';
import { readWebhooks, type WebhookModel } from './webhooks.js';

export const ENCRYPTION_MARKER = 'x-wechatpay-encryption';
/** The methods an operation may have (WeChat Pay APIv3 uses no others). */
export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export type At = (string | number)[];

/** Header parameters the runtime (call.ts) or the HTTP stack sets itself; any other header parameter is the caller's to pass. */
export const RUNTIME_HEADERS = ['authorization', 'accept', 'content-type', 'user-agent', 'wechatpay-serial', 'content-length', 'host', 'connection', 'transfer-encoding'];
// Parameter object keys the generator reads or that only describe; `style`, `explode`, `content`… would change how a value travels.
const PARAMETER_KEYS = ['name', 'in', 'required', 'schema', 'description', 'example', 'examples', 'deprecated', '$ref'];

export interface ParamModel {
  name: string;
  /** A `header` here is one the caller passes (not one of RUNTIME_HEADERS). */
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
  schemaAt: At;
}

/** A header parameter: the runtime sends it; the audit compares it with the page. */
export interface HeaderModel {
  name: string;
  required: boolean;
  schema: Json;
  /** Where the parameter object is written. */
  at: At;
}

/** A documented error; `deviation` is the page's own spelling of the code, when the spec deliberately differs. */
export type ErrorDocModel = ErrorEntry;

export interface OperationModel {
  operationId: string;
  /** Where the operation is written (`paths`, path, method). */
  at: At;
  method: Uppercase<(typeof METHODS)[number]>;
  path: string;
  summary: string | undefined;
  description: string | undefined;
  docUrl: string | undefined;
  docTitle: string | undefined;
  docUpdated: string | undefined;
  params: ParamModel[];
  headers: HeaderModel[];
  body: { schema: JsonObject; at: At; names: string[]; required: string[] } | null;
  successStatus: number;
  /** Name of the component schema of the success body, or null for no body. */
  responseSchema: { name: string | undefined; schema: Json; at: At } | null;
  /** The validation rule of the flat request object (a runtime `Rule` as JSON, shared rules referenced by name). */
  requestRule: RuleJson;
  /** The rules of the named schemas the request rules use, by name; one map shared by every operation of the spec. */
  sharedRules: ReadonlyMap<string, RuleJson>;
  /** Body field paths marked for encryption (read in the same walk as requestRule). */
  encrypted: string[];
  /** Query parameters marked for encryption. */
  encryptedQuery: string[];
  responseEncrypted: string[];
  wechatpaySerialRequired: boolean;
  /** Documented errors as the spec groups them; `common` is usually one list shared by every operation. */
  errors: { common: ErrorDocModel[]; business: ErrorDocModel[] };
}

/** What the emitters read: the spec's operations and webhooks, every check done. */
export interface SpecModel {
  ops: OperationModel[];
  hooks: WebhookModel[];
  /** The generated client's type (names.ts `clientTypeName`). */
  clientName: string;
}

export interface ReadOptions {
  /**
   * The client to be generated; its type's name is the given one
   * (GenerateOptions.clientName) or made from info.title. Without it (the
   * audit, which generates nothing) no client name is made or claimed.
   */
  client?: { name: string | undefined };
}

/**
 * Reads and checks the whole spec, each part on its own: every refusal goes
 * to `problems` (the models of the parts with none are returned). Parts are,
 * in order: each reference to another file (load.ts) and inside the
 * document, each vendor extension, each schema object's keywords, each
 * operation, each webhook, each generated name.
 */
export function readModel(spec: LoadedSpec, problems: Problems, options: ReadOptions = {}): SpecModel {
  // Those of the parts still in the document (skip.ts deletes refused parts and reads it again).
  const loaded = spec.refusals.filter((e) => !e.at || lookup(spec.root, e.at.map(String)) !== undefined);
  loaded.forEach((e) => problems.add(e));
  // A part that stands on a reference that could not be followed is not read
  // further: its reference is its refusal, and reading the rest would only
  // trip over the hole.
  const broken = [...loaded.flatMap((e) => (e.at ? [e.at] : [])), ...checkRefs(spec, problems)];
  const readable = (from: At[]) => broken.length === 0 || !broken.some((b) => touches(b, reach(spec.root, from)));
  checkExtensions(spec, problems);
  checkKeywords(spec, problems);
  mergeAllOf(spec, problems);
  const ops = readAllOperations(spec, problems, readable);
  const hooks = readWebhooks(spec, problems, readable);
  const clientName = options.client && problems.run(() => clientTypeName(spec, options.client!.name));
  const components = spec.root['components'];
  checkExports(spec, clientName, ops, isObject(components) && isObject(components['schemas']) ? Object.keys(components['schemas']) : [], hooks, problems);
  // '' only beside the refusal of the title, so never emitted.
  return { ops, hooks, clientName: clientName ?? '' };
}

/** The operations of a spec with no refusal; otherwise throws a SpecError that lists every one (for the audit, which reads a spec as generate would). */
export function readOperations(spec: LoadedSpec): OperationModel[] {
  const problems = new Problems();
  const { ops } = readModel(spec, problems);
  problems.throwIfAny();
  return ops;
}

function readAllOperations(spec: LoadedSpec, problems: Problems, readable: (from: At[]) => boolean): OperationModel[] {
  const rules = { request: new RuleEmitter(spec), response: new RuleEmitter(spec) };
  const paths = spec.root['paths'];
  if (!isObject(paths)) {
    problems.add(spec.error(['paths'], 'the spec has no `paths` mapping'));
    return [];
  }
  const seen = new Map<string, At>();
  const out: OperationModel[] = [];
  let found = 0;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      found++;
      const at: At = ['paths', path, method];
      if (!readable([at, ['paths', path, 'parameters']])) continue;
      const model = problems.run(() => {
        const id = checkOperationId(spec, op['operationId'], [...at, 'operationId'], `${method.toUpperCase()} ${path}`);
        const earlier = seen.get(id);
        if (earlier) throw spec.error([...at, 'operationId'], `duplicate operationId ${id}: also used at line ${spec.lineOf([...earlier, 'operationId'])}`);
        seen.set(id, at);
        return readOperation(spec, path, method, op, at, id, rules, item);
      });
      if (model) out.push(model);
    }
  }
  // A path item whose reference failed is refused already, and empty.
  if (found === 0 && readable([['paths']])) problems.add(spec.error(['paths'], 'the spec defines no operations'));
  return out;
}

function readOperation(spec: LoadedSpec, path: string, method: (typeof METHODS)[number], op: JsonObject, at: At, operationId: string, rules: { request: RuleEmitter; response: RuleEmitter }, item: JsonObject): OperationModel {
  const root = spec.root;
  const params: ParamModel[] = [];
  const headers: HeaderModel[] = [];
  for (const { node, at: pAt } of mergedParameters(spec, item, op, at)) {
    const name = node['name'] as string;
    const where = node['in'] as string;
    const schemaAt = [...pAt, 'schema'];
    const required = where === 'path' || node['required'] === true;
    if (where === 'header') {
      headers.push({ name, required, schema: node['schema'] ?? {}, at: pAt });
      if (RUNTIME_HEADERS.includes(name.toLowerCase())) continue;
    }
    const schema = deref(root, node['schema'], schemaAt).node;
    const type = isObject(schema) ? schema['type'] : undefined;
    if (!['string', 'integer', 'number', 'boolean'].includes(Array.isArray(type) ? String(type.find((t) => t !== 'null')) : String(type))) {
      throw spec.error(schemaAt, `${where} parameter ${name} needs a schema of type string, integer, number or boolean (how other values travel is not supported)`);
    }
    // A parameter travels as text, where null has no spelling: the client would send "null", which the server reads as a string.
    if (isObject(schema) && schemaType(schema)?.nullable) {
      throw spec.error(schemaAt, `${where} parameter ${name} is nullable, but a parameter travels as text and null has no spelling there; leave the parameter out instead (make it optional)`);
    }
    params.push({ name, in: where as ParamModel['in'], required, schema: node['schema']!, schemaAt });
  }

  const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const name of templateNames) {
    if (!params.some((p) => p.in === 'path' && p.name === name)) throw spec.error([...at, 'parameters'], `path ${path} has {${name}} but no path parameter named ${name}`);
  }
  for (const p of params) {
    if (p.in === 'path' && !templateNames.includes(p.name)) throw spec.error(p.schemaAt, `path parameter ${p.name} does not appear in ${path}`);
  }

  let body: OperationModel['body'] = null;
  if (op['requestBody'] !== undefined) {
    const { node: rb, at: rbAt } = deref(root, op['requestBody'], [...at, 'requestBody']);
    const content = isObject(rb) && isObject(rb['content']) ? rb['content'] : {};
    const media = content['application/json'];
    if (!isObject(media)) throw spec.error(rbAt, `${operationId}: the request body must have application/json content${bodyKindReason(Object.keys(content))}`);
    const { node: schema, at: sAt } = deref(root, media['schema'], [...rbAt, 'content', 'application/json', 'schema']);
    if (!isObject(schema) || !isObject(schema['properties'])) throw spec.error(sAt, `${operationId}: the request body schema must be an object with properties`);
    body = {
      schema,
      at: sAt,
      names: Object.keys(schema['properties']),
      required: Array.isArray(schema['required']) ? schema['required'].map(String) : [],
    };
  }

  // The caller passes one flat object, so every name must be unique across path, query and body.
  const owner = new Map<string, string>();
  const fields: [string, string, At][] = [
    ...params.map((p): [string, string, At] => [p.name, p.in, p.schemaAt.slice(0, -1)]),
    ...(body?.names ?? []).map((n): [string, string, At] => [n, 'body', [...body!.at, 'properties', n]]),
  ];
  for (const [name, where, fieldAt] of fields) {
    const other = owner.get(name);
    if (other) throw spec.error(fieldAt, `${operationId}: field ${name} is both a ${other} and a ${where} field; the flat request object cannot hold both`);
    owner.set(name, where);
  }

  const responses = isObject(op['responses']) ? op['responses'] : {};
  const success = Object.keys(responses).filter((s) => /^2\d\d$/.test(s));
  if (success.length !== 1) throw spec.error([...at, 'responses'], `${operationId} must document exactly one 2xx response, found ${success.length}`);
  const successStatus = Number(success[0]);
  const { node: resp, at: respAt } = deref(root, responses[success[0]!], [...at, 'responses', success[0]!]);
  let responseSchema: OperationModel['responseSchema'] = null;
  const respContent = isObject(resp) && isObject(resp['content']) ? resp['content'] : undefined;
  if (respContent) {
    // HTTP gives these no content (RFC 9110 15.3.5, 15.3.6): the client would wait for a body never sent and the
    // server would sign one it does not send. Refused rather than ignored, so the spec says what the wire does.
    if (successStatus === 204 || successStatus === 205) throw spec.error(respAt, `${operationId}: a ${successStatus} response has no content (RFC 9110), but the spec gives it some: remove its content, or document the answer as 200`);
    const media = respContent['application/json'];
    if (!isObject(media) || media['schema'] === undefined) throw spec.error(respAt, `${operationId}: the ${successStatus} response must have application/json content with a schema${bodyKindReason(Object.keys(respContent))}`);
    const target = deref(root, media['schema'], [...respAt, 'content', 'application/json', 'schema']);
    responseSchema = { name: target.name, schema: target.node ?? {}, at: target.at };
  }

  const wechatpaySerialRequired = headers.some((h) => h.name.toLowerCase() === 'wechatpay-serial' && h.required);
  const bodyProps = (body?.schema['properties'] ?? {}) as JsonObject;
  const request = rules.request.object(
    [...params.map((p) => ({ name: p.name, schema: p.schema, at: p.schemaAt })), ...(body?.names ?? []).map((n) => ({ name: n, schema: bodyProps[n]!, at: [...body!.at, 'properties', n] }))],
    [...params.filter((p) => p.required).map((p) => p.name), ...(body?.required ?? [])],
  );
  // Query parameters may be encrypted as body fields are (WeChat's guide search by mobile number); a path
  // segment or a header of ciphertext WeChat never asks for.
  const encryptedParam = params.find((p) => p.in !== 'query' && request.encrypted.includes(p.name));
  if (encryptedParam) throw spec.error(encryptedParam.schemaAt, `${operationId}: ${encryptedParam.in} parameter ${encryptedParam.name} is marked for encryption; only body fields and query parameters can be encrypted`);
  const encryptedQuery = params.filter((p) => p.in === 'query' && request.encrypted.includes(p.name)).map((p) => p.name);
  const encrypted = request.encrypted.filter((path) => !encryptedQuery.includes(path));
  if (request.encrypted.length > 0 && !wechatpaySerialRequired) {
    throw spec.error([...at, 'parameters'], `${operationId}: the request has encrypted fields (${request.encrypted.join(', ')}), so the operation must declare the Wechatpay-Serial header as required`);
  }

  const doc = readExtension(spec, op, at, 'operation', 'x-wechatpay-doc') ?? { title: undefined, updated: undefined };
  const ext = isObject(op['externalDocs']) ? op['externalDocs'] : {};
  return {
    operationId,
    at,
    method: method.toUpperCase() as OperationModel['method'],
    path,
    summary: str(op['summary']),
    description: str(op['description']),
    docUrl: str(ext['url']),
    docTitle: doc.title,
    docUpdated: doc.updated,
    params,
    headers,
    body,
    successStatus,
    responseSchema,
    requestRule: request.rule,
    sharedRules: rules.request.shared,
    encrypted,
    encryptedQuery,
    responseEncrypted: responseSchema ? rules.response.rule(responseSchema.schema, responseSchema.at).encrypted : [],
    wechatpaySerialRequired,
    errors: readExtension(spec, op, at, 'operation', 'x-wechatpay-errors') ?? { common: [], business: [] },
  };
}

/**
 * The parameters of an operation by the OpenAPI rules: the path item's, then
 * the operation's; an operation parameter replaces the path item's of the
 * same name and location. Each checked: a name, a supported location, only
 * keys that the generator honours, and no name twice in one list.
 */
function mergedParameters(spec: LoadedSpec, item: JsonObject, op: JsonObject, opAt: At): { node: JsonObject; at: At }[] {
  const read = (list: Json | undefined, listAt: At) => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw spec.error(listAt, '`parameters` must be a list');
    const seen = new Set<string>();
    return list.map((raw, i) => {
      const { node, at } = deref(spec.root, raw, [...listAt, i]);
      if (!isObject(node) || typeof node['name'] !== 'string' || node['name'] === '') throw spec.error(at, 'a parameter needs a `name`');
      const where = node['in'];
      if (where !== 'path' && where !== 'query' && where !== 'header') throw spec.error([...at, 'in'], `parameter ${node['name']}: \`in: ${String(where)}\` is not supported (path, query and header are)`);
      const extra = Object.keys(node).find((k) => !k.startsWith('x-') && !PARAMETER_KEYS.includes(k));
      if (extra !== undefined) throw spec.error([...at, extra], `parameter ${node['name']}: \`${extra}\` is not supported (a parameter has ${PARAMETER_KEYS.slice(0, -1).join(', ')}); values travel as plain strings`);
      if (node['schema'] === undefined) throw spec.error(at, `parameter ${node['name']} needs a \`schema\``);
      const inherited = objectMemberProblem('parameter', node['name']);
      if (inherited) throw spec.error([...at, 'name'], inherited);
      const key = `${where}:${where === 'header' ? node['name'].toLowerCase() : node['name']}`;
      if (seen.has(key)) throw spec.error(at, `parameter ${node['name']} (in ${where}) is listed twice`);
      seen.add(key);
      return { node, at, key };
    });
  };
  const pathAt = opAt.slice(0, -1);
  const own = read(op['parameters'], [...opAt, 'parameters']);
  const inherited = read(item['parameters'], [...pathAt, 'parameters']).filter((p) => !own.some((o) => o.key === p.key));
  return [...inherited, ...own];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Why a body of another kind is refused: the runtime signs, validates and verifies JSON only. */
function bodyKindReason(types: string[]): string {
  if (types.some((t) => t.startsWith('multipart/'))) return ' (a multipart body, as for a file upload, is not supported: APIv3 signs its JSON `meta` part, which the runtime does not build, and the validator cannot see the file)';
  if (types.some((t) => t.includes('xml'))) return ' (an XML body is APIv2, not APIv3: the runtime signs and validates JSON only)';
  if (types.some((t) => !t.includes('json'))) return ` (${types[0]} is not supported: the runtime signs, validates and verifies JSON only)`;
  return '';
}
