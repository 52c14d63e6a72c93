// Types from openapi-typescript. Its AST is printed to text here and only
// text goes on: ts-morph bundles its own TypeScript and must never see these nodes.
import openapiTS, { astToString } from 'openapi-typescript';
import type { JsonObject } from './load.js';
import { describeForTypes } from './describe.js';

export async function emitTypes(root: JsonObject): Promise<string> {
  const ast = await openapiTS(describeForTypes(root) as unknown as Parameters<typeof openapiTS>[0], { silent: true, alphabetize: false });
  return astToString(ast);
}
