// Parameters, bodiless answers and generated names, as given/want tables: a
// spec fragment and what the metadata says, or the refusal at its line.
import { describe, expect, it } from 'vitest';
import { dataText, generate, markedLine, refusal, specText, type Fragment } from './fragment.js';

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('operations: what the generated files say', () => {
  it.each<{ name: string; given: Fragment; file: string; want: string[] }>([
    {
      name: 'a query parameter on the path item is honoured',
      given: { pathItem: 'parameters:\n  - { name: region, in: query, schema: { type: string } }' },
      file: 'data',
      want: ['"pathParams":["id"],"queryParams":["region"],', '"region":{"type":"string"}'],
    },
    {
      name: 'a path parameter on the path item',
      given: { path: '/v1/shops/{shop}/things/{id}', pathItem: 'parameters:\n  - { name: shop, in: path, required: true, schema: { type: string } }' },
      file: 'data',
      want: ['"pathParams":["shop","id"]'],
    },
    {
      name: "the operation's parameter replaces the path item's of the same name and place",
      given: { pathItem: 'parameters:\n  - { name: region, in: query, schema: { type: string } }', params: '- { name: region, in: query, required: true, schema: { type: string, enum: [n] } }' },
      file: 'data',
      want: ['"region":{"type":"string","enum":["n"]}', '"required":["id","region"]'],
    },
    {
      name: 'a header parameter the runtime does not set is the caller’s: typed and sent',
      given: { params: '- { name: Idempotency-Key, in: header, required: true, schema: { type: string } }\n- { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }' },
      file: 'data',
      want: ['"headerParams":["Idempotency-Key"]', '"Idempotency-Key":{"type":"string"}', '"required":["id","Idempotency-Key"]'],
    },
    {
      name: 'the header parameter in the request type',
      given: { params: '- { name: Idempotency-Key, in: header, required: true, schema: { type: string } }' },
      file: 'operations.ts',
      want: ["operations['addThing']['parameters']['header']"],
    },
    {
      name: 'a 200 without content is void at run time too',
      given: { responses: '"200": { description: no body }' },
      file: 'data',
      want: ['"successStatus":200,"responseBody":false'],
    },
    {
      name: 'a schema name with dots and dashes becomes an identifier',
      given: { responses: '"200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/user-info.v2" } } } }', components: 'schemas:\n  user-info.v2: { type: object, properties: { a: { type: string } } }' },
      file: 'schemas.ts',
      want: ["export type user_info_v2 = components['schemas']['user-info.v2'];"],
    },
    {
      name: 'a schema named like a reserved word',
      given: { components: 'schemas:\n  delete: { type: string }' },
      file: 'schemas.ts',
      want: ["export type delete_ = components['schemas']['delete'];"],
    },
  ])('$name', async ({ given, file, want }) => {
    const files = await generate(specText(given));
    const text = file === 'data' ? dataText(files) : squash(files.get(file)!);
    for (const w of want) expect(text).toContain(w);
  });
});

describe('operations: refused', () => {
  it.each<{ name: string; given: Fragment; want: RegExp }>([
    { name: 'operationId delete', given: { operationId: 'delete # <-' }, want: /operationId delete is a reserved word in JavaScript or TypeScript/ },
    { name: "operationId close (the client's own method)", given: { operationId: 'close # <-' }, want: /would replace the client's own close\(\) method/ },
    { name: 'operationId with a dash', given: { operationId: 'add-thing # <-' }, want: /needs an operationId that is a valid identifier/ },
    {
      name: 'two schema names that become one identifier',
      given: { components: 'schemas:\n  a-b: { type: string }\n  a_b: { type: string } # <-' },
      want: /schema a_b would declare a_b, which schema a-b declares too/,
    },
    {
      name: 'a schema named like an operation’s request type',
      given: { components: 'schemas:\n  AddThingRequest: { type: string }', operationId: 'addThing # <-' },
      want: /operation addThing would declare AddThingRequest, which schema AddThingRequest declares too/,
    },
    {
      name: 'an operationId named like the function every operation calls',
      given: { operationId: 'callOperation # <-' },
      want: /operation callOperation would declare callOperation, which the generated code imports from the runtime; rename the operation$/,
    },
    { name: 'an operationId named like a runtime type the operations import', given: { operationId: 'Runtime # <-' }, want: /operation Runtime would declare Runtime, which the generated code imports from the runtime; rename the operation$/ },
    {
      name: 'a schema named like the operation map',
      given: { components: 'schemas:\n  Operations: { type: string } # <-' },
      want: /schema Operations would declare Operations, which the generated client declares too; rename the schema$/,
    },
    {
      name: 'a multipart request body (a file upload)',
      given: { noBody: true, op: 'requestBody:\n  content: # <-\n    multipart/form-data: { schema: { type: object, properties: { file: { type: string } } } }' },
      want: /the request body must have application\/json content \(a multipart body, as for a file upload, is not supported: APIv3 signs its JSON `meta` part/,
    },
    {
      name: 'an XML response',
      given: { responses: '"200":\n  description: ok # <-\n  content:\n    application/xml: { schema: { type: object, properties: { a: { type: string } } } }' },
      want: /the 200 response must have application\/json content with a schema \(an XML body is APIv2, not APIv3/,
    },
    { name: 'a cookie parameter', given: { params: '- { name: s, in: cookie, schema: { type: string } } # <-' }, want: /`in: cookie` is not supported/ },
    { name: 'style on a parameter', given: { params: '- { name: ids, in: query, style: form, schema: { type: string } } # <-' }, want: /parameter ids: `style` is not supported/ },
    { name: 'an array query parameter', given: { params: '- { name: ids, in: query, schema: { type: array, items: { type: string } } } # <-' }, want: /query parameter ids needs a schema of type string, integer, number or boolean/ },
    { name: 'the same parameter twice', given: { params: '- { name: q, in: query, schema: { type: string } }\n- { name: q, in: query, schema: { type: string } } # <-' }, want: /parameter q \(in query\) is listed twice/ },
    {
      name: 'an encrypted header parameter',
      given: { params: '- { name: X-Id, in: header, schema: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 } } # <-\n- { name: Wechatpay-Serial, in: header, required: true, schema: { type: string } }' },
      want: /header parameter X-Id is marked for encryption; only body fields and query parameters can be encrypted/,
    },
    { name: 'a body field named like a header parameter', given: { params: '- { name: name, in: header, schema: { type: string } }', props: 'name: { type: string } # <-' }, want: /field name is both a header and a body field/ },
  ])('$name', async ({ given, want }) => {
    const text = specText(given);
    const e = await refusal(text);
    expect(e.detail).toMatch(want);
    expect(e.message).toBe(`fragment.yaml:${markedLine(text)}: ${e.detail}`);
  });

  it('an encrypted query parameter needs the Wechatpay-Serial header required, as an encrypted body field does (at the parameter list)', async () => {
    const text = specText({ params: '- { name: q, in: query, schema: { type: string, x-wechatpay-encryption: rsa-oaep-sha1 } }' });
    const e = await refusal(text);
    expect(e.detail).toMatch(/the request has encrypted fields \(q\), so the operation must declare the Wechatpay-Serial header as required/);
    expect(e.line).toBe(text.split('\n').indexOf('      parameters:') + 2);
  });
});
