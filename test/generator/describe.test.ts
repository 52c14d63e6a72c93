// describeForTypes: what a hover shows for a field, given the schema it is
// written with. Given a property schema (and a shared schema it may refer to),
// want the description the types will carry.
import { describe, expect, it } from 'vitest';
import { describeForTypes } from '../../generator/describe.js';
import type { JsonObject } from '../../generator/load.js';

const Shared: JsonObject = { type: 'string', maxLength: 32, description: '【品牌ID】' };
const State: JsonObject = { type: 'string', enum: ['ON', 'OFF'], 'x-enumDescriptions': { ON: '开', OFF: '关' } };

function hover(property: JsonObject): string | undefined {
  const doc = describeForTypes({
    openapi: '3.0.3',
    components: { schemas: { Shared, State, Thing: { type: 'object', properties: { field: property } } } },
  });
  const thing = (doc['components'] as { schemas: Record<string, { properties: Record<string, JsonObject> }> }).schemas['Thing']!;
  return thing.properties['field']!['description'] as string | undefined;
}

describe('describeForTypes: a field’s hover', () => {
  it.each<[string, JsonObject, string | undefined]>([
    ['a plain string with a length', { type: 'string', maxLength: 8, description: 'name' }, 'name\nLimits: maxLength 8.'],
    ['a bare $ref borrows the description and the limits', { $ref: '#/components/schemas/Shared' }, '【品牌ID】\nLimits: maxLength 32.'],
    ['a $ref with its own description keeps the target’s limits', { $ref: '#/components/schemas/Shared', description: '【所属品牌】' }, '【所属品牌】\nLimits: maxLength 32.'],
    ['a $ref with its own description keeps the enum meanings', { $ref: '#/components/schemas/State', description: '状态' }, '状态\n可选取值:\n- `ON`: 开\n- `OFF`: 关'],
    ['a $ref to a schema with nothing to say stays bare', { $ref: '#/components/schemas/Thing' }, undefined],
  ])('%s', (_name, property, want) => {
    expect(hover(property)).toBe(want);
  });
});
