// Requests no correct client sends, written byte for byte onto a socket, and
// what the local WeChat Pay must answer each: the rows of issue 26's table
// and their neighbours. Each is signed correctly unless it is about the
// signature, so a refusal is about what the row says. Shared by
// test/local-server/hostile-requests.test.ts and bench/hostile-soak.ts (so it
// imports nothing of vitest).
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import net from 'node:net';
import { encrypt } from '../../runtime/encrypt.js';

export interface Target {
  /** http://127.0.0.1:port */
  url: string;
  mchid: string;
  serialNo: string;
  merchantPrivateKey: KeyObject;
  wechatpayPublicKey: KeyObject;
  wechatpayPublicKeyId: string;
}

/** The five values of a correct Authorization header, and that header. */
export interface AuthParts {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
  header: string;
}

export interface Given {
  method: string;
  target: string;
  /** The body's exact bytes (signed as they are). */
  body?: Buffer | string;
  /** Over the defaults (Accept, Content-Type, Wechatpay-Serial); an array sends the header once per value; undefined leaves it out. */
  headers?: Record<string, string | readonly string[] | undefined>;
  /** The Authorization header(s) sent; default the correct one. */
  authorization?: (a: AuthParts) => string | readonly string[];
  /** The timestamp as written, and signed; default Unix seconds. */
  timestamp?: (seconds: number) => string;
  /** Content-Length sent instead of the body's (the body sent is `body`, and then nothing). */
  declaredLength?: number;
  /** Sent chunked: `chunk` bytes at a time until the answer comes or `upTo` bytes went. */
  stream?: { chunk: number; upTo: number };
  /** The request head as given, CRLFs included: for what is not HTTP at all. */
  rawHead?: string;
}

export interface Want {
  status: number;
  code?: string;
  field?: string | RegExp;
  issue?: string;
  location?: string;
}

export interface HostileCase {
  name: string;
  given: Given;
  want: Want;
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: { code?: string; message?: string; detail?: { field?: string; issue?: string; location?: string } } | undefined;
  /** The answer's Wechatpay-Signature verifies with the WeChat Pay public key. */
  signed: boolean;
  /** Bytes of the request body written before the answer came. */
  written: number;
}

export const CARD = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const CONFIRM = (code: string) => `/v3/brand/partner/card-member/user-cards/${code}/confirm?card_id=${CARD}`;
const LIST = '/v3/brand/partner/card-member/user-cards';
const SCHEME = 'WECHATPAY2-SHA256-RSA2048';

let serial = 0;
const code = () => `H${process.pid}x${++serial}`;

/** A correct confirm body, plus `extra`, with the phone number encrypted for the server's key. */
export function confirmBody(t: Target, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { brand_id: '1004', openid: 'o-hostile', phone_number: encrypt('13800138000', t.wechatpayPublicKey), user_card_confirm_state: 'CREATE_CARD_SUCCESS', ...extra };
}

const json = (v: unknown) => JSON.stringify(v);
const SIGN = (field: string, issue: string): Want => ({ status: 401, code: 'SIGN_ERROR', field, issue, location: 'header' });
const PARAM = (field: string | RegExp, issue: string, location = 'body'): Want => ({ status: 400, code: 'PARAM_ERROR', field, issue, location });
const HEADER = (field: string, issue: string): Want => ({ status: 400, code: 'INVALID_REQUEST', field, issue, location: 'header' });

