import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../runtime/errors.js';
import { encodeComponent, headerFields, requestLine } from '../../runtime/url.js';

describe('encodeComponent', () => {
  it.each([
    ["it's", 'it%27s'],
    ['12/34', '12%2F34'],
    ['a?b', 'a%3Fb'],
    ['a&b=c', 'a%26b%3Dc'],
    ['a#b', 'a%23b'],
    ['a b', 'a%20b'],
    ['a+b', 'a%2Bb'],
    ['100%', '100%25'],
    ['会员卡', '%E4%BC%9A%E5%91%98%E5%8D%A1'],
    ['(x)!*', '%28x%29%21%2A'],
    ['AZaz09-._~', 'AZaz09-._~'],
  ])('%s → %s', (given, want) => {
    expect(encodeComponent(given)).toBe(want);
    expect(decodeURIComponent(encodeComponent(given))).toBe(given);
    // What a WHATWG URL parser (fetch) would send is what we signed.
    const url = new URL(`https://h/p/${encodeComponent(given)}?q=${encodeComponent(given)}`);
    expect(url.pathname + url.search).toBe(`/p/${want}?q=${want}`);
  });
});

describe('requestLine', () => {
  it('fills path parameters as single segments and appends the query in order', () => {
    const line = requestLine('/v3/cards/{card_id}/users/{code}', ['card_id', 'code'], ['brand_id', 'card_id2', 'missing'], {
      card_id: 'a/b',
      code: '12 34',
      brand_id: '品牌&1',
      card_id2: "o'k",
    });
    expect(line).toEqual({ pathWithQuery: "/v3/cards/a%2Fb/users/12%2034?brand_id=%E5%93%81%E7%89%8C%261&card_id2=o%27k", issues: [] });
  });

  it.each([
    { given: { card_id: 'a\nb' }, want: [['card_id', 'controlCharacter']] },
    { given: { card_id: 'a', brand_id: '1004\u0000' }, want: [['brand_id', 'controlCharacter']] },
    { given: { card_id: '\u007f', brand_id: '\u0085' }, want: [['card_id', 'controlCharacter'], ['brand_id', 'controlCharacter']] },
    { given: { card_id: 'a\tb' }, want: [['card_id', 'controlCharacter']] },
  ])('refuses a control character in a path or query value, as the local server does: $given', ({ given, want }) => {
    const line = requestLine('/v3/cards/{card_id}', ['card_id'], ['brand_id'], given);
    expect(line.issues.map((i) => [i.path, i.rule])).toEqual(want);
  });

  it('refuses a tab in a header value: only printable ASCII, as the local server reads it', () => {
    const issues: ValidationIssue[] = [];
    expect(headerFields(['Idempotency-Key'], { 'Idempotency-Key': 'a\tb' }, issues)).toEqual({});
    expect(issues.map((i) => [i.path, i.rule])).toEqual([['Idempotency-Key', 'headerValue']]);
  });

  it.each(['', '.', '..'])('refuses the path value %j: a URL parser would drop or collapse it', (value) => {
    const line = requestLine('/v3/cards/{card_id}', ['card_id'], [], { card_id: value });
    expect(line.issues.map((i) => [i.path, i.rule])).toEqual([['card_id', 'pathSegment']]);
  });
});
