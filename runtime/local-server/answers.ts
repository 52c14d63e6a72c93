// What the server answers to a request that passed every check, per
// operation, decided once at start: the user's handler if one is registered;
// else the product's card store, for the product's own operations on the
// endpoints whose business it knows (any spec's, when the user opts in); else the
// spec's example of the success response; else a body synthesized from the
// response schema. Whatever the source, the body sent is checked against the
// response schema after its marked fields are encrypted to the merchant.
import type { KeyObject } from 'node:crypto';
import { encryptFields } from '../encrypt.js';
import type { ValidationIssue } from '../errors.js';
import { validate, type ValidateOptions } from '../validate.js';
import type { AnswerSource } from './log.js';
import { Refusal, type Handler, type HandlerContext, type ServedOperation } from './operations.js';
import { cardStoreAnswer, type CardStore, type StoreAnswer } from './product.js';
import { CannotSynthesize, synthesize } from './synthesize.js';

export interface Answer {
  readonly source: AnswerSource;
  /** Why this operation cannot be answered (found at start): its requests get 500 SYSTEM_ERROR, and the server says why. */
  readonly problem?: string;
  /** The body without a handler: the example, or the synthesized body with request fields of the same name echoed. */
  defaultResponse(request: Record<string, unknown>): unknown;
  /** The plaintext body, or a refusal. */
  answer(request: Record<string, unknown>, context: HandlerContext): Promise<unknown>;
}

/**
 * Which operations the product's card store answers: `marked` (the default),
 * those of the product's own spec (generated with `store: 'card-store'`);
 * `all`, every operation on an endpoint the store implements (a user who
 * opts in); `none`.
 */
export type StoreScope = 'marked' | 'all' | 'none';

/**
 * One Answer per operation. Throws, naming the operation, when a handler
 * names no operation; an operation whose answer cannot be made gets an
 * Answer with a `problem` instead, so the other operations are still served.
 */
export function planAnswers(operations: readonly ServedOperation[], handlers: Readonly<Record<string, Handler | undefined>>, cards: CardStore, scope: StoreScope, plain: ValidateOptions): Map<ServedOperation, Answer> {
  const ids = new Set(operations.map((op) => op.meta.operationId));
  for (const [id, handler] of Object.entries(handlers)) {
    if (handler === undefined) continue;
    if (!ids.has(id)) throw new Error(`handlers.${id}: the spec this server serves has no operation ${id} (it has ${[...ids].join(', ')})`);
    if (typeof handler !== 'function') throw new Error(`handlers.${id} must be a function`);
  }
  const plan = new Map<ServedOperation, Answer>();
  for (const op of operations) {
    const store = scope === 'all' || (scope === 'marked' && op.store === 'card-store') ? cardStoreAnswer(op.meta, cards) : undefined;
    plan.set(op, planOne(op, handlers[op.meta.operationId], store, plain));
  }
  return plan;
}

function planOne(op: ServedOperation, handler: Handler | undefined, store: StoreAnswer | undefined, plain: ValidateOptions): Answer {
  if (op.response && NO_CONTENT.has(op.meta.successStatus)) {
    // Whatever answered, the body could not be sent: refused for every request rather than signed and dropped.
    const problem = `it answers ${op.meta.successStatus}, which carries no body (RFC 9110), yet it has a response schema: regenerate the client (the generator refuses content on a ${op.meta.successStatus})`;
    return { source: handler ? 'handler' : 'synthesized', problem, defaultResponse: () => undefined, answer: async () => undefined };
  }
  const fallback = defaultBody(op, handler !== undefined, plain);
  if (handler) return { source: 'handler', defaultResponse: fallback.body, answer: async (r, c) => handler(r, c) };
  if (store) {
    return {
      source: 'card store',
      defaultResponse: fallback.body,
      answer: async (r) => {
        const outcome = store(r);
        if ('error' in outcome) return new Refusal(outcome.error.status, outcome.error.code, outcome.error.message);
        return op.response ? outcome.body : undefined;
      },
    };
  }
  return { source: fallback.source, defaultResponse: fallback.body, answer: async (r) => fallback.body(r), ...(fallback.error ? { problem: fallback.error } : {}) };
}

function defaultBody(op: ServedOperation, lenient: boolean, plain: ValidateOptions): { source: 'example' | 'synthesized'; body: (request: Record<string, unknown>) => unknown; error?: string } {
  const rule = op.response;
  if (!rule) return { source: 'synthesized', body: () => undefined };
  if (op.example !== undefined) {
    const issue = validate(op.example, rule, plain)[0];
    const error = issue && `the spec's example of the ${op.meta.successStatus} response breaks its schema: ${describeIssue(issue)}`;
    return { source: 'example', body: () => structuredClone(op.example), ...(error ? { error } : {}) };
  }
  let made: unknown;
  try {
    made = synthesize(rule);
  } catch (e) {
    if (!(e instanceof CannotSynthesize)) throw e;
    // With a handler, the default body is only offered to it: a failure is the handler's to meet.
    const error = `cannot synthesize a ${op.meta.successStatus} response (${e.message}): give the response an example in the spec, or register a handler`;
    return lenient ? { source: 'synthesized', body: () => { throw new Error(`${op.meta.operationId}: ${error}`); } } : { source: 'synthesized', body: () => undefined, error };
  }
  return { source: 'synthesized', body: (request) => echo(op, made, request, plain) };
}

// A synthesized body takes the request's value for a top-level field of the
// same name when it fits the response rule (card_id in, card_id out), so a
// test sees its own identifiers back. Encrypted request fields are not echoed.
function echo(op: ServedOperation, made: unknown, request: Record<string, unknown>, plain: ValidateOptions): unknown {
  const out = structuredClone(made) as Record<string, unknown>;
  if (op.response?.type !== 'object') return out;
  for (const [name, rule] of Object.entries(op.response.properties)) {
    const value = request[name];
    if (value === undefined || op.meta.encrypted.some((p) => p === name || p.startsWith(`${name}.`) || p.startsWith(`${name}[`))) continue;
    if (validate(value, rule, plain).length === 0) out[name] = structuredClone(value);
  }
  return out;
}

/**
 * The wire text of a success body: checked against the schema in plaintext,
 * marked fields encrypted to the merchant, and checked again as ciphertext.
 */
export function successBody(op: ServedOperation, body: unknown, merchantPublicKey: KeyObject, plain: ValidateOptions): { text: string } | { problem: string } {
  if (!op.response) return body === undefined ? { text: '' } : { problem: `${op.meta.operationId} answers ${op.meta.successStatus} with no body, but the handler returned one` };
  const wire = encryptFields(body, op.meta.responseEncrypted, merchantPublicKey);
  const issue = validate(body, op.response, plain)[0] ?? validate(wire, op.response, { encrypted: { mode: 'ciphertext' } })[0];
  if (issue) return { problem: `the response breaks the ${op.meta.successStatus} schema of ${op.meta.operationId}: ${describeIssue(issue)}` };
  return { text: JSON.stringify(wire) };
}

/** Statuses whose answer has no body: the server sends none and signs the empty body. */
export const NO_CONTENT: ReadonlySet<number> = new Set([204, 205]);

// The validator words an unknown field for a request ("is not a field of this request"); here the body is the server's own.
function describeIssue(issue: ValidationIssue): string {
  return `${issue.path} ${issue.rule === 'unknownField' ? 'is not a field of the response schema' : issue.message}`;
}
