// The names the generated code declares, from the spec's operationIds and
// schema names. A schema name becomes a safe identifier deterministically
// (`user-info.v2` → `user_info_v2`, `string` → `string_`); an operationId
// must already be one, since it is the method a caller types. Two spec names
// that would declare the same generated name are a spec error, so the output
// always compiles.
import type { At } from './extensions.js';
import type { LoadedSpec } from './load.js';
import type { Problems } from './spec-error.js';

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null ' +
    'return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval ' +
    // Type names TypeScript keeps for itself.
    'any unknown never string number boolean object symbol bigint undefined'
  ).split(' '),
);

/** What the generated modules import from the runtime, by name (emit-client, emit-notifications). */
const RUNTIME_IMPORTS = ['callOperation', 'CallOptions', 'Flat', 'Runtime', 'bindOperations', 'createRuntime', 'notificationParser', 'Bound', 'ClientConfig', 'NotificationParser', 'defineNotification', 'NotificationMeta', 'NotificationOf', 'SharedRules'];

/** Names the generated code declares whatever the spec (besides the client's type, named after the spec). */
const GENERATED_NAMES = ['createClient', 'components', 'operations', 'paths', 'Operations', 'OperationId'];

/** The longest client type name made from a title: longer, the title is a sentence rather than a name. */
const MAX_TITLE_NAME = 60;

/**
 * The generated client's type name: `given` (--client-name) when there is
 * one, else the spec's info.title in PascalCase + `Client` when the title is
 * plain ASCII (`Acme pay` → `AcmePayClient`, `Shop client` → `ShopClient`);
 * otherwise a refusal at the title that asks for --client-name.
 */
export function clientTypeName(spec: LoadedSpec, given: string | undefined): string {
  if (given !== undefined) return given;
  const info = spec.root['info'];
  const title = info !== null && typeof info === 'object' && !Array.isArray(info) ? info['title'] : undefined;
  const name = nameFromTitle(title);
  if (name === undefined) {
    throw spec.error(['info', 'title'], `info.title ${JSON.stringify(title ?? null)} does not make a name for the client's type (that takes a title of ASCII letters, digits, spaces and punctuation, at most ${MAX_TITLE_NAME} characters as a name); name it with --client-name NAME (generate({ clientName }) from code)`);
  }
  return name;
}

/** `Acme pay API` → `AcmePayAPIClient`; undefined when the title is not plain ASCII or makes no identifier. */
export function nameFromTitle(title: unknown): string | undefined {
  if (typeof title !== 'string' || !/^[\x20-\x7e]+$/.test(title)) return undefined;
  const words = title.replace(/'/g, '').match(/[A-Za-z0-9]+/g) ?? [];
  let name = words.map(pascal).join('');
  if (!/^[A-Za-z]/.test(name)) return undefined;
  if (!name.endsWith('Client')) name += 'Client';
  return name.length <= MAX_TITLE_NAME ? name : undefined;
}

/** Checks a --client-name; a sentence saying what is wrong, or undefined. */
export function clientNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `--client-name ${JSON.stringify(name)} is not an identifier (letters, digits, _ and $, not starting with a digit)`;
  if (RESERVED.has(name)) return `--client-name ${name} is a reserved word`;
  if (GENERATED_NAMES.includes(name) || RUNTIME_IMPORTS.includes(name)) return `--client-name ${name} is a name the generated code declares or imports itself`;
  return undefined;
}

/**
 * The global types the generated modules use beside names of the spec
 * (operations.ts: a request with no fields, the optional parameter groups, the
 * body, the return type). A spec name may take one of them: the module that
 * imports it then writes the global as `globalThis.X`.
 */
export const GLOBAL_TYPES = ['Record', 'NonNullable', 'Promise'] as const;

/** How a module that declares or imports `names` writes each global type it uses. */
export function globalTypes(names: readonly string[]): (global: (typeof GLOBAL_TYPES)[number]) => string {
  const taken = new Set(names);
  return (global) => (taken.has(global) ? `globalThis.${global}` : global);
}

/**
 * Names every JavaScript object has (Object.prototype's members: valueOf,
 * constructor, __proto__, …). As a property, parameter or schema name, code
 * that looks the name up in a plain object finds the inherited member instead:
 * openapi-typescript crashes or mistypes, TypeScript types a rule's literal
 * from the member, an object literal's `__proto__` sets the prototype. So
 * none of them may name a field or a schema.
 */
