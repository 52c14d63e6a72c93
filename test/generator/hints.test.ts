// The hint table (generator/hints.ts), row by row: the refusal's sentence
// given, the hint wanted after it.
import { describe, expect, it } from 'vitest';
import { CONVERT_HINT, hintFor } from '../../generator/hints.js';
import { refusal, specText } from './fragment.js';

describe('hints', () => {
  it.each<{ given: string; want: string | undefined }>([
    { given: 'format "rfc3339" is not supported on a string; supported: date-time, date, uri', want: 'did you mean date-time?' },
    { given: 'format "RFC3339" is not supported on a string; supported: date-time, date, uri', want: 'did you mean date-time?' },
    { given: 'format "datetime" is not supported on a string; supported: date-time, date, uri', want: 'did you mean date-time?' },
    { given: 'format "dates" is not supported on a string; supported: date-time, date, uri', want: 'did you mean date?' },
    { given: 'format "url" is not supported on a string; supported: date-time, date, uri', want: 'did you mean uri?' },
    { given: 'format "int23" is not supported on an integer; supported: int32, int64', want: 'did you mean int32?' },
    { given: 'format "MediaId" is not supported on a string; supported: date-time, date, uri', want: undefined },
    { given: 'format "rfc3339" is not supported on a boolean', want: undefined },
    { given: 'format "base64" is not supported on a string; supported: date-time, date, uri', want: expect.stringMatching(/^format base64 marks encrypted fields: use x-wechatpay-encryption/) },
    { given: 'this is a Swagger "2.0" document; the generator reads OpenAPI 3.x', want: CONVERT_HINT },
    { given: '`definitions` is Swagger 2.0, which this OpenAPI 3.0.0 document mixes in; the generator reads OpenAPI 3.x only', want: CONVERT_HINT },
    { given: '$ref #/definitions/Amount does not resolve: nothing exists at that path', want: CONVERT_HINT },
    { given: 'parameter body: `in: body` is not supported (path, query and header are)', want: CONVERT_HINT },
    { given: 'parameter file: `in: formData` is not supported (path, query and header are)', want: CONVERT_HINT },
    { given: 'parameter id: `in: cookie` is not supported (path, query and header are)', want: undefined },
    { given: 'minimum 5 is greater than maximum 1: no value fits', want: undefined },
  ])('$given', ({ given, want }) => {
    expect(hintFor(given)).toEqual(want);
  });

  it('is printed after the sentence', async () => {
    const e = await refusal(specText({ props: 'when: { type: string, format: rfc3339 }' }));
    expect(e.message).toBe(`fragment.yaml:15: format "rfc3339" is not supported on a string; supported: date-time, date, uri (hint: did you mean date-time?)`);
    expect(e.hint).toBe('did you mean date-time?');
  });

  it('a multi-file Swagger 2.0 document is told to convert before any $ref is followed', async () => {
    const e = await refusal('swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /v3/x:\n    $ref: "missing.yaml#/x"\n');
    expect(e.refusals).toHaveLength(1);
    expect(e.message).toBe(`fragment.yaml:1: this is a Swagger "2.0" document; the generator reads OpenAPI 3.x (hint: ${CONVERT_HINT})`);
  });
});
