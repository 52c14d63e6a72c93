// What the local server serves: each operation of a spec (the client's
// OperationMeta plus what only a server needs), and the table of handlers a
// user adds, typed against the spec's operations by operationId.
import type { OperationMeta } from '../call.js';
import { readOperation, readRule, type OperationData } from '../operation.js';
import type { Rule } from '../validate.js';
import type { CardStore } from './product.js';

/** One operation as the server sees it. Generated per spec (`operations` in the client's local-server.ts). */
export interface ServedOperation {
  readonly meta: OperationMeta;
  /** Rules of the success response body; null when the success response has none (204). */
  readonly response: Rule | null;
  /** The spec's example of the success response, plaintext, when the spec gives one. */
  readonly example?: unknown;
  /**
   * `card-store`: an operation of the product's own spec (generated from its
   * `x-wechatpay-local-server: card-store`), answered by the product's card
   * store when the store implements its endpoint. A copy of the product's
   * paths in another spec has no such mark, so it is answered from its own
   * schema unless the server is started with `cardStore: true`.
   */
  readonly store?: 'card-store';
}

/** The operations of a generated client's data modules (data/<operationId>.ts), read for serving; `store` from the spec's x-wechatpay-local-server. */
export function servedOperations(data: readonly OperationData[], store?: 'card-store'): ServedOperation[] {
  return data.map((d) => ({
    meta: readOperation(d),
    response: d.response === undefined ? null : readRule(d.response, d.rules),
    ...(d.example === undefined ? {} : { example: JSON.parse(d.example) as unknown }),
    ...(store ? { store } : {}),
  }));
}

/** Request and response type of each operation, keyed by operationId (generated as `Operations`). */
export type OperationTypes<T> = { [K in keyof T]: { request: object; response: unknown } };

/** Any spec's operations, when the caller has no generated types. */
export type AnyOperations = Record<string, { request: Record<string, unknown>; response: unknown }>;

/** A refusal a handler answers instead of a body: WeChat's error object with its HTTP status. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly detail?: unknown,
  ) {}
}

export interface HandlerContext {
  readonly operationId: string;
  readonly requestId: string;
  /** The server's clock. */
  now(): Date;
  /** The server's card templates and users' cards. */
  readonly cards: CardStore;
  /** What the server answers without a handler: the spec's example, or the synthesized body. */
  defaultResponse(): unknown;
  /** A WeChat error to return (or throw) instead of a body, e.g. `fail(400, 'INVALID_REQUEST', '会员卡已作废')`. */
  fail(status: number, code: string, message: string, detail?: unknown): Refusal;
}

/**
 * Answers one operation. `request` is the flat request object as the client
 * took it: path, query and body fields, encrypted fields already decrypted.
 * Return the success body in plaintext (the server encrypts marked fields to
 * the merchant, signs, and checks it against the response schema), or a Refusal.
 */
export type Handler<Req = Record<string, unknown>, Res = unknown> = (request: Req, context: HandlerContext) => Res | Refusal | Promise<Res | Refusal>;

/** Handlers by operationId: a key that is not an operation of the spec does not compile. */
export type Handlers<T extends OperationTypes<T>> = { [K in keyof T]?: Handler<T[K]['request'], T[K]['response']> };
