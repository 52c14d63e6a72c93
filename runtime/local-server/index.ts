// A strict local stand-in for WeChat Pay, on 127.0.0.1, for the operations of
// any spec: it is given the spec's operations (generated data) and serves
// each one the way WeChat would: it verifies the request signature, headers,
// path, query and body fields and encrypted values, then answers (a handler,
// the card store, the spec's example, or a body synthesized from the schema),
// checks the answer against the response schema, and signs it.
// It imports nothing generated: the client's local-server.ts passes its spec's
// operations, typed, to startLocalServer.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ClientConfig } from '../config.js';
import { oaepLimit } from '../encrypt.js';
import { NO_CONTENT, planAnswers, successBody } from './answers.js';
import { checkAuthorization, NonceStore, type AuthProblem } from './auth.js';
import { decryptRequestFields } from './ciphertext.js';
import { FaultQueue, type Fault } from './faults.js';
import { checkHeaders } from './headers.js';
import { freshKeys, localPublicKeyId, toPrivate, toPublic, type LocalWechatPayKeys } from './keys.js';
import { lingerAfterAnswer } from './linger.js';
import { DEFAULT_MAX_REQUEST_BYTES, MAX_ENCRYPTED_VALUES, MAX_HEADER_BYTES } from './limits.js';
import { deliver, type CardEventNotice, type Delivery, type DeliveryOptions } from './notify.js';
import { RequestLog, type AnswerSource, type LocalServerProblem, type RequestRecord } from './log.js';
import { Refusal, type AnyOperations, type Handler, type HandlerContext, type Handlers, type OperationTypes, type ServedOperation } from './operations.js';
import { CardStore, DEFAULT_TEMPLATES, type Template } from './product.js';
import { checkPlaintext, encryptedPaths, locationOf, readRequest } from './request.js';
import { compileRoutes } from './router.js';
import { signResponse } from './sign-response.js';
import { isCertificatesRequest, WechatpayKeys, type KeyModeOptions } from './wechatpay-keys.js';

export type { Fault } from './faults.js';
export type { CardEventNotice, Delivery, DeliveryAttempt, DeliveryOptions } from './notify.js';
export type { Template, BusinessError, Outcome } from './product.js';
export type { LocalWechatPayKeys } from './keys.js';
export type { KeyMode, KeyModeOptions, PlatformCertificate, PlatformCertificateSpec, WechatpayKeys } from './wechatpay-keys.js';
export type { AnswerSource, LocalServerProblem, RequestRecord } from './log.js';
export { DEFAULT_LOG_LIMIT } from './log.js';
export { DEFAULT_MAX_REQUEST_BYTES, MAX_AUTHORIZATION_BYTES, MAX_ENCRYPTED_VALUES, MAX_HEADER_BYTES } from './limits.js';
export { Refusal, servedOperations, type AnyOperations, type Handler, type HandlerContext, type Handlers, type OperationTypes, type ServedOperation } from './operations.js';
export { CardStore, DEFAULT_TEMPLATES } from './product.js';

export interface LocalWechatPayOptions<T extends OperationTypes<T> = AnyOperations> {
  /** Default 0: a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** Default: two fresh 2048-bit key pairs. */
  keys?: LocalWechatPayKeys;
  mchid?: string;
  merchantSerialNo?: string;
  /** Default: `PUB_KEY_ID_0000000000LOCAL` and ten digits that follow from the WeChat Pay key. */
  wechatpayPublicKeyId?: string;
  /** Which WeChat Pay keys the server holds and signs with: the public key (default), platform certificates, or both. */
  keyMode?: KeyModeOptions;
  /** Answers by operationId, in place of the card store, the example or the synthesized body. */
  handlers?: Handlers<T>;
  /**
   * Which operations the product's card store answers. Default: the
   * product's own (its spec marks them); `true`: also your spec's operations
   * on the endpoints the store implements (copies of the card-member paths),
   * which otherwise get answers from their schema; `false`: none.
   */
  cardStore?: boolean;
  /**
   * Told what the server could not do: an operation it cannot answer (at
   * start), an answer it refused to send (it answered 500 SYSTEM_ERROR
   * instead). Default: printed on stderr.
   */
  onProblem?: (problem: LocalServerProblem) => void;
  /** Card templates that exist; default two test templates of brand 1004. */
  templates?: readonly Template[];
  /** The server's clock, ms since the epoch. */
  now?: () => number;
  /** How many requests `requests()` keeps (the latest); default 1000. */
  requestLogLimit?: number;
  /** The largest request body read, in bytes; past it the answer is 413 and the connection is closed. Default 1 MiB. */
  maxRequestBytes?: number;
}

