// Types from openapi-typescript. Its AST is printed to text here and only
// text goes on: ts-morph bundles its own TypeScript and must never see these nodes.
import type { GlobalContext, OpenAPI3 } from 'openapi-typescript';
import type { JsonObject } from './load.js';
import { describeForTypes } from './describe.js';

export async function emitTypes(root: JsonObject): Promise<string> {
  // import(), not a top-level import: the generator's CommonJS build then
  // loads openapi-typescript's ES module build too. Its CommonJS build
  // require()s an ES module, which Node before 20.19 refuses.
  const { astToString, resolveRef, scanDiscriminators, transformSchema } = await import('openapi-typescript');
  const schema = describeForTypes(root) as unknown as OpenAPI3;
  // openapiTS() would first lint the document with Redocly and bundle it
  // (after printing it to JSON): on a thousand operations that is a third of
  // its time and much of its memory, and it tells nothing here. The document
  // is already one checked file whose references are all `#/…` (load.ts,
  // model.ts), so the transform runs on it directly, with the context
  // openapiTS() builds for `{ silent: true, alphabetize: false }` (7.x).
  const ctx: GlobalContext = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: scanDiscriminators(schema, { silent: true }),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    // Read only by the lint and bundle steps skipped above, never by a transform.
    redoc: undefined as unknown as GlobalContext['redoc'],
    silent: true,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => resolveRef(schema, $ref, { silent: true }),
  };
  return astToString(transformSchema(schema, ctx));
}