export const OBJECT_MEMBERS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The refusal for a field or schema named like a member of every object; undefined for any other name. */
export function objectMemberProblem(kind: string, name: string): string | undefined {
  if (!OBJECT_MEMBERS.has(name)) return undefined;
  return `a ${kind} cannot be named ${name}: every JavaScript object has a member of that name (Object.prototype), which the generated code and its tools would find instead`;
}

/** Members of the generated client object besides the operations. */
export const CLIENT_MEMBERS = ['close'];

/** The identifier a component schema's type (and its `…Rule` constant) is declared under. */
export function typeName(schemaName: string): string {
  let id = schemaName.replace(/[^\w$]/g, '_');
  if (/^\d/.test(id)) id = `_${id}`;
  return RESERVED.has(id) ? `${id}_` : id;
}

export function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** Checks an operationId before anything is named after it. */
export function checkOperationId(spec: LoadedSpec, id: unknown, at: At, label: string): string {
  if (typeof id !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(id)) throw spec.error(at, `${label} needs an operationId that is a valid identifier (letters, digits, _ and $, not starting with a digit)`);
  if (RESERVED.has(id)) throw spec.error(at, `operationId ${id} is a reserved word in JavaScript or TypeScript and cannot name a function; choose another (e.g. ${id}Item)`);
  if (CLIENT_MEMBERS.includes(id)) throw spec.error(at, `operationId ${id} would replace the client's own ${id}() method; choose another`);
  return id;
}

/**
 * Every name the generated index exports, with where it comes from; two
 * sources of one name are an error at the second one's line.
 */
export function checkExports(spec: LoadedSpec, clientName: string | undefined, ops: { operationId: string; at: At }[], schemaNames: string[], hooks: { name: string; at: At }[], problems: Problems): void {
  // Each name, and the clause that says who has it; spec names can be renamed either way, the generator's own cannot.
  const owners = new Map<string, { clause: string; fromSpec: boolean }>();
  for (const fixed of GENERATED_NAMES) owners.set(fixed, { clause: 'the generated client declares too', fromSpec: false });
  // A module that imports a name cannot also declare it (TS2440).
  for (const imported of RUNTIME_IMPORTS) owners.set(imported, { clause: 'the generated code imports from the runtime', fromSpec: false });
  if (clientName !== undefined) {
    const other = owners.get(clientName);
    if (other) problems.add(spec.error(['info', 'title'], `the client type's name ${clientName} is a name ${other.clause.replace(' too', '')}; choose another with --client-name NAME`));
    owners.set(clientName, { clause: 'names the client type too (from info.title or --client-name)', fromSpec: true });
  }
  // `kind` is what the spec calls the owner (schema, operation, webhook): the one to rename when the other is the generator's.
  const claim = (name: string, kind: string, specName: string, at: At) => {
    const owner = `${kind} ${specName}`;
    const other = owners.get(name);
    if (other !== undefined) problems.add(spec.error(at, `${owner} would declare ${name}, which ${other.clause}; rename ${other.fromSpec ? 'one of them' : `the ${kind}`}`));
    else owners.set(name, { clause: `${owner} declares too`, fromSpec: true });
  };
  for (const s of schemaNames) {
    const problem = objectMemberProblem('schema', s);
    if (problem) problems.add(spec.error(['components', 'schemas', s], problem));
    else claim(typeName(s), 'schema', s, ['components', 'schemas', s]);
  }
  for (const op of ops) {
    const at = [...op.at, 'operationId'];
    for (const name of [op.operationId, `${pascal(op.operationId)}Request`, `${pascal(op.operationId)}Response`]) claim(name, 'operation', op.operationId, at);
  }
  for (const [i, hook] of hooks.entries()) {
    const names = [notificationMetaName(hook), notificationTypeName(hook)];
    // The union of every kind of notification, declared once.
    if (i === 0) names.push('Notification');
    for (const name of names) claim(name, 'webhook', hook.name, hook.at);
  }
}

/** The generated metadata of a webhook (notifications.ts). */
export function notificationMetaName(hook: { name: string }): string {
  return `${hook.name}NotificationMeta`;
}

/** The generated type of a webhook's notification (notifications.ts). */
export function notificationTypeName(hook: { name: string }): string {
  return `${pascal(hook.name)}Notification`;
}