/** How the server answers one operation. */
export interface ServedOperationInfo {
  operationId: string;
  method: string;
  path: string;
  answeredBy: AnswerSource;
  /** Why the operation cannot be answered (its requests get 500 SYSTEM_ERROR), when it cannot. */
  problem?: string;
}

export interface LocalWechatPay {
  /** Base URL for the client, e.g. http://127.0.0.1:53121 */
  url: string;
  /** Everything createClient needs to talk to this server (when the merchant private key is known). */
  clientConfig: ClientConfig & { baseUrl: string };
  /** Every operation served, and where its answers come from. */
  operations: readonly ServedOperationInfo[];
  /** The latest requests received (up to requestLogLimit), oldest first. */
  requests(): readonly RequestRecord[];
  /** The next `times` requests (default 1) get `fault`. */
  inject(fault: Fault, times?: number): void;
  clearFaults(): void;
  cards: CardStore;
  /**
   * Sends a notification to `url` as WeChat does (resource encrypted with the
   * APIv3 key, body signed by the current signing key, tried again until
   * answered 200/204; WeChat's schedule unless `options.retryDelaysMs` says
   * otherwise). Resolves to what happened.
   */
  notify(url: string, notice: CardEventNotice, options?: DeliveryOptions): Promise<Delivery>;
  /** The WeChat Pay keys: `signWith(…)` switches the signing key mid-run; `certificates`, `apiV3Key`, `failDownloads(n)`. */
  wechatpay: WechatpayKeys;
  close(): Promise<void>;
}

/**
 * Starts the local WeChat Pay for `operations` (the `operations` export of a
 * generated client's local-server.ts). `T` is that client's `Operations` type,
 * so a handler for an operation the spec does not have does not compile; at
 * run time such a handler is refused here, before the server listens.
 */
