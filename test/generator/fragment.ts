// Small specs for given/want tables: one operation (POST /v1/things/{id} by
// default) whose parts a case replaces, and the refusal a spec earns. A case
// marks the line it expects an error on with `# <-`.
import { generateFiles } from '../../generator/generate.js';
import { SpecError } from '../../generator/spec-error.js';

export interface Fragment {
  /** Lines under the body schema's `properties:`. */
  props?: string;
  /** Extra lines of the body schema (beside `properties:`), e.g. `required: [a]`. */
  body?: string;
  /** Lines of the operation's `parameters:` list (the `id` path parameter is always there). */
  params?: string;
  /** Extra lines of the operation. */
  op?: string;
  /** Extra lines of the path item. */
  pathItem?: string;
  /** The 2xx response, as lines under `responses:`. */
  responses?: string;
  /** Lines under `components:`. */
  components?: string;
  /** Default `/v1/things/{id}`. */
  path?: string;
  method?: string;
  operationId?: string;
  /** Without a request body. */
  noBody?: boolean;
}

const indent = (text: string | undefined, n: number) =>
  (text ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ' '.repeat(n) + l.replace(/^\s*\|/, ''))
    .join('\n');

export function specText(f: Fragment): string {
  const lines = [
    'openapi: 3.1.0',
    'info: { title: fragment, version: "1" }',
    'paths:',
    `  ${f.path ?? '/v1/things/{id}'}:`,
    indent(f.pathItem, 4),
    `    ${f.method ?? 'post'}:`,
    `      operationId: ${f.operationId ?? 'addThing'}`,
    indent(f.op, 6),
    '      parameters:',
    '        - { name: id, in: path, required: true, schema: { type: string } }',
    indent(f.params, 8),
  ];
  if (!f.noBody) {
    lines.push(
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema:',
      '              type: object',
      indent(f.body, 14),
      '              properties:',
      indent(f.props ?? 'name: { type: string }', 16),
    );
  }
  lines.push('      responses:', indent(f.responses ?? '"204": { description: no body }', 8));
  if (f.components) lines.push('components:', indent(f.components, 2));
  return lines.filter((l) => l !== '').join('\n') + '\n';
}

/** The line marked `# <-`. */
export function markedLine(text: string): number {
  const i = text.split('\n').findIndex((l) => l.includes('# <-'));
  if (i < 0) throw new Error('the case marks no line with # <-');
  return i + 1;
}

export function generate(text: string): Promise<Map<string, string>> {
  return generateFiles({ specFile: 'fragment.yaml', specLabel: 'fragment.yaml', text });
}

/**
 * The JSON the data files of `files` hold, as the runtime reads it: each
 * shared rule of rules.ts as `"Name":{…}`, then each operation's exports
 * (meta, response, example), one per line. Rules there name shared ones as
 * {"$ref":"Name"}.
 */
export function dataText(files: Map<string, string>): string {
  const unquote = (literal: string) => literal.slice(1, -1).replace(/\\(.)/g, '$1');
  const lines: string[] = [];
  for (const m of files.get('rules.ts')!.matchAll(/^ {2}('(?:[^'\\]|\\.)*'): ('(?:[^'\\]|\\.)*'),$/gm)) lines.push(`${JSON.stringify(unquote(m[1]!))}:${unquote(m[2]!)}`);
  for (const [name, text] of files) {
    if (!name.startsWith('data/')) continue;
    for (const m of text.matchAll(/^export const \w+: string = ('(?:[^'\\]|\\.)*');$/gm)) lines.push(unquote(m[1]!));
  }
  return lines.join('\n');
}

/** The SpecError generating `text` throws (fails the test when it generates). */
export async function refusal(text: string): Promise<SpecError> {
  try {
    await generate(text);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`expected a SpecError, but the spec generated:\n${text}`);
}
