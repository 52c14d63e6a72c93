// The client's type is named after the spec: info.title in PascalCase +
// Client when the title is plain ASCII, else --client-name (clientName), else
// a refusal at the title that asks for it. The name is claimed like every
// other generated name.
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../generator/generate.js';
import { clientNameProblem, nameFromTitle } from '../../generator/names.js';
import { OutputError } from '../../generator/output.js';
import { markedLine, refusal, specText } from './fragment.js';

describe('the client type name', () => {
  it.each<{ title: unknown; want: string | undefined }>([
    { title: 'fragment', want: 'FragmentClient' },
    { title: 'Acme pay API', want: 'AcmePayAPIClient' },
    { title: 'my-shop v2', want: 'MyShopV2Client' },
    { title: "a user's spec", want: 'AUsersSpecClient' },
    { title: 'Shop client', want: 'ShopClient' },
    { title: '2024 payments', want: undefined },
    { title: 'WeChat Pay brand membership cards (APIv3, 普通服务商)', want: undefined },
    { title: '会员卡', want: undefined },
    { title: '--', want: undefined },
    { title: 'x'.repeat(55) + ' long', want: undefined },
    { title: 42, want: undefined },
  ])('$title → $want', ({ title, want }) => {
    expect(nameFromTitle(title)).toBe(want);
  });

  it.each([
    { name: 'MembercardClient', want: undefined },
    { name: 'my client', want: /is not an identifier/ },
    { name: 'class', want: /reserved word/ },
    { name: 'createClient', want: /declares or imports itself/ },
    { name: 'Runtime', want: /declares or imports itself/ },
  ])('--client-name $name', ({ name, want }) => {
    const problem = clientNameProblem(name);
    if (want) expect(problem).toMatch(want);
    else expect(problem).toBeUndefined();
  });

  it('is declared and exported under the title’s name', async () => {
    const files = await generateFiles({ specFile: 'f.yaml', specLabel: 'f.yaml', text: specText({}).replace('title: fragment', 'title: Acme pay') });
    expect(files.get('client.ts')).toContain('export type AcmePayClient = Bound<typeof operations>');
    expect(files.get('index.ts')).toContain("export { createClient, type AcmePayClient } from './client.js';");
  });

  it('--client-name names it whatever the title', async () => {
    const files = await generateFiles({ specFile: 'f.yaml', specLabel: 'f.yaml', text: specText({}).replace('title: fragment', 'title: 会员卡'), clientName: 'ShopClient' });
    expect(files.get('client.ts')).toContain('export function createClient(config: ClientConfig): ShopClient {');
  });

  it('a title that makes no name is refused at its line, asking for --client-name', async () => {
    const text = specText({}).replace('info: { title: fragment, version: "1" }', 'info: { title: 会员卡, version: "1" } # <-');
    const e = await refusal(text);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: ${e.detail}`);
    expect(e.detail).toMatch(/^info\.title "会员卡" does not make a name for the client's type .*name it with --client-name NAME/);
  });

  it('a schema named like the client is refused at the schema', async () => {
    const text = specText({ components: 'schemas:\n  FragmentClient: { type: string } # <-' });
    const e = await refusal(text);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: schema FragmentClient would declare FragmentClient, which names the client type too (from info.title or --client-name); rename one of them`);
  });

  it('a --client-name that is no identifier is an option error', async () => {
    await expect(generateFiles({ specFile: 'f.yaml', specLabel: 'f.yaml', text: specText({}), clientName: 'a b' })).rejects.toThrow(OutputError);
  });
});
