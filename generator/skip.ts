// `--skip-invalid` (GenerateOptions.skipInvalid): generate the operations that
// pass and list the others with their reasons. A refusal belongs to every part
// of the document that stands on its place (refs.ts `reach`):
// - inside an operation, or its path item's parameters: that operation;
// - inside a webhook: that webhook;
// - inside a component: every operation and webhook that uses it, and the
//   component itself (also when nothing uses it);
// - inside a path item that could not be read at all (its $ref failed): the path;
// - anywhere else (the OpenAPI version, info, `paths` itself, the client's name):
//   the document, and then nothing is generated.
// The parts refused are deleted from the document, with the components only
// they used, and the spec is read again, until it reads with no refusal; the
// emitters then read that one checked model. When no operation is left, the
// run stops with every refusal, as without the option.
import type { JsonObject, JsonPath, LoadedSpec } from './load.js';
import { METHODS, readModel, type SpecModel } from './model.js';
import { isObject, reach, touches } from './refs.js';
import { Problems, SpecError } from './spec-error.js';

export interface Skipped {
  /** What was left out of the client. */
  kind: 'operation' | 'webhook' | 'component' | 'path';
  /** The operationId (or `METHOD path` when it has none), the webhook's name, `components.<kind>.<Name>`, or the path. */
  name: string;
  /** For an operation: its method and path. */
  method?: string;
  path?: string;
  /** Why, sorted like every list of refusals. */
  refusals: SpecError[];
}

interface Part extends Omit<Skipped, 'refusals'> {
  /** Where it is written. */
  at: JsonPath;
  /** It and every place it stands on. */
  places: JsonPath[];
  refusals: SpecError[];
}

/**
 * The model of the spec. Without `skipInvalid`, any refusal throws (all of
 * them); with it, the parts refused are left out and listed.
 */
export function readPassing(spec: LoadedSpec, options: { clientName?: string | undefined; skipInvalid?: boolean | undefined }): { model: SpecModel; skipped: Skipped[] } {
  const skipped: Skipped[] = [];
  for (;;) {
    const problems = new Problems();
    const model = readModel(spec, problems, { client: { name: options.clientName } });
    if (problems.size === 0) return { model, skipped: skipped.sort((a, b) => compareParts(a, b)) };
    const left = options.skipInvalid ? leaveOut(spec.root, problems.list()) : undefined;
    if (!left) {
      const all = new Problems();
      for (const e of [...skipped.flatMap((s) => s.refusals), ...problems.list()]) all.add(e);
      all.throwIfAny();
    }
    skipped.push(...left!);
  }
}

/** Deletes the parts these refusals belong to, and the components only they used; undefined when one belongs to the document. */
function leaveOut(root: JsonObject, refusals: SpecError[]): Skipped[] | undefined {
  const parts = partsOf(root);
  const extra = new Map<string, Part>();
  for (const e of refusals) {
    const owners = e.at ? parts.filter((p) => touches(e.at!, p.places)) : [];
    if (owners.length === 0 && e.at && e.at.length >= 2 && (e.at[0] === 'components' || e.at[0] === 'paths') && (e.at[0] === 'paths' || e.at.length >= 3)) {
      // A component nothing uses, or a path item with no operation left to read (its reference failed).
      const at = e.at.slice(0, e.at[0] === 'paths' ? 2 : 3);
      const key = JSON.stringify(at);
      const part = extra.get(key) ?? { kind: e.at[0] === 'paths' ? 'path' : 'component', name: e.at[0] === 'paths' ? String(at[1]) : at.join('.'), at, places: [at], refusals: [] };
      extra.set(key, part);
      owners.push(part);
    }
    if (owners.length === 0) return undefined;
    for (const p of owners) p.refusals.push(e);
  }
  const dropped = [...parts.filter((p) => p.refusals.length), ...extra.values()];
  const kept = parts.filter((p) => p.refusals.length === 0);
  const keptPlaces = kept.flatMap((p) => p.places);
  // Components used only by what is left out go too (a component used by nothing stays, as without the option).
  const orphans = new Set<string>();
  for (const p of dropped) {
    for (const at of p.places) if (at[0] === 'components' && at.length >= 3 && !touches(at, keptPlaces)) orphans.add(JSON.stringify(at.slice(0, 3)));
  }
  for (const p of dropped) remove(root, p.at);
  for (const key of orphans) remove(root, JSON.parse(key) as JsonPath);
  return dropped.map(({ kind, name, method, path, refusals }) => ({ kind, name, ...(method ? { method, path } : {}), refusals }));
}

/** What the CLI prints: a line for each part left out (`operation addA (POST /v1/a)`), its refusals under it. */
export function formatSkipped(skipped: readonly Skipped[]): string {
  const counts = (['operation', 'webhook', 'component', 'path'] as const)
    .map((k) => [k, skipped.filter((s) => s.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`);
  const lines = [`left out ${counts.join(', ')} (--skip-invalid):`];
  for (const s of skipped) {
    lines.push(`  ${s.kind} ${s.name}${s.method && s.name !== `${s.method} ${s.path}` ? ` (${s.method} ${s.path})` : ''}`);
    for (const r of s.refusals) lines.push(`    ${r.message}`);
  }
  return lines.join('\n');
}

/** The operations and webhooks of the document, each with the places it stands on. */
function partsOf(root: JsonObject): Part[] {
  const parts: Part[] = [];
  const paths = isObject(root['paths']) ? root['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const at = ['paths', path, method];
      const id = op['operationId'];
      const verb = method.toUpperCase();
      parts.push({ kind: 'operation', name: typeof id === 'string' && id !== '' ? id : `${verb} ${path}`, method: verb, path, at, places: reach(root, [at, ['paths', path, 'parameters']]), refusals: [] });
    }
  }
  const hooks = isObject(root['webhooks']) ? root['webhooks'] : {};
  for (const name of Object.keys(hooks)) {
    const at = ['webhooks', name];
    parts.push({ kind: 'webhook', name, at, places: reach(root, [at]), refusals: [] });
  }
  return parts;
}

/** Deletes the node at `at`, and a path item (or `webhooks`) left with nothing in it. */
function remove(root: JsonObject, at: JsonPath): void {
  const parent = at.slice(0, -1).reduce<unknown>((node, k) => (isObject(node as never) ? (node as JsonObject)[String(k)] : undefined), root);
  if (!isObject(parent as never)) return;
  delete (parent as JsonObject)[String(at[at.length - 1])];
  if (at[0] === 'paths' && at.length === 3 && !METHODS.some((m) => m in (parent as JsonObject))) remove(root, at.slice(0, 2));
  if (at[0] === 'webhooks' && at.length === 2 && Object.keys(parent as JsonObject).length === 0) remove(root, ['webhooks']);
}

function compareParts(a: Skipped, b: Skipped): number {
  const first = (s: Skipped) => s.refusals[0];
  const x = first(a);
  const y = first(b);
  return (x && y && (compare(x.file, y.file) || (x.line ?? 0) - (y.line ?? 0))) || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
