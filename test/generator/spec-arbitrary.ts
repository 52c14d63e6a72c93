// Small OpenAPI specs made by fast-check, for the property "everything the
// generator accepts compiles". Each draws from pools of names chosen to hit
// what generated code can trip on: reserved words, the globals and runtime
// imports the generated modules use, names the generator declares itself,
// characters that are not identifier characters, non-ASCII; and from every
// shape of request the generator accepts: path, query and header parameters
// each required or not, bodies with nested objects, arrays, shared schemas,
// allOf, enums with awkward values, nullable fields, encrypted fields,
// responses with and without a body, webhooks. Many draws are refused (a name
// twice, a reserved operationId): the property only speaks of the accepted ones.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Names that are identifiers but mean something to JavaScript, TypeScript or the generated code. */
const LOADED = [
  'delete', 'class', 'default', 'enum', 'new', 'prototype', 'length', 'name',
  'Record', 'Promise', 'NonNullable', 'Array', 'Object', 'String', 'Number', 'Error', 'Map', 'Symbol', 'JSON', 'Date', 'Buffer', 'globalThis', 'undefined', 'any', 'never',
  'Flat', 'Rule', 'Runtime', 'CallOptions', 'OperationMeta', 'Bound', 'ClientConfig', 'createRuntime', 'callOperation', 'bindOperations', 'defineNotification', 'SharedRules', 'rules', 'servedOperations',
  'components', 'operations', 'paths', 'webhooks', '$defs', 'Operations', 'OperationId', 'createClient', 'MembercardClient', 'Notification',
  'startLocalServer', 'startLocalWechatPay', 'ServedOperation', 'LocalWechatPay', 'close', 'request', 'options', 'runtime',
];
/** Names that are not identifiers as they stand. */
const ODD = ['user-info.v2', '1st', 'a b', '$x', '_', '中文', 'a/b', 'x~y', 'Ünïcode', 'a"b', "it's", 'back\\slash', '*/', '${x}'];
const PLAIN = ['thing', 'Thing', 'shop', 'Member', 'card_id', 'Info', 'out_request_no', 'appid', 'Detail', 'amount', 'payer', 'scene_info'];
/** Refused as field and schema names (names.ts OBJECT_MEMBERS): drawn now and then to keep them refused, not crashing. */
const INHERITED = ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'];

const anyName = fc.oneof(
  { weight: 80, arbitrary: fc.constantFrom(...PLAIN) },
  { weight: 12, arbitrary: fc.constantFrom(...LOADED) },
  { weight: 15, arbitrary: fc.constantFrom(...ODD) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED) },
);
const identifier = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PLAIN, 'getThing', 'listThings', 'addThing') }, { weight: 1, arbitrary: fc.constantFrom(...LOADED) });
/** Enum values: quotes, comment ends, template syntax, backslashes, non-ASCII. */
const enumValue = fc.constantFrom('ON', "it's", 'say "hi"', '*/', '${x}', 'back\\slash', '中文', '', ' ', 'a\nb');

const scalar: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ type: fc.constant('string') }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), maxLength: fc.integer({ min: 1, max: 64 }), minLength: fc.constant(1) }, { requiredKeys: ['type'] }),
  fc.uniqueArray(enumValue, { minLength: 1, maxLength: 3 }).map((e): Obj => ({ type: 'string', enum: e })),
  fc.constantFrom<Obj>(
    { type: 'string', format: 'date-time' },
    { type: 'string', pattern: '^[0-9]{6}$' },
    { type: 'integer', minimum: 0, maximum: 100 },
    { type: 'integer', format: 'int32' },
    { type: 'integer', format: 'int64' },
    { type: 'integer', enum: [1, 2, 3] },
    { type: 'number', format: 'double' },
    { type: 'number', enum: [0.5, -1] },
    { type: 'boolean' },
    { type: 'boolean', enum: [true] },
    { type: ['string', 'null'] },
    { type: 'integer', nullable: true },
    { description: 'anything' },
  ),
);

const queryScalar = scalar.filter((s) => typeof s['type'] === 'string' && s['nullable'] === undefined);

/** A schema at most `depth` levels deep; `refs` are the component names it may point to. */
function schema(depth: number, refs: readonly string[]): fc.Arbitrary<Obj> {
  const leaf = refs.length ? fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.constantFrom(...refs).map((r): Obj => ({ $ref: ref(r) })) }) : scalar;
  if (depth === 0) return leaf;
  const inner = schema(depth - 1, refs);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: object(inner) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('array'), items: inner, maxItems: fc.constant(5) }, { requiredKeys: ['type', 'items'] }) },
  );
}

function object(prop: fc.Arbitrary<Obj>): fc.Arbitrary<Obj> {
  return fc.dictionary(anyName, prop, { minKeys: 1, maxKeys: 4 }).chain((properties) =>
    fc.subarray(Object.keys(properties)).map((required): Obj => ({ type: 'object', properties, ...(required.length ? { required } : {}) })),
  );
}

const ENCRYPTED: Obj = { type: 'string', 'x-wechatpay-encryption': 'rsa-oaep-sha1' };


