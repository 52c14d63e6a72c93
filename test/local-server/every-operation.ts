// Calls every operation of a spec once through the runtime (a request
// synthesized from the operation's request rule), keeping the raw response,
// and checks that body against the operation's response schema.
import { createRuntime, type ClientConfig } from '../../runtime/index.js';
import { nodeTransport, type Transport } from '../../runtime/transport.js';
import { validate } from '../../runtime/validate.js';
import type { ServedOperation } from '../../runtime/local-server/index.js';
import { synthesize } from '../../runtime/local-server/synthesize.js';
import type { ValidationIssue } from '../../runtime/errors.js';

export interface Exercised {
  operationId: string;
  status: number;
  /** What the verified call returned. */
  result: unknown;
  /** Issues of the raw body against the response schema; [] when it is valid (or empty as a 204 must be). */
  issues: ValidationIssue[];
}

export async function callEveryOperation(operations: readonly ServedOperation[], config: ClientConfig): Promise<Exercised[]> {
  const inner = nodeTransport();
  let last: { status: number; body: Buffer } | undefined;
  const capture: Transport = async (request) => {
    const res = await inner(request);
    last = { status: res.status, body: res.body };
    return res;
  };
  const runtime = createRuntime({ ...config, transport: capture });
  const out: Exercised[] = [];
  try {
    for (const op of operations) {
      const result = await runtime.call(op.meta, synthesize(op.meta.request) as object);
      const { status, body } = last!;
      const issues = op.response
        ? validate(JSON.parse(body.toString('utf8')), op.response, { encrypted: { mode: 'ciphertext' } })
        : body.length === 0
          ? []
          : [{ path: '(body)', rule: 'empty', message: `must be empty, got ${body.length} bytes` }];
      out.push({ operationId: op.meta.operationId, status, result, issues });
    }
  } finally {
    inner.close();
  }
  return out;
}
