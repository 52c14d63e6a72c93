// Type-level tests. `npm test` runs tsc over this file first: an expect-error
// directive that is not needed (because a wrong call compiles) fails the run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConfirmUserCardRequest, MembercardClient, UpdateCardTemplateRequest, UserCard } from '../generated/index.js';

const base: ConfirmUserCardRequest = { user_card_code: '1', card_id: 'c', brand_id: 'b', openid: 'o', user_card_confirm_state: 'CREATE_CARD_SUCCESS' };

describe('generated types', () => {
  it('flat requests with wire names and the right responses', () => {
    expectTypeOf<ConfirmUserCardRequest['user_card_confirm_state']>().toEqualTypeOf<'CREATE_CARD_SUCCESS' | 'CREATE_CARD_FAIL'>();
    expectTypeOf<ConfirmUserCardRequest['user_card_code']>().toEqualTypeOf<string>();
    expectTypeOf<ConfirmUserCardRequest['phone_number']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MembercardClient['confirmUserCard']>().returns.resolves.toEqualTypeOf<UserCard>();
    expectTypeOf<MembercardClient['updateCardTemplate']>().returns.resolves.toBeVoid();
    expectTypeOf<UserCard['user_card_state']>().toEqualTypeOf<'UNACTIVATED' | 'EFFECTIVE' | 'EXPIRED' | 'INVALID'>();
    expectTypeOf<UpdateCardTemplateRequest['code_mode']>().toEqualTypeOf<'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME' | undefined>();
  });

  it('refuses a wrong enum value, a missing required field, an unknown field, a wrong type', () => {
    // @ts-expect-error not a documented user_card_confirm_state
    const wrongEnum: ConfirmUserCardRequest = { ...base, user_card_confirm_state: 'DONE' };
    // @ts-expect-error openid is required
    const missing: ConfirmUserCardRequest = { user_card_code: '1', card_id: 'c', brand_id: 'b', user_card_confirm_state: 'CREATE_CARD_FAIL' };
    // @ts-expect-error no such field
    const unknown: ConfirmUserCardRequest = { ...base, colour: '#FFF' };
    // @ts-expect-error total_quantity is an integer
    const wrongType: UpdateCardTemplateRequest = { card_id: 'c', total_quantity: '5' };
    // @ts-expect-error card_id (a path field) is required on PATCH
    const noPath: UpdateCardTemplateRequest = { title: 't' };
    // @ts-expect-error USER_FORM_FLAG_MOBILE is not in the common field enum of the user-card pages
    const badFlag: ConfirmUserCardRequest = { ...base, user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_MOBILE' }] } };
    expectTypeOf([wrongEnum, missing, unknown, wrongType, noPath, badFlag]).toBeArray();
  });
});

// What an editor shows on hover over `client.confirmUserCard`: the method is
// mapped from the standalone function, so its documentation must carry over.
describe('editor hover on a client method', () => {
  it('shows the operation documentation and the named request type', async () => {
    const ts = (await import('typescript')).default;
    const file = fileURLToPath(new URL('./.hover-probe.ts', import.meta.url));
    const text = `import type { MembercardClient } from '../generated/index.js';\ndeclare const client: MembercardClient;\nvoid client.confirmUserCard;\n`;
    const options = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 };
    const host: import('typescript').LanguageServiceHost = {
      getScriptFileNames: () => [file],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => (f === file ? ts.ScriptSnapshot.fromString(text) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
      getCurrentDirectory: () => path.dirname(file),
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === file || ts.sys.fileExists(f),
      readFile: (f) => (f === file ? text : ts.sys.readFile(f)),
    };
    const info = ts.createLanguageService(host).getQuickInfoAtPosition(file, text.lastIndexOf('confirmUserCard') + 1);
    expect(info).toBeDefined();
    expect(ts.displayPartsToString(info!.displayParts)).toContain('(request: ConfirmUserCardRequest, options?: CallOptions');
    const docs = ts.displayPartsToString(info!.documentation);
    expect(docs).toContain('同步会员开通结果');
    expect(docs).toContain('POST /v3/brand/partner/card-member/user-cards/{user_card_code}/confirm');
    expect(info!.tags?.map((t) => t.name)).toEqual(['throws', 'throws', 'throws', 'throws', 'see']);
  });
});
