// Makes hovers useful: before openapi-typescript turns descriptions into
// JSDoc, each schema's description gains what a caller needs at the call
// site — the meaning of each enum value, length limits, and whether the
// client encrypts the field. A property that is a $ref borrows the
// referenced schema's description (unless it has its own) and always its
// limits, enum meanings and encryption note. Header parameters the runtime sets
// (RUNTIME_HEADERS) are left out: the caller does not pass them. `default` moves into the description: to
// openapi-typescript it makes a field required, while the validator (rightly)
// treats it as optional — WeChat applies the default when it is absent.
// Works on a copy.
import { walkPlaces } from './extensions.js';
import type { Json, JsonObject } from './load.js';
import { ENCRYPTION_MARKER, RUNTIME_HEADERS } from './model.js';
import { isObject, lookup, refPath } from './refs.js';

export const ENCRYPTED_NOTE =
  'Encrypted field (RSA-OAEP-SHA1). In a request pass the plaintext: the client encrypts it with the WeChat Pay public key. In a response it is ciphertext, unless the client was created with `decryptResponses: true`.';

export const COMMUNITY_NOTE =
  "Source: the community description TheNorthMemory/wechatpay-openapi, not WeChat's page (the copy of the page has a gap here): names, types, enums and requiredness only, no length.";
const SOURCE_MARKER = 'x-wechatpay-source';

export function describeForTypes(root: JsonObject): JsonObject {
  const doc = structuredClone(root);
  walkPlaces(doc, (node, _at, place) => {
    if (place !== 'schema' || node['default'] === undefined) return;
    const text = typeof node['description'] === 'string' ? `${node['description'].trimEnd()}\n` : '';
    node['description'] = `${text}Default when absent: \`${JSON.stringify(node['default'])}\`.`;
    delete node['default'];
  });
  // A merged allOf shares its members' property schemas (all-of.ts): each is described once.
  const seen = new WeakSet<JsonObject>();
  const visit = (schema: Json | undefined): void => {
    if (!isObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema['$ref'] === 'string') {
      if (schema['$ref'].startsWith('#/components/schemas/')) {
        const target = lookup(root, refPath(schema['$ref']));
        // A description beside the $ref replaces the target's own, but not what the target
        // enforces: its limits, enum meanings and encryption still belong in the hover.
        const own = typeof schema['description'] === 'string' ? schema['description'] : undefined;
        if (isObject(target)) {
          const text = own === undefined ? enrich(target) : enrich({ ...target, description: own });
          if (text !== '') schema['description'] = text;
        }
      }
      if (schema[SOURCE_MARKER] !== undefined) schema['description'] = [schema['description'], COMMUNITY_NOTE].filter(Boolean).join('\n');
      return;
    }
    schema['description'] = enrich(schema);
    if (schema['description'] === '') delete schema['description'];
    if (isObject(schema['properties'])) Object.values(schema['properties']).forEach(visit);
    visit(schema['items']);
  };
  const components = isObject(doc['components']) ? doc['components'] : {};
  if (isObject(components['schemas'])) Object.values(components['schemas']).forEach(visit);
  if (isObject(components['parameters'])) Object.values(components['parameters']).forEach((p) => isObject(p) && visit(p['schema']));
  for (const item of Object.values(isObject(doc['paths']) ? doc['paths'] : {})) {
    if (!isObject(item)) continue;
    for (const op of [item, ...Object.values(item)]) {
      if (!isObject(op)) continue;
      if (Array.isArray(op['parameters'])) {
        // The types describe what a caller passes, not what the runtime sets.
        op['parameters'] = op['parameters'].filter((p) => !isRuntimeHeader(root, p));
        op['parameters'].forEach((p) => isObject(p) && visit(p['schema']));
      }
      const body = isObject(op['requestBody']) && isObject(op['requestBody']['content']) ? op['requestBody']['content']['application/json'] : undefined;
      if (isObject(body)) visit(body['schema']);
    }
  }
  return doc;
}

function isRuntimeHeader(root: JsonObject, param: Json): boolean {
  const p = isObject(param) && typeof param['$ref'] === 'string' ? lookup(root, refPath(param['$ref'])) : param;
  return isObject(p) && p['in'] === 'header' && typeof p['name'] === 'string' && RUNTIME_HEADERS.includes(p['name'].toLowerCase());
}

function enrich(schema: JsonObject): string {
  const lines = typeof schema['description'] === 'string' ? [schema['description'].trimEnd()] : [];
  const meanings = schema['x-enumDescriptions'];
  if (Array.isArray(schema['enum']) && isObject(meanings)) {
    lines.push('可选取值:', ...schema['enum'].map((v) => `- \`${String(v)}\`: ${String(meanings[String(v)] ?? '')}`));
  }
  const limits = (['maxLength', 'maximum', 'minimum', 'maxItems', 'pattern'] as const)
    .filter((k) => schema[k] !== undefined)
    .map((k) => `${k} ${String(schema[k])}`);
  if (limits.length) lines.push(`Limits: ${limits.join(', ')}.`);
  if (schema[ENCRYPTION_MARKER] !== undefined) lines.push(ENCRYPTED_NOTE);
  if (schema[SOURCE_MARKER] !== undefined) lines.push(COMMUNITY_NOTE);
  return lines.join('\n');
}
