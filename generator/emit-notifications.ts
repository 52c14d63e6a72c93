// notifications.ts, for the spec's webhooks (the notifications WeChat Pay
// sends), emitted only when the spec has some:
//   - the validation rules of the envelopes and decrypted resources (its own
//     RuleEmitter, so these rules do not depend on the operations' file)
//   - one NotificationMeta per webhook: its event types and those two rules
//   - one type per webhook (the envelope with `resource` decrypted,
//     discriminated by event_type) and `Notification`, the union of all of
//     them, which parseNotification resolves to
import { StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import type { LoadedSpec } from './load.js';
import { RuleEmitter } from './rules.js';
import type { WebhookModel } from './webhooks.js';
// Named in names.ts, which also checks that no other name of the spec takes them.
import { notificationMetaName, notificationTypeName, typeName } from './names.js';

type Statements = (string | StatementStructures)[];

export function notificationsFile(spec: LoadedSpec, hooks: readonly WebhookModel[], runtime: string): Statements {
  const rules = new RuleEmitter(spec);
  const compile = (name: string, at: (string | number)[]) => {
    const r = rules.rule({ $ref: `#/components/schemas/${name}` }, at);
    // Notification data is decrypted as a whole with the APIv3 key; RSA-marked fields inside it would never be decrypted.
    if (r.encrypted.length) throw spec.error(at, `${name} is notification data and cannot mark fields with x-wechatpay-encryption (${r.encrypted.join(', ')})`);
    return r.text;
  };
  const metas = hooks.map((hook) => ({ hook, envelope: compile(hook.envelope.name, hook.envelope.at), resource: compile(hook.resource.name, hook.resource.at) }));
  const schemas = [...new Set(hooks.flatMap((h) => [h.envelope.name, h.resource.name]))].map(typeName);
  const out: Statements = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['NotificationMeta', 'NotificationOf', 'Rule'], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './schemas.js', namedImports: schemas, isTypeOnly: true },
    '// Validation rules of the envelopes and decrypted resources.',
    ...rules.declarations,
  ];
  for (const { hook, envelope, resource } of metas) {
    out.push({
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`What the runtime needs to read the ${hook.name} notification (${hook.eventTypes.join(', ')}).`],
      declarations: [
        {
          name: notificationMetaName(hook),
          type: 'NotificationMeta',
          initializer: `{
            name: ${q(hook.name)},
            eventTypes: [${hook.eventTypes.map(q).join(', ')}],
            envelope: ${envelope},
            resource: ${resource},
          }`,
        },
      ],
    });
  }
  for (const hook of hooks) {
    const lines = [hook.summary, hook.description?.trim()].filter((l): l is string => !!l);
    lines.push(
      `Event types: ${hook.eventTypes.map((t) => `\`${t}\``).join(', ')}. Verified (signature, serial, timestamp), checked against the spec, \`resource\` decrypted with the APIv3 key and checked too.`,
    );
    out.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: notificationTypeName(hook),
      type: `NotificationOf<${typeName(hook.envelope.name)}, ${typeName(hook.resource.name)}>`,
      docs: [{ description: lines.join('\n\n').replace(/\*\//g, '*\\/'), tags: hook.docUrl ? [{ tagName: 'see', text: `{@link ${hook.docUrl}}` }] : [] }],
    });
  }
  out.push({
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: 'Notification',
    type: hooks.map(notificationTypeName).join(' | '),
    docs: ['Every notification of the spec, discriminated by `event_type`: what `parseNotification` resolves to.'],
  });
  return out;
}

function q(s: string): string {
  return JSON.stringify(s);
}
