// The spec's `webhooks`: the notifications WeChat Pay sends to the merchant,
// read into plain data for the emitters, with every check that can name a
// line. A webhook is one kind of notification: its envelope (the request
// body, a named schema whose `event_type` is a string enum) and the schema of
// its resource once decrypted (`x-wechatpay-resource`).
import { readExtension, type At } from './extensions.js';
import type { Json, JsonObject, LoadedSpec } from './load.js';
import { deref, isObject } from './refs.js';
import type { Problems } from './spec-error.js';

export interface WebhookModel {
  /** The key under `webhooks`, e.g. `userCardEvent`. */
  name: string;
  at: At;
  summary: string | undefined;
  description: string | undefined;
  docUrl: string | undefined;
  /** The envelope: a component schema, by name. */
  envelope: { name: string; at: At };
  /** The decrypted resource: a component schema, by name. */
  resource: { name: string; at: At };
  eventTypes: string[];
}

/** Each webhook on its own; `readable` says whether the parts a webhook stands on could all be read (model.ts). */
export function readWebhooks(spec: LoadedSpec, problems: Problems, readable: (from: At[]) => boolean = () => true): WebhookModel[] {
  const hooks = spec.root['webhooks'];
  if (hooks === undefined) return [];
  if (!isObject(hooks)) {
    problems.add(spec.error(['webhooks'], '`webhooks` must be a mapping of notification names to path items'));
    return [];
  }
  const out: WebhookModel[] = [];
  const owner = new Map<string, string>();
  for (const [name, item] of Object.entries(hooks)) {
    const at: At = ['webhooks', name];
    if (!readable([at])) continue;
    const hook = problems.run(() => {
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw spec.error(at, `webhook name ${JSON.stringify(name)} must be a valid identifier: the generated names are built from it`);
      if (!isObject(item)) throw spec.error(at, `webhook ${name} must be a path item`);
      const others = Object.keys(item).filter((k) => ['get', 'put', 'patch', 'delete', 'head', 'options', 'trace'].includes(k));
      if (others.length) throw spec.error([...at, others[0]!], `webhook ${name}: WeChat Pay notifies with POST only, not ${others[0]!.toUpperCase()}`);
      const op = item['post'];
      if (!isObject(op)) throw spec.error(at, `webhook ${name} needs a \`post\` operation`);
      const hook = readWebhook(spec, name, op, [...at, 'post']);
      for (const type of hook.eventTypes) {
        const earlier = owner.get(type);
        if (earlier) throw spec.error(hook.envelope.at, `event_type ${type} belongs to both webhook ${earlier} and webhook ${name}: a notification must have one kind`);
      }
      for (const type of hook.eventTypes) owner.set(type, name);
      return hook;
    });
    if (hook) out.push(hook);
  }
  return out;
}

function readWebhook(spec: LoadedSpec, name: string, op: JsonObject, at: At): WebhookModel {
  const rb = deref(spec.root, op['requestBody'], [...at, 'requestBody']);
  const content = isObject(rb.node) && isObject(rb.node['content']) ? rb.node['content'] : undefined;
  const media = content?.['application/json'];
  if (!isObject(media)) throw spec.error(rb.at, `webhook ${name}: the request body (the envelope) must have application/json content`);
  const envelope = namedObject(spec, media['schema'], [...rb.at, 'content', 'application/json', 'schema'], `webhook ${name}: the envelope`);
  const props = envelope.schema['properties'] as JsonObject;
  for (const field of ['id', 'event_type', 'resource']) {
    const required = Array.isArray(envelope.schema['required']) && envelope.schema['required'].includes(field);
    if (!(field in props) || !required) throw spec.error(envelope.at, `webhook ${name}: the envelope ${envelope.name} must have a required \`${field}\` property`);
  }
  const eventType = deref(spec.root, props['event_type'], [...envelope.at, 'properties', 'event_type']);
  const values = isObject(eventType.node) ? eventType.node['enum'] : undefined;
  if (!isObject(eventType.node) || eventType.node['type'] !== 'string' || !Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
    throw spec.error(eventType.at, `webhook ${name}: the envelope's event_type must be a string enum listing the event types of this notification`);
  }
  const id = deref(spec.root, props['id'], [...envelope.at, 'properties', 'id']).node;
  if (!isObject(id) || id['type'] !== 'string') throw spec.error([...envelope.at, 'properties', 'id'], `webhook ${name}: the envelope's id must be a string (it tells repeats apart)`);

  const resource = readExtension(spec, op, at, 'operation', 'x-wechatpay-resource');
  if (!resource) throw spec.error(at, `webhook ${name} needs x-wechatpay-resource: a $ref to the schema of its resource once decrypted`);
  const ext = isObject(op['externalDocs']) ? op['externalDocs'] : {};
  return {
    name,
    at,
    summary: str(op['summary']),
    description: str(op['description']),
    docUrl: str(ext['url']),
    envelope: { name: envelope.name, at: envelope.at },
    resource,
    eventTypes: values as string[],
  };
}

function namedObject(spec: LoadedSpec, node: Json | undefined, at: At, what: string): { name: string; schema: JsonObject; at: At } {
  const target = deref(spec.root, node, at);
  const isComponent = target.at.length === 3 && target.at[0] === 'components' && target.at[1] === 'schemas';
  if (!target.name || !isComponent) throw spec.error(at, `${what} must be a $ref to #/components/schemas/<Name>, so its type has a name`);
  if (!isObject(target.node) || target.node['type'] !== 'object' || !isObject(target.node['properties'])) {
    throw spec.error(target.at, `${what} (${target.name}) must be an object schema with properties`);
  }
  return { name: target.name, schema: target.node, at: target.at };
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Names of the component schemas that describe what WeChat sends in a
 * notification: the webhooks' envelopes and resources, and every schema they
 * refer to. Only these may keep unknown fields (`additionalProperties: true`).
 */
export function receivedSchemas(root: JsonObject): Set<string> {
  const names = new Set<string>();
  const schemas = isObject(root['components']) && isObject(root['components']['schemas']) ? root['components']['schemas'] : {};
  const visit = (node: Json | undefined): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!names.has(name)) {
        names.add(name);
        visit(schemas[name]);
      }
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(isObject(root['webhooks']) ? root['webhooks'] : undefined);
  return names;
}
