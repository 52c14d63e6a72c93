// operationIds for operations the source gives none, from method and path.
//
// The rule: the HTTP method, then each segment of the path in camelCase, a
// `{parameter}` segment written `By` + its name; the `v3` that every APIv3
// path starts with is left out, any other prefix (`hk`, `global`) stays.
// Words are split at every character that cannot be in an identifier.
//
//   GET    /v3/smartguide/guides/{guide_id}      → getSmartguideGuidesByGuideId
//   POST   /v3/pay/transactions/jsapi            → postPayTransactionsJsapi
//   PATCH  /v3/marketing/busifavor/stocks/{stock_id}/budget → patchMarketingBusifavorStocksByStockIdBudget
//   GET    /hk/v3/refunds/id/{refund_id}         → getHkV3RefundsIdByRefundId
//
// It depends on the method and path only, so a name stays when other
// operations come and go. An id the source gives is kept when it is a valid
// identifier. The generator also declares `<id>Meta`, `<Id>Request` and
// `<Id>Response`: when one of those would clash with another operation's or a
// shared schema's, or an id is taken twice, `Operation` and then a number are
// appended. A name made by the rule starts with a method, so it is never a
// reserved word nor the client's own `close`.
import { checkOperationId, typeName } from '../names.js';
import type { LoadedSpec } from '../load.js';

export function operationIdFor(method: string, path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'v3') segments.shift();
  const words = segments.flatMap((s) => {
    const param = /^\{(.+)\}$/.exec(s);
    return param ? ['by', ...split(param[1]!)] : split(s);
  });
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function split(s: string): string[] {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** The generated names an operationId claims (see names.ts checkExports). */
function claims(id: string): string[] {
  const p = id.charAt(0).toUpperCase() + id.slice(1);
  return [id, `${id}Meta`, `${p}Request`, `${p}Response`];
}

/** Names the generated code declares whatever the spec (names.ts). */
const FIXED = ['createClient', 'MembercardClient', 'components', 'operations', 'paths', 'Operations', 'OperationId', 'Notification'];

/**
 * Unique operationIds for `ops`, in order: the source's own where valid,
 * else the rule's; clashes resolved as described above.
 */
export function assignOperationIds(ops: { method: string; path: string; sourceId: string | undefined }[], schemaNames: string[]): string[] {
  const taken = new Set([...FIXED, ...schemaNames.map(typeName)]);
  const wanted = ops.map((o) => (o.sourceId !== undefined && isUsable(o.sourceId) ? o.sourceId : operationIdFor(o.method, o.path)));
  return wanted.map((base) => {
    for (let i = 1; ; i++) {
      const id = i === 1 ? base : i === 2 ? `${base}Operation` : `${base}Operation${i - 1}`;
      const names = claims(id);
      if (names.some((n) => taken.has(n))) continue;
      for (const n of names) taken.add(n);
      return id;
    }
  });
}

/** Whether the generator takes this id (names.ts checkOperationId). */
function isUsable(id: string): boolean {
  const probe = { error: () => new Error() } as unknown as LoadedSpec;
  try {
    checkOperationId(probe, id, [], '');
    return true;
  } catch {
    return false;
  }
}
