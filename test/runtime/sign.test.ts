import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { authorization, randomNonce, requestMessage } from '../../runtime/sign.js';
import { KEY_DIR, keys, opensslVerify } from '../helpers.js';

// Expected signatures computed with openssl alone:
//   printf 'METHOD\nPATH\nTS\nNONCE\nBODY\n' | openssl dgst -sha256 -sign test/fixtures/keys/merchant.key.pem | base64 -w0
const vectors = [
  {
    name: 'POST with query and JSON body',
    given: {
      method: 'POST',
      pathWithQuery: '/v3/brand/partner/card-member/user-cards/478515832665/confirm?card_id=pbLatjvWOibDc5-TBnbUk1pD12o0',
      body: '{"brand_id":"1004","openid":"obLatjnx9gnqzS4myYGmLZ7LgLBA","user_card_confirm_state":"CREATE_CARD_SUCCESS"}',
      timestamp: 1700000000,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    },
    signature:
      'fQwx625dNyjTYdt/w050QElXpWiJM1gk19f2UOPoO/ii4IqfXDFGAhO6s3vVnU1si0b4G9VmKX8q/mvzXMELsPgA1J3wUydDiY9XCAphPyH72/LiZUWILgbti7vsSlpBqh/DzWeLp0qq2RVHLVX0sZf/4aOEtn3Lfss02zemxNmP7Xj+h51F5NSUU2jOVLdSK8pp5otSgjP+HDn4hAif+vAqErx5M+f6Cnwwmhq9NWJ6U78chgWXMjt6olIKODZ2Z9TUkL5TNOgPGK23CrmNGWrRyBAv0kEk89s8T4dolCQ6chzgLZBYGbKOTNzm5a4GKKq/ncYuEwy1u5rwlnf8Ow==',
  },
  {
    name: 'PATCH with an encoded path segment and an empty body line',
    given: { method: 'PATCH', pathWithQuery: '/v3/marketing/membercard-open/cards/a%2Fb%20c', body: '', timestamp: 1700000001, nonce: 'NONCE2' },
    signature:
      'ZteV7kaajXfvrBkbjBt3eIS/VRD8ZD5EhkwTIf3SXBj0Zg3fZH2WlDNQDUuhmr/jvJRydb6j7CzVSyd98tu9xTxkEHgM16ihhjU6s2Wnbqn6HS3l8yK9rV4cTSQjo3KY8mIDSnMZ98VM3R8u7VNe54etkNi1OXiKjyNZ9DhyFqz1en5VeldQkVcjLGvItFbJk+xq3v8XSXUd7KCKVW1+fp/GDoQmbS9rNMOXZfaMt2A4IAh/Z6MXgGflakvbYwBqnXpnx1mGCTKxnIw4AltznRM9WyipaBGW9PFWAbphIWFjCk5ISBg5s+hQ+hWmrtN5xxnwdMKMn+sj3k4gsInTEg==',
  },
];

describe('authorization', () => {
  it.each(vectors)('$name: matches the openssl vector exactly', ({ given, signature }) => {
    const header = authorization({ ...given, mchid: '1900000001', serialNo: '1DDE55AD98ED71D6', privateKey: keys.merchantPrivate });
    expect(header).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="${given.nonce}",timestamp="${given.timestamp}",serial_no="1DDE55AD98ED71D6",signature="${signature}"`,
    );
  });

  it.each(vectors)('$name: openssl dgst -verify accepts it, and rejects it for another message', ({ given, signature }) => {
    const pub = path.join(KEY_DIR, 'merchant.pub.pem');
    expect(opensslVerify(requestMessage(given), signature, pub)).toBe(true);
    expect(opensslVerify(requestMessage({ ...given, body: `${given.body} ` }), signature, pub)).toBe(false);
  });

  it('puts an empty line for an empty body: the message ends in two newlines', () => {
    expect(requestMessage({ method: 'PATCH', pathWithQuery: '/x', body: '', timestamp: 1, nonce: 'n' })).toBe('PATCH\n/x\n1\nn\n\n');
  });
});

describe('randomNonce', () => {
  it('gives 32 hex characters, different each time', () => {
    const seen = new Set(Array.from({ length: 1000 }, randomNonce));
    expect(seen.size).toBe(1000);
    for (const n of seen) expect(n).toMatch(/^[0-9a-f]{32}$/);
  });
});