/** One small spec: up to three component schemas, one to three operations, maybe a webhook. */
export const specArbitrary: fc.Arbitrary<Obj> = fc.uniqueArray(anyName, { minLength: 0, maxLength: 3 }).chain((names) => {
  const components = fc.tuple(...names.map((_, i) => schema(1, names.slice(0, i)))).map((list) => Object.fromEntries(names.map((n, i) => [n, list[i]!])));
  const operation = fc.record({
    path: fc.constantFrom('/v1/things', '/v1/things/{id}', '/v1/{shop-id}/x/{id}'),
    method: fc.constantFrom('get', 'post', 'patch', 'delete'),
    operationId: identifier,
    // Names of their own (a query and a body field of one name are refused), scalars that can travel in a URL.
    query: fc.uniqueArray(fc.tuple(fc.constantFrom('limit', 'offset', 'q', 'a b', '中文', '$x', 'class', 'Record', 'it\'s'), queryScalar, fc.boolean()), { maxLength: 3, selector: ([name]) => name }),
    header: fc.uniqueArray(fc.tuple(fc.constantFrom('Idempotency-Key', 'X-Trace', 'Wechatpay-Serial'), fc.boolean()), { maxLength: 2, selector: ([name]) => name }),
    body: fc.option(object(schema(2, names)), { nil: undefined }),
    bodyRef: fc.option(fc.constantFrom(...(names.length ? names : ['none'])), { nil: undefined }),
    allOfBody: fc.boolean(),
    encrypted: fc.option(anyName, { nil: undefined }),
    response: fc.oneof(fc.constant<Json>(null), names.length ? fc.constantFrom(...names).map((n): Json => ({ $ref: ref(n) })) : fc.constant<Json>(null), schema(2, names)),
    status: fc.constantFrom('200', '201', '204'),
  });
  const webhook = fc.option(fc.tuple(identifier, fc.constantFrom(...LOADED, ...PLAIN), fc.constantFrom(...LOADED, ...PLAIN)), { nil: undefined, freq: 3 });
  return fc.tuple(components, fc.array(operation, { minLength: 1, maxLength: 3 }), webhook).map(([schemas, ops, hook]) => build(schemas, ops, hook));
});

interface OpDraw {
  path: string;
  method: string;
  operationId: string;
  query: [string, Obj, boolean][];
  header: [string, boolean][];
  body: Obj | undefined;
  bodyRef: string | undefined;
  allOfBody: boolean;
  encrypted: string | undefined;
  response: Json;
  status: string;
}

function build(schemas: Obj, ops: OpDraw[], hook: [string, string, string] | undefined): Obj {
  const paths: Obj = {};
  for (const op of ops) {
    const parameters: Json[] = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
    for (const [name, s, required] of op.query) parameters.push({ name, in: 'query', ...(required ? { required } : {}), schema: s });
    for (const [name, required] of op.header) parameters.push({ name, in: 'header', ...(required ? { required } : {}), schema: { type: 'string' } });
    const operation: Obj = { operationId: op.operationId, parameters };
    const shared = op.bodyRef !== undefined && (schemas[op.bodyRef] as Obj | undefined)?.['type'] === 'object' ? op.bodyRef : undefined;
    let body: Obj | undefined = shared !== undefined ? { $ref: ref(shared) } : op.body;
    if (op.body && op.encrypted !== undefined) {
      body = { ...op.body, properties: { ...(op.body['properties'] as Obj), [op.encrypted]: ENCRYPTED } };
      const serial = parameters.findIndex((p) => (p as Obj)['name'] === 'Wechatpay-Serial');
      if (serial >= 0) parameters.splice(serial, 1);
      parameters.push({ name: 'Wechatpay-Serial', in: 'header', required: true, schema: { type: 'string' } });
    }
    if (op.allOfBody && shared !== undefined) body = { allOf: [{ $ref: ref(shared) }, { type: 'object', properties: { extra_field: { type: 'string' } }, required: ['extra_field'] }] };
    if (body) operation['requestBody'] = { content: { 'application/json': { schema: body } } };
    const response: Obj = { description: 'ok' };
    if (op.response !== null && op.status !== '204') response['content'] = { 'application/json': { schema: op.response } };
    operation['responses'] = { [op.status]: response };
    const item = (paths[op.path] ??= {}) as Obj;
    item[op.method] = operation;
  }
  const spec: Obj = { openapi: '3.1.0', info: { title: 'drawn', version: '1' }, paths };
  if (hook) {
    const [name, envelope, resource] = hook;
    schemas[envelope] = { type: 'object', required: ['id', 'event_type', 'resource'], properties: { id: { type: 'string' }, event_type: { type: 'string', enum: ['A.B'] }, resource: { type: 'object', properties: { ciphertext: { type: 'string' } } } } };
    if (resource !== envelope) schemas[resource] = { type: 'object', properties: { x: { type: 'string' } } };
    spec['webhooks'] = { [name]: { post: { 'x-wechatpay-resource': { $ref: ref(resource) }, requestBody: { content: { 'application/json': { schema: { $ref: ref(envelope) } } } }, responses: { '200': { description: 'ok' } } } } };
  }
  if (Object.keys(schemas).length) spec['components'] = { schemas };
  return spec;
}

function ref(name: string): string {
  return `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
