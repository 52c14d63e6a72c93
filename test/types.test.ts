// Type-level tests. `npm test` runs tsc over this file first: an expect-error
// directive that is not needed (because a wrong call compiles) fails the run.
import { describe, expectTypeOf, it } from 'vitest';
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
