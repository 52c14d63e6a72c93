// The floor for generate/check: load the generator's three big dependencies
// and run openapi-typescript once on the spec. Nothing else.
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
await import('ts-morph');
await import('prettier');
astToString(await openapiTS(parse(readFileSync(process.argv[2], 'utf8')), { silent: true }));
