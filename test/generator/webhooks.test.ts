// The spec's webhooks → NotificationMeta + notification types; a mistake in a
// webhook is reported as `file:line: sentence`. On the golden fixture spec
// with webhooks appended.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../generator/generate.js';
import { SpecError } from '../../generator/spec-error.js';
import { ROOT } from '../helpers.js';
import { dataText } from './fragment.js';

const GOLDEN = readFileSync(path.join(ROOT, 'test/generator/fixtures/golden/spec.yaml'), 'utf8');

const webhook = (name: string, envelope: string, resource: string) => `  ${name}:
    post:
      summary: ${name} arrived
      x-wechatpay-resource: { $ref: "#/components/schemas/${resource}" }
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/${envelope}" }
      responses: { "204": { description: ok } }
`;
const envelope = (name: string, types: string[]) => `    ${name}:
      type: object
      required: [id, event_type, resource]
      properties:
        id: { type: string, maxLength: 36 }
        event_type: { type: string, enum: [${types.join(', ')}] }
        resource: { type: object, properties: { ciphertext: { type: string } } }
`;
const resource = (name: string) => `    ${name}:
      type: object
      properties:
        shop_id: { type: string }
`;

function spec(hooks: string, schemas: string): string {
  return GOLDEN.replace('components:\n  schemas:\n', `webhooks:\n${hooks}components:\n  schemas:\n${schemas}`);
}
const ONE = spec(webhook('shopEvent', 'ShopNotification', 'ShopEvent'), envelope('ShopNotification', ['SHOP.OPEN', 'SHOP.CLOSE']) + resource('ShopEvent'));

async function generate(text: string) {
  return generateFiles({ specFile: 'fixture.yaml', specLabel: 'fixture.yaml', text });
}

