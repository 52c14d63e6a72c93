// The generator reads OpenAPI 3.x only. Anything else (a Swagger 2.0 file, a
// YAML file that is no OpenAPI document at all) is refused here in one line,
// before a later step trips over a shape it does not expect.
import type { LoadedSpec } from './load.js';

export function assertOpenApi3(spec: LoadedSpec): void {
  const { root } = spec;
  const version = root['openapi'];
  if (typeof version === 'string' && /^3\.\d+(\.\d+)?$/.test(version)) return;
  if ('swagger' in root) {
    throw spec.error(['swagger'], `this is a Swagger ${JSON.stringify(root['swagger'])} document; the generator reads OpenAPI 3.x (convert it first, e.g. with swagger2openapi)`);
  }
  if (version === undefined) throw spec.error([], 'not an OpenAPI document: there is no `openapi:` version line (the generator reads OpenAPI 3.x)');
  throw spec.error(['openapi'], `openapi: ${JSON.stringify(version)} is not an OpenAPI 3.x version (the generator reads 3.0 and 3.1)`);
}
