// Notification headers as they come: node:http's IncomingHttpHeaders, a
// WHATWG Headers object, or a plain record with any spelling of the names.
// The verifier reads lower-case names, one string each.

export type IncomingHeaders = Headers | { readonly [name: string]: string | readonly string[] | undefined };

export function lowerCaseHeaders(headers: IncomingHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => (out[name.toLowerCase()] = value));
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    // A header that arrived twice is joined as HTTP stacks do, so the verifier sees the repeat.
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}
