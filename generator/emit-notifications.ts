// notifications.ts, for the spec's webhooks (the notifications WeChat Pay
// sends), emitted only when the spec has some:
//   - one NotificationMeta per webhook: its event types and the rules of its
//     envelope and decrypted resource, named (they are shared rules, in
//     rules.ts, written and checked by emit-data.ts), loaded with the
//     first notification
//   - one type per webhook (the envelope with `resource` decrypted,
//     discriminated by event_type) and `Notification`, the union of all of
//     them, which parseNotification resolves to
import { StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import type { WebhookModel } from './webhooks.js';
// Named in names.ts, which also checks that no other name of the spec takes them.
import { notificationMetaName, notificationTypeName, typeName } from './names.js';

type Statements = (string | StatementStructures)[];

export function notificationsFile(hooks: readonly WebhookModel[], runtime: string): Statements {
  const schemas = [...new Set(hooks.flatMap((h) => [h.envelope.name, h.resource.name]))].map(typeName);
  const out: Statements = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['defineNotification'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtime, namedImports: ['NotificationMeta', 'NotificationOf'], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './schemas.js', namedImports: schemas, isTypeOnly: true },
  ];
  for (const hook of hooks) {
    out.push({
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`What the runtime needs to read the ${hook.name} notification (${hook.eventTypes.join(', ')}).`],
      declarations: [
        {
          name: notificationMetaName(hook),
          type: 'NotificationMeta',
          initializer: `/* @__PURE__ */ defineNotification(() => import('./rules.js'), ${q(hook.name)}, [${hook.eventTypes.map(q).join(', ')}], ${q(hook.envelope.name)}, ${q(hook.resource.name)})`,
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
