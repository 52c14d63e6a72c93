// Faults the local server can be told to answer the next requests with.

export type Fault =
  /** The response carries a real signature, but over another nonce than its Wechatpay-Nonce: it does not verify. */
  | { type: 'bad-signature' }
  /** The response is signed with a timestamp 10 minutes old. */
  | { type: 'stale-timestamp' }
  /** The response's Wechatpay-Serial names another key. */
  | { type: 'wrong-serial' }
  /** The response lacks Wechatpay-Signature. */
  | { type: 'missing-signature' }
  /** 500 SYSTEM_ERROR, without processing the request. */
  | { type: 'system-error' }
  /** 429 RATELIMIT_EXCEEDED, without processing the request. */
  | { type: 'rate-limit' }
  /** A gateway's HTML 502 page, unsigned, without processing the request. */
  | { type: 'html-502' }
  /** A correctly signed 200 whose JSON body is cut in half (the server signs what it sends). */
  | { type: 'truncated-json' }
  /** Waits this long before processing the request. */
  | { type: 'delay'; ms: number }
  /** Destroys the connection without answering. */
  | { type: 'drop-connection' }
  /** A documented business error, e.g. { status: 403, code: 'NO_AUTH', message: '商户暂无权限使用此功能' }. */
  | { type: 'business-error'; status: number; code: string; message: string; detail?: unknown };

export class FaultQueue {
  private readonly queue: Fault[] = [];

  /** The next `times` requests get `fault`, after any already queued. */
  add(fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a positive integer');
    for (let i = 0; i < times; i++) this.queue.push(fault);
  }

  next(): Fault | undefined {
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
  }
}
