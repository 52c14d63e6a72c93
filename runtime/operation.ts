// An operation's data as a generated client holds it, and what the
// generated operation functions call. Each operation's data is a module of its own (data/<operationId>.ts
// of the client) holding JSON text, loaded by the operation's first call and
// kept: importing a client, whatever its number of operations, reads none of
// it, and a bundler splits each into a chunk of its own. Rules of the spec's
// named schemas are written once (the client's rules.ts) and named from the
// data as `{ "$ref": name }`; they are parsed once per client, when first
// needed, and shared, so the validator compiles each once. JSON in strings,
// not object literals: tsc does not check a thousand literals against the
// Rule union, and V8 scans a string without building anything.
import type { Bound, CallOptions, OperationMeta, Runtime } from './call.js';
import type { NotificationMeta } from './notify/meta.js';
import type { Rule } from './validate.js';

/** The rules of a client's named schemas (its rules.ts): each rule as JSON, by schema name. */
export type SharedRules = { readonly [name: string]: string };

/** What an operation's data module (data/<operationId>.ts) exports. */
export interface OperationData {
  /** OperationMeta as JSON; rules in it name shared rules as `{ "$ref": name }`. */
  readonly meta: string;
  readonly rules: SharedRules;
  /** The success response's rule as JSON, for the local server; absent when the response has no body. */
  readonly response?: string;
  /** The spec's example of the success response as JSON, for the local server. */
  readonly example?: string;
}

/** A generated operation function: `runtime` is a client's (createRuntime), `request` the flat request object. */
export type OperationFunction<Request, Response> = (runtime: Runtime, request: Request, options?: CallOptions) => Promise<Response>;

// Each operation function's data once read, and while it loads; keyed by the function.
const ready = new WeakMap<object, OperationMeta>();
const loading = new WeakMap<object, Promise<OperationMeta>>();

/**
 * What every generated operation function does: `runtime.call` with its
 * data. The data is loaded (`load`, the function's own `() =>
 * import('./data/x.js')`, written out so that bundlers see the chunk and drop
 * it with the function) and read on the first call, and kept: a later call
 * pays one WeakMap lookup.
 */
export function callOperation(runtime: Runtime, operation: object, load: () => Promise<OperationData>, request: unknown, options: CallOptions | undefined): Promise<unknown> {
  const meta = ready.get(operation);
  if (meta) return runtime.call(meta, request as object, options);
  let pending = loading.get(operation);
  if (!pending) {
    pending = load().then((data) => {
      const read = readOperation(data);
      ready.set(operation, read);
      return read;
    });
    loading.set(operation, pending);
    // A failed load (a missing chunk) is tried again by the next call, not remembered.
    pending.catch(() => loading.delete(operation));
  }
  return pending.then((m) => runtime.call(m, request as object, options));
}

// Answers a call with the operation's data instead of sending it.
const PROBE = { call: (meta: OperationMeta) => Promise.resolve(meta) } as unknown as Runtime;

/** The OperationMeta of a generated operation function (loaded if it is not yet): what `runtime.call` takes. */
export function operationMeta(operation: OperationFunction<never, unknown>): Promise<OperationMeta> {
  return (operation as unknown as OperationFunction<undefined, OperationMeta>)(PROBE, undefined);
}

/**
 * A client's methods: each operation function of `operations` (a generated
 * operations module) with `runtime` bound. A loop over the module, so the
 * client's code does not grow with the number of operations.
 */
export function bindOperations<T extends object>(runtime: Runtime, operations: T): Bound<T> {
  const methods: Record<string, unknown> = {};
  for (const name of Object.keys(operations)) {
    const fn = (operations as Record<string, unknown>)[name];
    if (typeof fn === 'function') methods[name] = (request: object, options?: CallOptions) => (fn as OperationFunction<object, unknown>)(runtime, request, options);
  }
  return methods as Bound<T>;
}

/** An operation's OperationMeta, its rules linked to the shared ones. */
export function readOperation(data: OperationData): OperationMeta {
  return parseLinked(data.meta, data.rules) as OperationMeta;
}

/** A rule's JSON, its `{ "$ref": name }` linked to the shared rules. */
export function readRule(json: string, rules: SharedRules): Rule {
  return parseLinked(json, rules) as Rule;
}

/** The shared rule `name` of a client, linked (parsed the first time it is asked for). */
export function sharedRule(rules: SharedRules, name: string): Rule {
  return linker(rules)(name);
}

/**
 * The NotificationMeta of a generated client: its envelope and resource are
 * the shared rules so named (its rules.ts, `load` imports it). The parser
 * loads them before its first notification (NotificationMeta.load), so
 * importing the client loads none.
 */
export function defineNotification(load: () => Promise<{ readonly rules: SharedRules }>, name: string, eventTypes: readonly string[], envelope: string, resource: string): NotificationMeta {
  let rules: SharedRules | undefined;
  let loading: Promise<void> | undefined;
  const linked = (rule: string) => {
    if (!rules) throw new Error(`the rules of the ${name} notification are not loaded: call load() first`);
    return sharedRule(rules, rule);
  };
  return {
    name,
    eventTypes,
    get envelope() {
      return linked(envelope);
    },
    get resource() {
      return linked(resource);
    },
    load: () =>
      (loading ??= load().then(
        (m) => {
          rules = m.rules;
        },
        (e: unknown) => {
          loading = undefined;
          throw e;
        },
      )),
  };
}

// The linked shared rules of each client, by name; undefined while one is being linked.
const linked = new WeakMap<SharedRules, Map<string, Rule | undefined>>();

function linker(rules: SharedRules): (name: string) => Rule {
  let known = linked.get(rules);
  if (!known) linked.set(rules, (known = new Map()));
  const byName = known;
  const resolve = (name: string): Rule => {
    const have = byName.get(name);
    if (have) return have;
    if (byName.has(name)) throw new Error(`the shared rule ${name} refers to itself: regenerate the client`);
    if (!Object.hasOwn(rules, name)) throw new Error(`the client's rules have no ${name}: regenerate the client`);
    byName.set(name, undefined);
    try {
      const rule = parse(rules[name]!, resolve) as Rule;
      byName.set(name, rule);
      return rule;
    } catch (e) {
      byName.delete(name);
      throw e;
    }
  };
  return resolve;
}

function parseLinked(json: string, rules: SharedRules): unknown {
  return parse(json, linker(rules));
}

// A reviver, so every `{ "$ref": name }` is replaced as it is read; JSON.parse
// defines keys (a field named __proto__ stays a field).
function parse(json: string, resolve: (name: string) => Rule): unknown {
  return JSON.parse(json, (_key, value: unknown) => (value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string' ? resolve((value as { $ref: string }).$ref) : value));
}
