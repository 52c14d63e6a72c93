// The floor for generate/check: load the generator's three big dependencies
// and run openapi-typescript once on the spec, which reads the spec's files
// itself (a spec may span several). Nothing else.
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
await import('ts-morph');
await import('prettier');
astToString(await openapiTS(pathToFileURL(process.argv[2]), { silent: true }));
