// The request headers WeChat checks besides Authorization: Accept,
// Content-Type when there is a body, and Wechatpay-Serial when the body
// carries encrypted fields (which key it names is checked by wechatpay-keys.ts).
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationMeta } from '../call.js';

/** Undefined when the headers are acceptable, else why not (answered 400 INVALID_REQUEST). */
export function checkHeaders(h: IncomingHttpHeaders, meta: OperationMeta, hasBody: boolean): string | undefined {
  const accept = h.accept ?? '';
  if (!/application\/json|\*\/\*/.test(accept)) return 'Accept must be application/json';
  if (hasBody && !/^application\/json\s*(;|$)/i.test(h['content-type'] ?? '')) return 'Content-Type must be application/json';
  const sent = h['wechatpay-serial'];
  if (meta.wechatpaySerialRequired && !sent) return 'Wechatpay-Serial is required: the body carries encrypted fields';
  return undefined;
}
