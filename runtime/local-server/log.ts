// The server's record of what it received: a ring of the last N requests, so
// a long-running server (serve, a soak test) holds bounded memory.

export interface RequestRecord {
  operationId: string | undefined;
  method: string;
  /** The request target as it arrived (path and query, still percent-encoded). */
  target: string;
  status: number;
  /** `OK`, or the error code answered. */
  verdict: string;
  /** Why the request was refused, when it was. */
  reason: string | undefined;
  /**
   * Whose fault a refusal was: `request`, what arrived broke a check (401,
   * 400, 404); `response`, the server could not make a valid answer (its
   * 500 SYSTEM_ERROR: an answer that breaks the response schema, an
   * operation it cannot answer, a handler that threw). Unset for a success
   * and for an injected fault.
   */
  faultOf?: 'request' | 'response';
  /** Paths of marked fields that arrived encrypted and decrypted correctly. */
  encryptedFields: string[];
  /** Where the answer came from: a handler, the card store, the spec's example, or synthesized from the schema. */
  answeredBy: AnswerSource | undefined;
  /** Wechatpay-Serial of the key that signed the answer (the public key id or a certificate serial). */
  signedWith?: string;
  requestId: string;
}

export type AnswerSource = 'handler' | 'card store' | 'example' | 'synthesized';

/** Something the server could not do, told to `onProblem` (and, by default, printed on stderr). */
export interface LocalServerProblem {
  /** `operation`: found at start, this operation cannot be answered (its requests get 500 SYSTEM_ERROR); `response`: an answer the server refused to send. */
  kind: 'operation' | 'response';
  operationId: string;
  /** The request that got the 500 (a `response` problem). */
  requestId?: string;
  /** What was wrong, naming the operation and field. */
  message: string;
}

export const DEFAULT_LOG_LIMIT = 1000;

export class RequestLog {
  private readonly ring: RequestRecord[] = [];
  private start = 0;

  constructor(private readonly limit = DEFAULT_LOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('requestLogLimit must be a positive integer');
  }

  add(record: RequestRecord): void {
    if (this.ring.length < this.limit) this.ring.push(record);
    else {
      this.ring[this.start] = record;
      this.start = (this.start + 1) % this.limit;
    }
  }

  /** The kept records, oldest first. */
  list(): RequestRecord[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }
}
