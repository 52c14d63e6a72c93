// $ref resolution inside the loaded document. References to other files were
// made internal when the spec was loaded (bundle.ts), so every $ref here is `#/…`.
import type { Json, JsonObject, LoadedSpec } from './load.js';

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The JSON path (keys) a `#/a/b` reference points to. */
export function refPath(ref: string): string[] {
  return ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function lookup(root: JsonObject, path: readonly string[]): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  return node;
}

/** Every $ref in the document must resolve; the first that does not is an error at its file and line. */
export function checkRefs(spec: LoadedSpec): void {
  const walk = (node: Json, at: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...at, i]));
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (ref !== undefined) {
      if (typeof ref !== 'string' || !ref.startsWith('#/')) throw spec.error([...at, '$ref'], `unsupported $ref ${JSON.stringify(ref)}: only references to files of the spec and inside them (#/...) are supported`);
      if (lookup(spec.root, refPath(ref)) === undefined) throw spec.error([...at, '$ref'], `$ref ${ref} does not resolve: nothing exists at that path`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
  };
  walk(spec.root, []);
}

/** Follows $ref chains; returns the target and the path it lives at. */
export function deref(root: JsonObject, node: Json | undefined, at: (string | number)[]): { node: Json | undefined; at: (string | number)[]; name?: string } {
  let name: string | undefined;
  for (let hops = 0; isObject(node) && typeof node['$ref'] === 'string'; hops++) {
    if (hops > 32) break;
    at = refPath(node['$ref']);
    name = at[at.length - 1] as string;
    node = lookup(root, at as string[]);
  }
  return name === undefined ? { node, at } : { node, at, name };
}