/** The requests that must be accepted: what correct clients send, in each form a refusal below is near to. */
export function acceptedCases(t: Target): HostileCase[] {
  const ok = { status: 200 };
  return [
    { name: 'a correct confirm', given: { method: 'POST', target: CONFIRM(code()), body: json(confirmBody(t)) }, want: ok },
    { name: 'a correct list with limit=10', given: { method: 'GET', target: `${LIST}?brand_id=1004&openid=o-hostile&offset=0&limit=10` }, want: ok },
    { name: 'Accept as axios sends it', given: { method: 'GET', target: `${LIST}?brand_id=1004&openid=o-hostile&offset=0&limit=10`, headers: { Accept: 'application/json, text/plain, */*' } }, want: ok },
    { name: 'Content-Type with charset=utf-8 (the pages\' Java sample)', given: { method: 'POST', target: CONFIRM(code()), body: json(confirmBody(t)), headers: { 'Content-Type': 'application/json; charset=utf-8' } }, want: ok },
    { name: 'Authorization with a space after each comma, keys in another order', given: { method: 'GET', target: `${LIST}?brand_id=1004&openid=o-hostile&offset=0&limit=10`, authorization: (a) => `${SCHEME} signature="${a.signature}", serial_no="${a.serial_no}", timestamp="${a.timestamp}", nonce_str="${a.nonce_str}", mchid="${a.mchid}"` }, want: ok },
    { name: 'UTF-8 text and escapes in the body', given: { method: 'POST', target: CONFIRM(code()), body: json(confirmBody(t, { openid: 'o-会员-\u00e9' })).replace('"brand_id"', '"brand\\u005fid"') }, want: ok },
  ];
}

