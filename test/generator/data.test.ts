// Every operation's data as a generated client loads it: for the product's
// client and for the clients of the generator's fixture specs, each operation
// function loads its data module into a valid OperationMeta (rules that are
// valid Rules, naming only shared rules that exist), each shared rule links,
// and the local server reads every operation with its response rule. The data
// is JSON in strings, which tsc does not check: a wrong emit fails here, not
// at a user's first call.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OperationMeta } from '../../runtime/call.js';
import { operationMeta, readOperation, sharedRule, type SharedRules } from '../../runtime/operation.js';
import type { ServedOperation } from '../../runtime/local-server/operations.js';
import { ROOT } from '../helpers.js';
import { generateClient, type GeneratedClient } from '../local-server/fixture-client.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const FORMATS = ['date-time', 'date', 'uri'];

type Problems = string[];
const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What makes `rule` not a runtime Rule (validate.ts), each with its path. */
function ruleProblems(rule: unknown, at: string, out: Problems = []): Problems {
  if (!isObject(rule)) return [...out, `${at}: not an object`];
  const allowed: Record<string, (v: unknown) => boolean> = { type: () => true, nullable: (v) => v === true };
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  switch (rule['type']) {
    case 'string':
      Object.assign(allowed, { minLength: num, maxLength: num, enum: isStrings, pattern: (v: unknown) => typeof v === 'string', format: (v: unknown) => FORMATS.includes(v as string), encrypted: (v: unknown) => v === true });
      break;
    case 'integer':
    case 'number':
      Object.assign(allowed, { minimum: num, maximum: num, enum: (v: unknown) => Array.isArray(v) && v.every(num) });
      break;
    case 'boolean':
      Object.assign(allowed, { enum: (v: unknown) => Array.isArray(v) && v.every((b) => typeof b === 'boolean') });
      break;
    case 'array':
      Object.assign(allowed, { items: () => true, minItems: num, maxItems: num });
      ruleProblems(rule['items'], `${at}[]`, out);
      break;
    case 'object':
      Object.assign(allowed, { properties: isObject, required: isStrings, additionalProperties: (v: unknown) => v === true });
      if (!isObject(rule['properties'])) out.push(`${at}: an object rule without properties`);
      else for (const [name, child] of Object.entries(rule['properties'])) ruleProblems(child, `${at}.${name}`, out);
      break;
    case 'any':
      break;
    default:
      out.push(`${at}: type ${JSON.stringify(rule['type'])}`);
  }
  for (const [key, value] of Object.entries(rule)) {
    const check = allowed[key];
    if (!check) out.push(`${at}: ${key} is not a key of this rule`);
    else if (!check(value)) out.push(`${at}: ${key} is ${JSON.stringify(value)}`);
  }
  return out;
}

/** What makes `meta` not an OperationMeta (call.ts) whose names agree with its request rule. */
function metaProblems(meta: unknown): Problems {
  if (!isObject(meta)) return ['not an object'];
  const out: Problems = [];
  const want: Record<string, (v: unknown) => boolean> = {
    operationId: (v) => typeof v === 'string' && v.length > 0,
    method: (v) => METHODS.includes(v as string),
    path: (v) => typeof v === 'string' && v.startsWith('/'),
    pathParams: isStrings,
    queryParams: isStrings,
    headerParams: isStrings,
    bodyParams: (v) => v === null || isStrings(v),
    request: (v) => isObject(v) && v['type'] === 'object',
    encrypted: isStrings,
    encryptedQuery: (v) => v === undefined || (isStrings(v) && (v as string[]).length > 0),
    responseEncrypted: isStrings,
    successStatus: (v) => Number.isInteger(v) && (v as number) >= 200 && (v as number) <= 299,
    responseBody: (v) => typeof v === 'boolean',
    wechatpaySerialRequired: (v) => typeof v === 'boolean',
  };
  for (const [key, check] of Object.entries(want)) if (!check(meta[key])) out.push(`${key} is ${JSON.stringify(meta[key])}`);
  for (const key of Object.keys(meta)) if (!(key in want)) out.push(`${key} is not a key of OperationMeta`);
  out.push(...ruleProblems(meta['request'], 'request'));
  const fields = isObject(meta['request']) && isObject(meta['request']['properties']) ? Object.keys(meta['request']['properties']) : [];
  for (const key of ['pathParams', 'queryParams', 'headerParams', 'bodyParams']) {
    for (const name of (meta[key] as string[] | null) ?? []) if (!fields.includes(name)) out.push(`${key} names ${name}, which the request rule does not`);
  }
  return out;
}