describe('webhooks', () => {
  it('a spec without webhooks gets no notification code (the golden files show it)', async () => {
    const files = await generate(GOLDEN);
    expect(files.has('notifications.ts')).toBe(false);
    expect(files.get('client.ts')).not.toContain('parseNotification');
  });

  it('one webhook: its meta, its type, and parseNotification on the client', async () => {
    const files = await generate(ONE);
    expect(files.get('notifications.ts')).toContain(
      "export const shopEventNotificationMeta: NotificationMeta = /* @__PURE__ */ defineNotification(\n  () => import('./rules.js'),\n  'shopEvent',\n  ['SHOP.OPEN', 'SHOP.CLOSE'],\n  'ShopNotification',\n  'ShopEvent',\n);",
    );
    expect(files.get('notifications.ts')).toContain('export type ShopEventNotification = NotificationOf<ShopNotification, ShopEvent>;');
    expect(files.get('notifications.ts')).toContain('export type Notification = ShopEventNotification;');
    expect(files.get('client.ts')).toContain('parseNotification: notificationParser<Notification>(runtime.notificationKeys, [shopEventNotificationMeta]),');
    expect(files.get('index.ts')).toMatch(/export \{\s*shopEventNotificationMeta,\s*type Notification,\s*type ShopEventNotification,?\s*\} from '\.\/notifications\.js';/);
  });

  it('an open object is allowed in what a notification carries, and keeps unknown fields in its rule', async () => {
    const open = ONE.replace('    ShopEvent:\n      type: object\n', '    ShopEvent:\n      type: object\n      additionalProperties: true\n');
    expect(dataText(await generate(open))).toMatch(/^"ShopEvent":\{.*"additionalProperties":true\}$/m);
  });

  it('a second notification type is one more spec entry', async () => {
    const two = spec(
      webhook('shopEvent', 'ShopNotification', 'ShopEvent') + webhook('staffEvent', 'StaffNotification', 'ShopEvent'),
      envelope('ShopNotification', ['SHOP.OPEN']) + envelope('StaffNotification', ['STAFF.JOIN']) + resource('ShopEvent'),
    );
    const files = await generate(two);
    expect(files.get('notifications.ts')).toContain('export type Notification = ShopEventNotification | StaffEventNotification;');
    expect(files.get('client.ts')).toMatch(/\[\s*shopEventNotificationMeta,\s*staffEventNotificationMeta,?\s*\]/);
  });

  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  it.each([
    {
      name: 'no x-wechatpay-resource',
      text: ONE.replace(/ +x-wechatpay-resource: .*\n/, ''),
      line: (t: string) => lineOf(t, 'summary: shopEvent arrived'),
      message: /webhook shopEvent needs x-wechatpay-resource: a \$ref to the schema of its resource once decrypted/,
    },
    {
      name: 'x-wechatpay-resource inline instead of a $ref',
      text: ONE.replace('x-wechatpay-resource: { $ref: "#/components/schemas/ShopEvent" }', 'x-wechatpay-resource: { type: object, properties: {} }'),
      line: (t: string) => lineOf(t, 'x-wechatpay-resource'),
      message: /x-wechatpay-resource must be a \$ref to #\/components\/schemas\/<Name>/,
    },
    {
      name: 'x-wechatpay-resource on an operation under paths',
      text: GOLDEN.replace('operationId: renameShop', 'operationId: renameShop\n      x-wechatpay-resource: { $ref: "#/components/schemas/Member" }'),
      line: (t: string) => lineOf(t, 'x-wechatpay-resource'),
      message: /x-wechatpay-resource belongs on a webhook's operation/,
    },
    {
      name: 'an open object outside notifications',
      text: GOLDEN.replace('    Member:\n      type: object\n', '    Member:\n      type: object\n      additionalProperties: true\n'),
      line: (t: string) => lineOf(t, 'additionalProperties: true'),
      message: /additionalProperties: true is only for what WeChat sends in a notification/,
    },
    {
      name: 'event_type without an enum',
      text: ONE.replace('event_type: { type: string, enum: [SHOP.OPEN, SHOP.CLOSE] }', 'event_type: { type: string }'),
      line: (t: string) => lineOf(t, 'event_type: { type: string }'),
      message: /the envelope's event_type must be a string enum/,
    },
    {
      name: 'an envelope without a required id',
      text: ONE.replace('required: [id, event_type, resource]', 'required: [event_type, resource]'),
      line: (t: string) => lineOf(t, 'ShopNotification:') + 1,
      message: /the envelope ShopNotification must have a required `id` property/,
    },
    {
      name: 'a GET webhook',
      text: ONE.replace('    post:\n      summary: shopEvent', '    get:\n      summary: shopEvent'),
      line: (t: string) => lineOf(t, '    get:') + 1,
      message: /WeChat Pay notifies with POST only, not GET/,
    },
    {
      name: 'one event type in two webhooks',
      text: spec(
        webhook('shopEvent', 'ShopNotification', 'ShopEvent') + webhook('staffEvent', 'StaffNotification', 'ShopEvent'),
        envelope('ShopNotification', ['SHOP.OPEN']) + envelope('StaffNotification', ['SHOP.OPEN']) + resource('ShopEvent'),
      ),
      line: (t: string) => lineOf(t, 'StaffNotification:') + 1,
      message: /event_type SHOP.OPEN belongs to both webhook shopEvent and webhook staffEvent/,
    },
    {
      name: 'a schema named like a webhook’s notification type',
      text: spec(webhook('shopEvent', 'ShopNotification', 'ShopEvent'), envelope('ShopNotification', ['SHOP.OPEN']) + resource('ShopEvent') + '    ShopEventNotification: { type: string }\n'),
      line: (t: string) => lineOf(t, 'summary: shopEvent arrived'),
      message: /webhook shopEvent would declare ShopEventNotification, which schema ShopEventNotification declares too; rename one of them$/,
    },
    {
      name: 'a schema named Notification, the union of every kind',
      text: spec(webhook('shopEvent', 'ShopNotification', 'ShopEvent'), envelope('ShopNotification', ['SHOP.OPEN']) + resource('ShopEvent') + '    Notification: { type: string }\n'),
      line: (t: string) => lineOf(t, 'summary: shopEvent arrived'),
      message: /webhook shopEvent would declare Notification, which schema Notification declares too; rename one of them$/,
    },
    {
      name: 'a webhook whose metadata is named like an operation',
      text: spec(webhook('renameShop', 'ShopNotification', 'ShopEvent'), envelope('ShopNotification', ['SHOP.OPEN']) + resource('ShopEvent')).replace('operationId: renameShop', 'operationId: renameShopNotificationMeta'),
      line: (t: string) => lineOf(t, 'summary: renameShop arrived'),
      message: /webhook renameShop would declare renameShopNotificationMeta, which operation renameShopNotificationMeta declares too; rename one of them$/,
    },
  ])('$name', async ({ text, line, message }) => {
    const err = await generate(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toMatch(message);
    expect((err as SpecError).line).toBe(line(text));
  });
});