/** The requests that must be refused, each with the code and the field WeChat would name. */
export function refusedCases(t: Target): HostileCase[] {
  const noLimit = `${LIST}?brand_id=1004&openid=o-hostile&offset=0`;
  const get = `${noLimit}&limit=10`;
  const body = () => json(confirmBody(t));
  // One ciphertext 2,000 times: each would cost the server a decryption all the same.
  const value = encrypt('张三', t.wechatpayPublicKey);
  const manyValues = confirmBody(t, { user_information: { common_field_list: Array.from({ length: 2000 }, () => ({ name: 'USER_FORM_FLAG_NAME', value })) } });
  return [
    // Authorization: read in one pass, the five keys once each, and nothing else.
    // Past the header limit, node refuses it before anything is parsed; under it, one pass.
    { name: 'Authorization of 16,000 letters, unsigned', given: { method: 'GET', target: get, authorization: () => `${SCHEME} ${'a'.repeat(16_000)}` }, want: { status: 431, code: 'INVALID_REQUEST', field: '(request)', issue: 'maxBytes' } },
    { name: 'Authorization of 6,000 letters, unsigned', given: { method: 'GET', target: get, authorization: () => `${SCHEME} ${'a'.repeat(6000)}` }, want: SIGN('Authorization', 'maxLength') },
    { name: 'Authorization of 2,000 letters, unsigned', given: { method: 'GET', target: get, authorization: () => `${SCHEME} ${'a'.repeat(2000)}` }, want: SIGN('Authorization', 'syntax') },
    { name: 'mchid twice in Authorization, a wrong one first', given: { method: 'GET', target: get, authorization: (a) => `${SCHEME} mchid="1900000002",${a.header.slice(SCHEME.length + 1)}` }, want: SIGN('Authorization.mchid', 'repeatedKey') },
    { name: 'an unknown key in Authorization', given: { method: 'GET', target: get, authorization: (a) => `${a.header},colour="red"` }, want: SIGN('Authorization', 'unknownKey') },
    { name: 'two Authorization headers, the correct one second', given: { method: 'GET', target: get, authorization: (a) => [a.header.replace(/signature="[^"]*"/, 'signature="AAAA"'), a.header] }, want: SIGN('Authorization', 'repeated') },
    { name: 'a trailing comma in Authorization', given: { method: 'GET', target: get, authorization: (a) => `${a.header},` }, want: SIGN('Authorization', 'syntax') },
    { name: 'timestamp in hexadecimal, signed as sent', given: { method: 'GET', target: get, timestamp: (s) => `0x${s.toString(16)}` }, want: SIGN('Authorization.timestamp', 'format') },
    { name: 'timestamp as 1.79e9, signed as sent', given: { method: 'GET', target: get, timestamp: (s) => `${(s / 1e9).toFixed(9)}e9` }, want: SIGN('Authorization.timestamp', 'format') },
    { name: 'timestamp with a leading zero, signed as sent', given: { method: 'GET', target: get, timestamp: (s) => `0${s}` }, want: SIGN('Authorization.timestamp', 'format') },
    { name: 'a signature with a character base64 does not have', given: { method: 'GET', target: get, authorization: (a) => a.header.replace(/signature="(.)/, 'signature="$1!') }, want: SIGN('Authorization.signature', 'format') },
    // The body: bounded while it is read, UTF-8, one value per key, a bounded count of decryptions.
    { name: 'a declared 200 MB body, unsigned, after ten bytes of it', given: { method: 'POST', target: CONFIRM(code()), body: '{"brand_id"', declaredLength: 200 * 1024 * 1024, authorization: () => `${SCHEME} x` }, want: { status: 413, code: 'INVALID_REQUEST', field: '(body)', issue: 'maxBytes', location: 'body' } },
    { name: 'an endless chunked body, unsigned', given: { method: 'POST', target: CONFIRM(code()), stream: { chunk: 64 * 1024, upTo: 8 * 1024 * 1024 }, authorization: () => `${SCHEME} x` }, want: { status: 413, code: 'INVALID_REQUEST', field: '(body)', issue: 'maxBytes', location: 'body' } },
    { name: 'a signed confirm with 2,000 encrypted common_field_list values', given: { method: 'POST', target: CONFIRM(code()), body: json(manyValues) }, want: PARAM(/^user_information\.common_field_list\[\d+\]\.value$/, 'maxEncrypted') },
    { name: 'a signed body with the bytes FF FE inside a string', given: { method: 'POST', target: CONFIRM(code()), body: Buffer.concat([Buffer.from(body().replace('"o-hostile"', '"o-')), Buffer.from([0xff, 0xfe]), Buffer.from('"')]) }, want: PARAM('(body)', 'encoding') },
    { name: 'a signed body with GBK bytes inside a string (会员)', given: { method: 'POST', target: CONFIRM(code()), body: Buffer.concat([Buffer.from(body().replace('"o-hostile"', '"o-')), Buffer.from([0xbb, 0xe1, 0xd4, 0xb1]), Buffer.from('"')]) }, want: PARAM('(body)', 'encoding') },
    { name: 'a signed body starting with a byte order mark', given: { method: 'POST', target: CONFIRM(code()), body: `\ufeff${body()}` }, want: PARAM('(body)', 'json') },
    { name: 'a signed body with openid given twice', given: { method: 'POST', target: CONFIRM(code()), body: body().replace('{', '{"openid":"o-first",') }, want: PARAM('openid', 'repeatedKey') },
    { name: 'a signed body with a key repeated through an escape, one level down', given: { method: 'POST', target: CONFIRM(code()), body: json(confirmBody(t, { user_information: { custom_field_list: [{ name: 'a' }] } })).replace('"name":"a"', '"name":"a","n\\u0061me":"b"') }, want: PARAM('user_information.custom_field_list[0].name', 'repeatedKey') },
    { name: 'a signed body nested 100,000 levels deep', given: { method: 'POST', target: CONFIRM(code()), body: `{"brand_id":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }, want: PARAM('(body)', 'depth') },
    // The query and path: numbers as the client writes them, no control characters, one value per name.
    { name: 'limit=1e1', given: { method: 'GET', target: `${noLimit}&limit=1e1` }, want: PARAM('limit', 'type', 'query') },
    { name: 'limit=010', given: { method: 'GET', target: `${noLimit}&limit=010` }, want: PARAM('limit', 'type', 'query') },
    { name: 'brand_id=1004%00', given: { method: 'GET', target: `${LIST}?brand_id=1004%00&openid=o-hostile&offset=0&limit=10` }, want: PARAM('brand_id', 'controlCharacter', 'query') },
    { name: 'a path value with a line feed', given: { method: 'POST', target: CONFIRM(`${code()}%0A`), body: body() }, want: PARAM('user_card_code', 'controlCharacter', 'path') },
    { name: 'a query part with two =', given: { method: 'GET', target: `${LIST}?brand_id=1004=1005&openid=o-hostile&offset=0&limit=10` }, want: PARAM('brand_id', 'syntax', 'query') },
    { name: 'limit given twice', given: { method: 'GET', target: `${get}&limit=20` }, want: PARAM('limit', 'repeated', 'query') },
    // Headers: by their HTTP syntax, once each.
    { name: 'Accept: text/html, application/jsonx', given: { method: 'GET', target: get, headers: { Accept: 'text/html, application/jsonx' } }, want: HEADER('Accept', 'mediaType') },
    { name: 'Accept: application/json;q=0', given: { method: 'GET', target: get, headers: { Accept: 'application/json;q=0' } }, want: HEADER('Accept', 'mediaType') },
    { name: 'Accept given twice', given: { method: 'GET', target: get, headers: { Accept: ['application/json', 'application/json'] } }, want: HEADER('Accept', 'repeated') },
    { name: 'Content-Type: application/json; charset=gbk', given: { method: 'POST', target: CONFIRM(code()), body: body(), headers: { 'Content-Type': 'application/json; charset=gbk' } }, want: HEADER('Content-Type', 'mediaType') },
    { name: 'Content-Type: application/jsonp', given: { method: 'POST', target: CONFIRM(code()), body: body(), headers: { 'Content-Type': 'application/jsonp' } }, want: HEADER('Content-Type', 'mediaType') },
    { name: 'Wechatpay-Serial given twice', given: { method: 'POST', target: CONFIRM(code()), body: body(), headers: { 'Wechatpay-Serial': [t.wechatpayPublicKeyId, t.wechatpayPublicKeyId] } }, want: HEADER('Wechatpay-Serial', 'repeated') },
    // What node cannot read: answered, signed, and the connection closed.
    { name: 'a request line and headers past 8 KB', given: { method: 'GET', target: `${get}&x=${'a'.repeat(9000)}` }, want: { status: 431, code: 'INVALID_REQUEST', field: '(request)', issue: 'maxBytes' } },
    { name: 'not HTTP', given: { method: 'GET', target: get, rawHead: 'HELLO WORLD\r\n\r\n' }, want: { status: 400, code: 'INVALID_REQUEST', field: '(request)', issue: 'syntax' } },
  ];
}

/** Why `answer` is not what `want` says (status, code, detail, a signature), or undefined when it is. */
export function mismatch(answer: WireAnswer, want: Want): string | undefined {
  const detail = answer.body?.detail;
  const wrong: string[] = [];
  if (answer.status !== want.status) wrong.push(`status ${answer.status}`);
  if (!answer.signed) wrong.push('not signed');
  if (want.code !== undefined && answer.body?.code !== want.code) wrong.push(`code ${answer.body?.code}`);
  if (want.field !== undefined && !(want.field instanceof RegExp ? want.field.test(detail?.field ?? '') : detail?.field === want.field)) wrong.push(`field ${detail?.field}`);
  if (want.issue !== undefined && detail?.issue !== want.issue) wrong.push(`issue ${detail?.issue}`);
  if (want.location !== undefined && detail?.location !== want.location) wrong.push(`location ${detail?.location}`);
  return wrong.length ? wrong.join(', ') : undefined;
}

/** Writes the request onto a fresh socket and reads the answer; rejects when none comes within `timeoutMs`. */
export function send(t: Target, given: Given, timeoutMs = 5000): Promise<WireAnswer> {
  return sendBuilt(t, request(t, given), given.stream, timeoutMs);
}

/** `send` of a request built (and signed) beforehand by `request`. */
export function sendBuilt(t: Target, built: { head: string; body: Buffer }, stream: Given['stream'], timeoutMs = 5000): Promise<WireAnswer> {
  const { head, body } = built;
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let written = 0;
    let answered = false;
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms (${written} body bytes written)`)), timeoutMs);
    const finish = (outcome: Error | WireAnswer) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    socket.on('error', () => undefined); // the server may close while we still write: the answer is what counts
    socket.on('close', () => finish(new Error(`the server closed the connection without a whole answer (${received.length} bytes)`)));
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      const answer = parseAnswer(received, t.wechatpayPublicKey);
      if (answer) finish({ ...answer, written });
    });
    socket.write(head);
    if (!stream) {
      written = body.length;
      socket.write(body);
      return;
    }
    const { chunk, upTo } = stream;
    const piece = Buffer.from(`${chunk.toString(16)}\r\n${'x'.repeat(chunk)}\r\n`);
    const pump = () => {
      while (!answered && !socket.destroyed && written < upTo) {
        written += chunk;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

/** The request's head and body as bytes, signed over what is sent. */
export function request(t: Target, g: Given): { head: string; body: Buffer } {
  const body = Buffer.from(g.body ?? '');
  const { host } = new URL(t.url);
  if (g.rawHead) return { head: g.rawHead, body };
  const seconds = Math.floor(Date.now() / 1000);
  const timestamp = g.timestamp ? g.timestamp(seconds) : String(seconds);
  const nonce = `${process.pid}-${Date.now()}-${++serial}`;
  const signature = createSign('RSA-SHA256').update(`${g.method}\n${g.target}\n${timestamp}\n${nonce}\n`).update(body).update('\n').sign(t.merchantPrivateKey, 'base64');
  const parts = { mchid: t.mchid, nonce_str: nonce, timestamp, serial_no: t.serialNo, signature };
  const header = `${SCHEME} mchid="${parts.mchid}",nonce_str="${parts.nonce_str}",timestamp="${parts.timestamp}",serial_no="${parts.serial_no}",signature="${parts.signature}"`;
  const headers: Record<string, string | readonly string[] | undefined> = {
    Host: host,
    Accept: 'application/json',
    ...(g.body !== undefined || g.stream ? { 'Content-Type': 'application/json' } : {}),
    'Wechatpay-Serial': t.wechatpayPublicKeyId,
    Authorization: g.authorization ? g.authorization({ ...parts, header }) : header,
    ...(g.stream ? { 'Transfer-Encoding': 'chunked' } : g.body !== undefined || g.declaredLength !== undefined ? { 'Content-Length': String(g.declaredLength ?? body.length) } : {}),
    ...g.headers,
  };
  const lines = Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : (typeof value === 'string' ? [value] : value).map((v) => `${name}: ${v}\r\n`)));
  return { head: `${g.method} ${g.target} HTTP/1.1\r\n${lines.join('')}\r\n`, body };
}

/** A chunked body's bytes, or undefined until its last chunk has come. */
function unchunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** A whole answer (by Content-Length or chunked), or undefined while more is to come. */
function parseAnswer(received: Buffer, wechatpayPublicKey: KeyObject): Omit<WireAnswer, 'written'> | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = received.subarray(end + 4);
  const bytes = headers['transfer-encoding'] === 'chunked' ? unchunk(rest) : rest.length >= Number(headers['content-length'] ?? 0) ? rest.subarray(0, Number(headers['content-length'] ?? 0)) : undefined;
  if (!bytes) return undefined;
  const text = bytes.toString('utf8');
  const signed =
    headers['wechatpay-signature'] !== undefined &&
    createVerify('RSA-SHA256').update(`${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${text}\n`).verify(wechatpayPublicKey, headers['wechatpay-signature'], 'base64');
  return { status: Number(statusLine.split(' ')[1]), headers, body: text ? (JSON.parse(text) as WireAnswer['body']) : undefined, signed };
}
