// The generator reads OpenAPI 3.x only. Anything else (a Swagger 2.0 file, a
// YAML file that is no OpenAPI document at all) is refused here in one line,
// on the root file as written, before any `$ref` is followed: a multi-file
// Swagger document is told to convert, not told about its references.
// An OpenAPI 3 document that still carries Swagger 2.0's top-level keys
// (half converted) is refused at each of them, beside the other refusals.
import type { JsonObject, JsonPath } from './load.js';
import type { SpecError } from './spec-error.js';

/** Top-level keys of Swagger 2.0 that OpenAPI 3 replaced (components, servers, content). */
export const SWAGGER_ONLY_KEYS = ['swagger', 'definitions', 'securityDefinitions', 'host', 'basePath', 'schemes', 'consumes', 'produces'];

/** For loadSpec's `before`: throws for a document that is not OpenAPI 3.x; the Swagger 2.0 keys of one that is. */
export function checkOpenApi3(root: JsonObject, error: (path: JsonPath, message: string) => SpecError): SpecError[] {
  const version = root['openapi'];
  if (typeof version === 'string' && /^3\.\d+(\.\d+)?$/.test(version)) {
    return SWAGGER_ONLY_KEYS.filter((k) => k in root).map((k) => error([k], `\`${k}\` is Swagger 2.0, which this OpenAPI ${version} document mixes in; the generator reads OpenAPI 3.x only`));
  }
  if ('swagger' in root) throw error(['swagger'], `this is a Swagger ${JSON.stringify(root['swagger'])} document; the generator reads OpenAPI 3.x`);
  if (version === undefined) throw error([], 'not an OpenAPI document: there is no `openapi:` version line (the generator reads OpenAPI 3.x)');
  throw error(['openapi'], `openapi: ${JSON.stringify(version)} is not an OpenAPI 3.x version (the generator reads 3.0 and 3.1)`);
}