/** Loads every operation of a client's modules and lists what is wrong with any; [] when all is well. */
async function clientProblems(dir: string): Promise<{ problems: Problems; operations: number }> {
  const operations = (await import(path.join(dir, 'operations.ts'))) as Record<string, unknown>;
  const { rules } = (await import(path.join(dir, 'rules.ts'))) as { rules: SharedRules };
  const server = (await import(path.join(dir, 'local-server.ts'))) as { operations: readonly ServedOperation[] };
  const problems: Problems = [];
  const functions = Object.entries(operations).filter(([, f]) => typeof f === 'function');
  for (const [name, fn] of functions) {
    const meta = await operationMeta(fn as Parameters<typeof operationMeta>[0]);
    problems.push(...metaProblems(meta).map((p) => `${name}: ${p}`));
    if (meta.operationId !== name) problems.push(`${name}: loads the data of ${meta.operationId}`);
  }
  for (const name of Object.keys(rules)) problems.push(...ruleProblems(sharedRule(rules, name), `rules.ts ${name}`));
  if (server.operations.length !== functions.length) problems.push(`the local server serves ${server.operations.length} operations of ${functions.length}`);
  for (const served of server.operations) {
    if (served.response !== null) problems.push(...ruleProblems(served.response, `${served.meta.operationId} response`));
    if ((served.response === null) === served.meta.responseBody) problems.push(`${served.meta.operationId}: a response rule ${served.response ? 'for no body' : 'missing'}`);
  }
  return { problems, operations: functions.length };
}

describe('every operation of a generated client loads into a valid OperationMeta', () => {
  const clients: GeneratedClient[] = [];
  afterAll(() => clients.forEach((c) => c.remove()));

  it("the product's client (generated/)", async () => {
    const { problems, operations } = await clientProblems(path.join(ROOT, 'generated'));
    expect(problems).toEqual([]);
    expect(operations).toBeGreaterThan(20);
  });

  it.each(['golden/spec.yaml', 'split/spec.yaml'])('the client of test/generator/fixtures/%s', async (spec) => {
    const client = await generateClient(path.join(ROOT, 'test/generator/fixtures', spec));
    clients.push(client);
    const { problems, operations } = await clientProblems(client.dir);
    expect(problems).toEqual([]);
    expect(operations).toBeGreaterThan(0);
  });
});

describe('a wrong emit does not pass', () => {
  const good = { operationId: 'op', method: 'GET', path: '/v1/x', pathParams: [], queryParams: ['q'], headerParams: [], bodyParams: null, request: { type: 'object', properties: { q: { $ref: 'Q' } } }, encrypted: [], responseEncrypted: [], successStatus: 200, responseBody: true, wechatpaySerialRequired: false };
  const rules = { Q: '{"type":"string","maxLength":3}' };
  const read = (meta: object, shared: SharedRules = rules): OperationMeta => readOperation({ meta: JSON.stringify(meta), rules: shared });

  it('a good operation loads, its reference linked to the shared rule', () => {
    const meta = read(good);
    expect(metaProblems(meta)).toEqual([]);
    expect(meta.request.type === 'object' && meta.request.properties['q']).toEqual({ type: 'string', maxLength: 3 });
  });

  it.each<{ name: string; meta: object; shared?: SharedRules; want: RegExp }>([
    { name: 'a reference to no shared rule', meta: { ...good, request: { type: 'object', properties: { q: { $ref: 'Nope' } } } }, want: /rules have no Nope/ },
    { name: 'a shared rule that names itself', meta: good, shared: { Q: '{"type":"array","items":{"$ref":"Q"}}' }, want: /refers to itself/ },
  ])('$name throws at load', ({ meta, shared, want }) => {
    expect(() => read(meta, shared)).toThrow(want);
  });

  it.each<{ name: string; meta: object; want: string }>([
    { name: 'a missing field', meta: { ...good, successStatus: undefined }, want: 'successStatus is undefined' },
    { name: 'a field OperationMeta has not', meta: { ...good, extra: 1 }, want: 'extra is not a key of OperationMeta' },
    { name: 'a parameter the request rule does not have', meta: { ...good, queryParams: ['r'] }, want: 'queryParams names r, which the request rule does not' },
    { name: 'a rule keyword of another type', meta: { ...good, request: { type: 'object', properties: { q: { type: 'integer', maxLength: 3 } } } }, want: 'request.q: maxLength is not a key of this rule' },
    { name: 'an unknown format', meta: { ...good, request: { type: 'object', properties: { q: { type: 'string', format: 'email' } } } }, want: 'request.q: format is "email"' },
  ])('$name is a problem', ({ meta, want }) => {
    expect(metaProblems(read(meta))).toContain(want);
  });
});
