// $ref resolution inside the loaded document. References to other files were
// made internal when the spec was loaded (bundle.ts), so every $ref here is `#/…`.
import type { Json, JsonObject, JsonPath, LoadedSpec } from './load.js';
import { SpecError, type Problems } from './spec-error.js';

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

/**
 * Every $ref in the document must resolve; each that does not is refused at
 * its file and line, at the place of the object that holds it (so a later
 * check that trips over the same object repeats nothing). Returns those places.
 */
export function checkRefs(spec: LoadedSpec, problems: Problems): JsonPath[] {
  const broken: JsonPath[] = [];
  const walk = (node: Json, at: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...at, i]));
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (ref !== undefined) {
      const fail = (message: string) => {
        // Only a refusal asks for a line: a spec read without positions then builds them (load.ts).
        const where = spec.locate([...at, '$ref']);
        problems.add(new SpecError(where.file, where.line, message, { at }));
        broken.push(at);
      };
      if (typeof ref !== 'string' || !ref.startsWith('#/')) fail(`unsupported $ref ${JSON.stringify(ref)}: only references to files of the spec and inside them (#/...) are supported`);
      else if (lookup(spec.root, refPath(ref)) === undefined) fail(`$ref ${ref} does not resolve: nothing exists at that path`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
  };
  walk(spec.root, []);
  return broken;
}

/**
 * The places a part of the document stands on: `from` itself and every place
 * a $ref in it leads to, followed on through those places. A refusal at or
 * under one of them is a refusal of that part (see `touches`).
 */
export function reach(root: JsonObject, from: readonly JsonPath[]): JsonPath[] {
  const out: JsonPath[] = [...from];
  const seen = new Set<string>();
  const walk = (node: Json | undefined): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/') && !seen.has(ref)) {
      seen.add(ref);
      const at = refPath(ref);
      out.push(at);
      walk(lookup(root, at));
    }
    for (const [k, v] of Object.entries(node)) if (k !== '$ref') walk(v);
  };
  for (const at of from) walk(lookup(root, at.map(String)));
  return out;
}

/** Whether the place `at` is one of `places` or inside one. */
export function touches(at: JsonPath, places: readonly JsonPath[]): boolean {
  return places.some((p) => p.length <= at.length && p.every((k, i) => String(k) === String(at[i])));
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
