// Types from openapi-typescript. Its AST is printed to text here and only
// text goes on: ts-morph bundles its own TypeScript and must never see these nodes.
import type { JsonObject } from './load.js';
import { describeForTypes } from './describe.js';

export async function emitTypes(root: JsonObject): Promise<string> {
  // import(), not a top-level import: the generator's CommonJS build then
  // loads openapi-typescript's ES module build too. Its CommonJS build
  // require()s an ES module, which Node before 20.19 refuses.
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(describeForTypes(root) as unknown as Parameters<typeof openapiTS>[0], { silent: true, alphabetize: false });
  return astToString(ast);
}