export async function startLocalServer<T extends OperationTypes<T> = AnyOperations>(operations: readonly ServedOperation[], options: LocalWechatPayOptions<T> = {}): Promise<LocalWechatPay> {
  const now = options.now ?? Date.now;
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 1) throw new Error('maxRequestBytes must be a positive integer');
  const cards = new CardStore(options.templates ?? DEFAULT_TEMPLATES, () => new Date(now()));
  
  const route = compileRoutes(operations);
  const keys = options.keys ?? (await freshKeys());
  const merchantPublicKey = toPublic(keys.merchantPublicKey);
  // Response bodies are checked in plaintext as the merchant will read them, then on the wire.
  const plainResponse = { encrypted: { mode: 'plaintext', oaepLimit: oaepLimit(merchantPublicKey) } } as const;
  const scope = options.cardStore === undefined ? 'marked' : options.cardStore ? 'all' : 'none';
  const plan = planAnswers(operations, (options.handlers ?? {}) as Record<string, Handler | undefined>, cards, scope, plainResponse);
  const onProblem = options.onProblem ?? ((p: LocalServerProblem) => console.error(`local WeChat Pay: ${p.message}`));
  for (const [op, answer] of plan) {
    if (answer.problem) onProblem({ kind: 'operation', operationId: op.meta.operationId, message: `${op.meta.operationId} cannot be answered, its requests get 500 SYSTEM_ERROR: ${answer.problem}` });
  }
  const wechatpayPrivateKey = toPrivate(keys.wechatpayPrivateKey);
  const requestOaepLimit = oaepLimit(wechatpayPrivateKey);
  const mchid = options.mchid ?? '1900000001';
  const merchantSerialNo = options.merchantSerialNo ?? 'LOCAL0MERCHANT0SERIAL0000000001';
  const publicKey = { serial: options.wechatpayPublicKeyId ?? localPublicKeyId(wechatpayPrivateKey), privateKey: wechatpayPrivateKey };
  const wechatpay = await WechatpayKeys.create(options.keyMode ?? {}, publicKey, now);
  const nonces = new NonceStore();
  const faults = new FaultQueue();
  const log = new RequestLog(options.requestLogLimit);

  // The request line and headers are bounded by node (431 past maxHeaderSize);
  // with that bound, no header is dropped for being one too many.
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const run = (body: Buffer | 'too-large') =>
      handle(req, body, res).catch((e: unknown) => {
        // A bug here must show, not hang the client.
        res.destroy(e instanceof Error ? e : new Error(String(e)));
      });
    // A client gone mid-body: there is no one to answer.
    req.on('error', () => undefined);
    // The body is counted as it arrives: past the limit it is refused at once and the rest is never read.
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxRequestBytes) return void run('too-large');
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= maxRequestBytes) return void chunks.push(c);
      req.off('data', onData).off('end', onEnd);
      chunks.length = 0;
      void run('too-large');
    };
    const onEnd = () => void run(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd);
  });
  server.maxHeadersCount = 0;
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Socket) => refuseUnparsed(e, socket));

  const nowSeconds = () => Math.floor(now() / 1000);
  const newRequestId = () => randomBytes(16).toString('hex').toUpperCase();

  // What node could not read as HTTP (or past maxHeaderSize) is answered like any refusal, signed, and the connection closed.
  function refuseUnparsed(e: NodeJS.ErrnoException, socket: Socket): void {
    if (!socket.writable || e.code === 'ECONNRESET') return void socket.destroy();
    const overflow = e.code === 'HPE_HEADER_OVERFLOW';
    const status = overflow ? 431 : 400;
    const message = overflow ? `the request line and headers are longer than ${MAX_HEADER_BYTES} bytes` : `not an HTTP/1.1 request (${e.code ?? 'unreadable'})`;
    const requestId = newRequestId();
    const signer = wechatpay.signer();
    const { headers, wire } = signResponse(JSON.stringify({ code: 'INVALID_REQUEST', message, detail: { field: '(request)', issue: overflow ? 'maxBytes' : 'syntax' } }), signer, nowSeconds(), requestId);
    log.add({ operationId: undefined, method: '', target: '', status, verdict: 'INVALID_REQUEST', reason: message, encryptedFields: [], answeredBy: undefined, requestId, signedWith: signer.serial });
    const head = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(wire)), Connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head.join('')}\r\n${wire}`);
  }

  async function handle(req: http.IncomingMessage, body: Buffer | 'too-large', res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const record: RequestRecord = { operationId: undefined, method, target, status: 0, verdict: 'OK', reason: undefined, encryptedFields: [], answeredBy: undefined, requestId };
    log.add(record);

    const send = (status: number, text: string, tamper?: Fault) => {
      const signer = wechatpay.signer();
      // A 204 carries no body on the wire (Node drops one), so the signature covers the empty body.
      const signed = signResponse(NO_CONTENT.has(status) ? '' : text, signer, nowSeconds(), requestId, tamper);
      record.status = status;
      record.signedWith = signer.serial;
      res.writeHead(status, signed.headers).end(signed.wire);
    };
    const refuse = (status: number, code: string, message: string, detail?: unknown) => {
      record.verdict = code;
      record.reason = message;
      send(status, JSON.stringify(detail === undefined ? { code, message } : { code, message, detail }));
    };
    // What arrived broke a check.
    const refuseRequest = (status: number, code: string, message: string, detail?: unknown) => {
      record.faultOf = 'request';
      refuse(status, code, message, detail);
    };

    // The server's own answer could not be made or broke the response schema: the request was fine. The whole
    // reason goes to the log and onProblem; the client gets WeChat's usual words and a detail that says it was the
    // response, with the reason only when it is the server's own (a handler's message might hold request values).
    const fail500 = (operationId: string, reason: string, shown: boolean) => {
      record.faultOf = 'response';
      refuse(500, 'SYSTEM_ERROR', '系统异常,请稍后重试', { fault: 'response', ...(shown ? { reason } : {}) });
      record.reason = reason;
      onProblem({ kind: 'response', operationId, requestId, message: `${operationId}: answered 500 SYSTEM_ERROR to request ${requestId}: ${reason}` });
    };

    if (body === 'too-large') {
      // The rest of the body is not kept: the connection is closed after this answer.
      res.setHeader('Connection', 'close');
      lingerAfterAnswer(req);
      return refuseRequest(413, 'INVALID_REQUEST', `the request body is longer than ${maxRequestBytes} bytes`, { field: '(body)', location: 'body', issue: 'maxBytes' });
    }
    const headers = req.headersDistinct;
    const authorize = () => checkAuthorization(headers.authorization, { method, target, body }, { mchid, serialNo: merchantSerialNo, merchantPublicKey }, nonces, nowSeconds());
    const refuseAuth = ({ message, field, issue }: AuthProblem) => refuseRequest(401, 'SIGN_ERROR', message, { field, location: 'header', issue });

    if (isCertificatesRequest(method, target)) {
      record.operationId = 'downloadCertificates';
      const authProblem = authorize();
      if (authProblem) return refuseAuth(authProblem);
      if (wechatpay.takeDownloadFailure()) return refuse(500, 'SYSTEM_ERROR', '系统异常,请稍后重试');
      return send(200, wechatpay.certificatesAnswer());
    }

    const found = route(method, target);
    if (!found) return refuseRequest(404, 'NOT_FOUND', `no such API: ${method} ${target.split('?')[0]}`);
    const { op } = found;
    const meta = op.meta;
    record.operationId = meta.operationId;

    const fault = faults.next();
    if (fault?.type === 'delay') await sleep(fault.ms);
    if (fault?.type === 'drop-connection') {
      record.verdict = 'DROPPED';
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'system-error') return refuse(500, 'SYSTEM_ERROR', '系统异常,请稍后重试');
    if (fault?.type === 'rate-limit') return refuse(429, 'RATELIMIT_EXCEEDED', '请求过于频繁,请稍后重试');
    if (fault?.type === 'business-error') return refuse(fault.status, fault.code, fault.message, fault.detail);
    if (fault?.type === 'html-502') {
      record.status = 502;
      record.verdict = 'HTML_502';
      res.writeHead(502, { 'Content-Type': 'text/html', 'Request-ID': requestId }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }

    const authProblem = authorize();
    if (authProblem) return refuseAuth(authProblem);

    const headerProblem = checkHeaders(headers, meta, body.length > 0);
    if (headerProblem) return refuseRequest(400, 'INVALID_REQUEST', headerProblem.message, { field: headerProblem.field, location: 'header', issue: headerProblem.issue });
    // Marked fields must be ciphertext for exactly the key Wechatpay-Serial names.
    const named = wechatpay.decryptionKey(headers['wechatpay-serial']?.[0]);
    if (named && 'problem' in named) return refuseRequest(400, 'INVALID_REQUEST', named.problem, { field: 'Wechatpay-Serial', location: 'header', issue: 'unknownKey' });

    const parsed = readRequest(meta, found.pathValues, target, body, headers);
    if ('problem' in parsed) {
      const { field, location, message, issue } = parsed.problem;
      return refuseRequest(400, 'PARAM_ERROR', message, issue ? { field, issue, location } : { field, location });
    }

    // Body fields and query parameters alike, in the flat request (where the body's fields sit at the top).
    const decrypted = decryptRequestFields(parsed.flat, encryptedPaths(meta), (named ?? wechatpay.signer()).privateKey, MAX_ENCRYPTED_VALUES);
    if ('tooMany' in decrypted) {
      const { field, count } = decrypted.tooMany;
      return refuseRequest(400, 'PARAM_ERROR', `the request holds ${count} encrypted values; this server decrypts at most ${MAX_ENCRYPTED_VALUES} in one request`, { field, issue: 'maxEncrypted', location: locationOf(meta, field) });
    }
    if ('undecryptable' in decrypted) {
      const field = decrypted.undecryptable;
      return refuseRequest(400, 'PARAM_ERROR', `${field} is not RSA-OAEP ciphertext for the key Wechatpay-Serial names (${named?.serial ?? 'none sent'})`, { field, location: locationOf(meta, field) });
    }
    record.encryptedFields = decrypted.paths;
    const input = decrypted.plain;
    const plainProblem = checkPlaintext(meta, input, requestOaepLimit);
    if (plainProblem) return refuseRequest(400, 'PARAM_ERROR', plainProblem.message, { field: plainProblem.field, issue: plainProblem.issue, location: plainProblem.location });

    const answer = plan.get(op)!;
    record.answeredBy = answer.source;
    if (answer.problem) return fail500(meta.operationId, `${meta.operationId} cannot be answered: ${answer.problem}`, true);
    const context: HandlerContext = {
      operationId: meta.operationId,
      requestId,
      now: () => new Date(now()),
      cards,
      defaultResponse: () => answer.defaultResponse(input),
      fail: (status, code, message, detail) => new Refusal(status, code, message, detail),
    };
    let result: unknown;
    try {
      result = await answer.answer(input, context);
    } catch (e) {
      if (!(e instanceof Refusal)) return fail500(meta.operationId, `the ${answer.source} for ${meta.operationId} threw: ${e instanceof Error ? e.message : String(e)}`, false);
      result = e;
    }
    if (result instanceof Refusal) return refuse(result.status, result.code, result.message, result.detail);
    const out = successBody(op, result, merchantPublicKey, plainResponse);
    if ('problem' in out) return fail500(meta.operationId, out.problem, true);
    send(meta.successStatus, out.text, fault);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    get clientConfig(): ClientConfig & { baseUrl: string } {
      if (!keys.merchantPrivateKey) throw new Error('clientConfig needs keys.merchantPrivateKey');
      return { mchid, serialNo: merchantSerialNo, privateKey: keys.merchantPrivateKey, ...wechatpay.clientKeyOptions(), apiV3Key: wechatpay.apiV3Key, baseUrl: url };
    },
    operations: operations.map((op) => {
      const { source, problem } = plan.get(op)!;
      return { operationId: op.meta.operationId, method: op.meta.method, path: op.meta.path, answeredBy: source, ...(problem ? { problem } : {}) };
    }),
    requests: () => log.list(),
    inject: (fault, times) => faults.add(fault, times),
    clearFaults: () => faults.clear(),
    cards,
    wechatpay,
    notify: (target, notice, delivery) => {
      const { serial, privateKey } = wechatpay.signer();
      return deliver({ wechatpayPrivateKey: privateKey, serial, apiV3Key: Buffer.from(wechatpay.apiV3Key), now }, target, notice, delivery);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
