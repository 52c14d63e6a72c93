// One call, from the caller's flat request object to verified data:
// validate → split into path/query/body → encrypt marked fields → sign the
// exact bytes → send → verify → parse → (opt-in) decrypt. Operations are data
// (OperationMeta, generated from the spec); this is the one code path.
import type { KeyObject } from 'node:crypto';
import { CERTIFICATES_OPERATION, CERTIFICATES_PATH, CertificatesAnswerProblem, readCertificatesAnswer } from './certificate-download.js';
import { aeadDecrypt } from './aead.js';
import { resolveConfig, type ClientConfig, type ResolvedConfig } from './config.js';
import { encryptFields, decryptFields, oaepLimit } from './encrypt.js';
import {
  apiError,
  ConfigError,
  NetworkError,
  ResponseTooLargeError,
  SystemError,
  TimeoutError,
  ValidationError,
  VerificationError,
  WechatPayError,
  type ValidationIssue,
} from './errors.js';
import { H, WECHATPAY_SERIAL } from './headers.js';
import { Keyring, type CertificateDownload } from './keyring.js';
import { authorization, randomNonce } from './sign.js';
import { nodeTransport, RESPONSE_TOO_LARGE, timedSender, TransportTimeout, type TransportFailure, type TransportResponse } from './transport.js';
import { headerFields, requestLine } from './url.js';
import type { NotificationKeys } from './notify/parse.js';
import { validate, type Rule } from './validate.js';
import { keyId, verifySignature, type KeySet, type SignedMessage, type VerifyFailure } from './verify.js';
import { VERSION } from './version.js';

/** What the runtime needs to know about one operation. Generated from the spec. */
export interface OperationMeta {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template, e.g. `/v3/…/user-cards/{user_card_code}/confirm`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Header parameters the caller passes (by their header names); sent as they are, not signed (APIv3 signs method, URL, timestamp, nonce and body). */
  readonly headerParams: readonly string[];
  /** Names that go into the JSON body, in spec order; null when the operation has no body. */
  readonly bodyParams: readonly string[] | null;
  /** Rules for the caller's flat request object (path + query + body fields). */
  readonly request: Rule & { readonly type: 'object' };
  /** Body field paths marked for encryption, e.g. `user_information.common_field_list[].value`. */
  readonly encrypted: readonly string[];
  /** Query parameters marked for encryption; absent when there are none. Their ciphertext is what the URL carries and the signature covers. */
  readonly encryptedQuery?: readonly string[];
  /** Response field paths that arrive encrypted to the merchant. */
  readonly responseEncrypted: readonly string[];
  readonly successStatus: number;
  /** Whether the 2xx answer has a JSON body; without one the call resolves to undefined, whatever the status. */
  readonly responseBody: boolean;
  /** The page requires the Wechatpay-Serial header (the runtime sends it on every request). */
  readonly wechatpaySerialRequired: boolean;
}


/**
 * The methods of a client: each operation function of `T` with its runtime
 * argument bound. It maps over `T` itself, so an editor shows the function's
 * documentation on the method and it is written once in the generated code.
 */
export type Bound<T> = {
  readonly [K in keyof T]: T[K] extends (runtime: Runtime, request: infer Q, options?: CallOptions) => infer R
    ? (request: Q, options?: CallOptions) => R
    : never;
};

export interface CallOptions {
  /** Aborts the call; it then rejects with a NetworkError (code ABORT_ERR). */
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
  /**
   * Called once with the verified answer's status and Request-ID, just before
   * the call resolves (WeChat support asks for the Request-ID first). Errors
   * carry theirs as `requestId`.
   */
  onResponse?: (response: ResponseInfo) => void;
}

export interface ResponseInfo {
  status: number;
  /** The Request-ID header; undefined when the answer had none. */
  requestId: string | undefined;
}

const CALL_OPTIONS: Record<keyof CallOptions, true> = { signal: true, timeoutMs: true, onResponse: true };

export interface Runtime {
  call(meta: OperationMeta, request: object, options?: CallOptions): Promise<unknown>;
  /**
   * Verifies anything WeChat Pay signed (a notification) with this client's
   * keys, as its responses are: certificates are downloaded on first need, and
   * an unknown serial triggers one refresh. Undefined when it checks out.
   */
  verify(message: SignedMessage): Promise<VerifyFailure | undefined>;
  /** Frees the default transport's keep-alive sockets. */
  close(): void;
  /** `verify` and the APIv3 key, for notifications (see notify/parse.ts). */
  readonly notificationKeys: NotificationKeys;
}

const USER_AGENT = `wechatpay-membercard/${VERSION} node/${process.versions.node} (${process.platform})`;

export function createRuntime(config: ClientConfig): Runtime {
  const c = resolveConfig(config);
  const ownTransport = config.transport ? undefined : nodeTransport();
  const transport = timedSender(config.transport ?? ownTransport!);
  const now = config.now ?? Date.now;
  const nonce = config.nonce ?? randomNonce;
  const apiV3Key = c.keys.apiV3Key;
  const keyring = new Keyring(c.keys, apiV3Key && c.keys.downloadCertificates ? (known) => downloadCertificates(apiV3Key, known) : undefined);
  // Certificates are at least 2048 bits, so their limit is at least 2048's (214 bytes).
  const validateOptions = { encrypted: { mode: 'plaintext' as const, oaepLimit: c.keys.publicKey ? oaepLimit(c.keys.publicKey.key) : 214 } };

  async function call(meta: OperationMeta, request: object, options: CallOptions = EMPTY): Promise<unknown> {
    const op = meta.operationId;
    const input = request as Record<string, unknown>;
    let checked: CheckedRequest;
    try {
      checked = checkRequest(meta, input, options);
    } catch (e) {
      throw callerError(op, e);
    }
    const { callerHeaders } = checked;
    let { pathWithQuery } = checked;

    let nowSeconds = Math.floor(now() / 1000);
    const pending = keyring.prepare(op, nowSeconds);
    if (pending) {
      await pending;
      nowSeconds = Math.floor(now() / 1000);
    }
    // One key encrypts every marked field, and Wechatpay-Serial names that key.
    const encryption = keyring.encryptionKey(op, nowSeconds);
    let body = '';
    try {
      // Only an operation with encrypted query parameters builds its request line again, now with their ciphertext.
      if (meta.encryptedQuery) pathWithQuery = requestLine(meta.path, meta.pathParams, meta.queryParams, encryptFields({ ...input }, meta.encryptedQuery, encryption.key, true)).pathWithQuery;
      if (meta.bodyParams) body = bodyOf(op, meta, input, encryption.key);
    } catch (e) {
      throw callerError(op, e);
    }

    // Failover and retries are counted apart: a failover is at most one per
    // call and never uses up a SYSTEM_ERROR retry.
    let baseUrl = c.baseUrl;
    let retries = 0;
    for (;;) {
      try {
        const res = await send(op, meta.method, baseUrl, pathWithQuery, body, encryption.id, options, callerHeaders);
        // Not awaited: only a NetworkError or a SystemError leads anywhere below, and those readResponse throws at once.
        return readResponse(meta, res, options.onResponse);
      } catch (err) {
        if (err instanceof NetworkError && canFailOver(err) && c.backupBaseUrl && baseUrl !== c.backupBaseUrl) {
          baseUrl = c.backupBaseUrl;
          continue;
        }
        if (err instanceof SystemError && c.retry && retries < c.retry.retries && !options.signal?.aborted) {
          await sleep(backoff(c, retries++), options.signal);
          continue;
        }
        throw err;
      }
    }
  }

  // The request and the options, checked; returns the path and query to sign.
  function checkRequest(meta: OperationMeta, input: Record<string, unknown>, options: CallOptions): CheckedRequest {
    const issues = validate(input, meta.request, validateOptions);
    if (options !== EMPTY) issues.push(...optionIssues(options));
    if (issues.length > 0) throw new ValidationError(meta.operationId, issues);
    // Values are well-typed from here on, so the request line only adds its own issues.
    const line = requestLine(meta.path, meta.pathParams, meta.queryParams, input);
    const callerHeaders = meta.headerParams.length ? headerFields(meta.headerParams, input, line.issues) : undefined;
    if (line.issues.length > 0) throw new ValidationError(meta.operationId, line.issues);
    return { pathWithQuery: line.pathWithQuery, callerHeaders };
  }

  // The body bytes: the body fields, marked ones encrypted, as JSON.
  function bodyOf(op: string, meta: OperationMeta, input: Record<string, unknown>, key: KeyObject): string {
    const fields: Record<string, unknown> = {};
    for (const name of meta.bodyParams!) if (input[name] !== undefined) fields[name] = input[name];
    const encoded = encryptFields(fields, meta.encrypted, key, true);
    try {
      return JSON.stringify(encoded);
    } catch {
      // Only on failure: find the fields JSON cannot carry (a BigInt, a cycle, a toJSON that throws).
      const issues: ValidationIssue[] = [];
      for (const [name, value] of Object.entries(encoded)) {
        try {
          JSON.stringify(value);
        } catch {
          issues.push({ path: name, rule: 'json', message: 'cannot be written as JSON (a BigInt, a cycle, or a toJSON that throws)' });
        }
      }
      throw new ValidationError(op, issues);
    }
  }

  // One attempt: a fresh timestamp, nonce and signature over the same body bytes.
  async function send(
    op: string,
    method: OperationMeta['method'],
    baseUrl: string,
    pathWithQuery: string,
    body: string,
    serial: string | undefined,
    options: CallOptions,
    callerHeaders?: Record<string, string>,
  ): Promise<TransportResponse> {
    const timestamp = Math.floor(now() / 1000);
    const authorizationValue = authorization({ method, pathWithQuery, body, timestamp, nonce: nonce(), mchid: c.mchid, serialNo: c.serialNo, privateKey: c.privateKey });
    // The caller's header parameters first, so that ours are the ones sent should a name repeat.
    const headers: Record<string, string> = callerHeaders ? { ...callerHeaders } : {};
    headers.Accept = 'application/json';
    headers['User-Agent'] = USER_AGENT;
    headers.Authorization = authorizationValue;
    if (serial !== undefined) headers[WECHATPAY_SERIAL] = serial;
    // A request without a body says nothing about a body's type.
    if (body !== '') headers['Content-Type'] = 'application/json';

    const timeoutMs = options.timeoutMs ?? c.timeoutMs;
    const limit = c.maxResponseBytes;
    let res: TransportResponse;
    try {
      res = await transport({ method, origin: baseUrl, path: pathWithQuery, headers, body, maxResponseBytes: limit, timeoutMs, signal: options.signal });
    } catch (e) {
      // A transport's error may be anything; only a `beforeSend: true` it set says nothing reached the server.
      const err = (e ?? {}) as TransportFailure;
      const beforeSend = err.beforeSend === true;
      if (e instanceof TransportTimeout) throw new TimeoutError(op, timeoutMs, beforeSend);
      if (options.signal?.aborted) throw new NetworkError(op, 'the call was aborted by its signal', 'ABORT_ERR', beforeSend);
      if (err.code === RESPONSE_TOO_LARGE) throw new ResponseTooLargeError(op, limit, err.status ?? 0, err.headers?.[H.requestId], err.resent === true);
      throw new NetworkError(op, `request to ${baseUrl} failed: ${err.code ?? errorName(e)}`, err.code, beforeSend);
    }
    // A transport of the caller's may not honour the limit; the answer is refused all the same.
    if (res.body.length > limit) throw new ResponseTooLargeError(op, limit, res.status, res.headers[H.requestId], res.resent === true);
    return res;
  }

  function readResponse(meta: OperationMeta, res: TransportResponse, onResponse: CallOptions['onResponse']): unknown {
    const op = meta.operationId;
    const requestId = res.headers[H.requestId];
    if (res.status < 200 || res.status > 299) throw errorFrom(op, res, requestId);

    const failure = verifySignature(res, keyring.keys, Math.floor(now() / 1000));
    if (failure) {
      if (failure.reason === 'unknown-serial' && keyring.downloads) return verifyAfterRefresh(meta, res, onResponse);
      throw new VerificationError(op, failure.reason, failure.message, res.status, requestId);
    }
    return readVerified(meta, res, onResponse);
  }

  // A serial not known yet may be a certificate WeChat has just started to sign with.
  async function verifyAfterRefresh(meta: OperationMeta, res: TransportResponse, onResponse: CallOptions['onResponse']): Promise<unknown> {
    await keyring.refreshForUnknownSerial(Math.floor(now() / 1000));
    const failure = verifySignature(res, keyring.keys, Math.floor(now() / 1000));
    if (failure) throw new VerificationError(meta.operationId, failure.reason, failure.message, res.status, res.headers[H.requestId]);
    return readVerified(meta, res, onResponse);
  }

  function readVerified(meta: OperationMeta, res: TransportResponse, onResponse: CallOptions['onResponse']): unknown {
    const op = meta.operationId;
    const requestId = res.headers[H.requestId];
    if (!meta.responseBody) {
      onResponse?.({ status: res.status, requestId });
      return undefined;
    }
    if (res.body.length === 0) {
      throw new VerificationError(op, 'invalid-json', `response has no body; ${op} answers a JSON object`, res.status, requestId);
    }

    let data: unknown;
    try {
      data = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new VerificationError(op, 'invalid-json', `response body is not valid JSON (${res.body.length} bytes)`, res.status, requestId);
    }
    if (data === null || typeof data !== 'object') {
      throw new VerificationError(op, 'invalid-json', 'response body is not a JSON object', res.status, requestId);
    }
    if (c.decryptResponses && meta.responseEncrypted.length > 0) {
      data = decryptFields(data, meta.responseEncrypted, c.privateKey, (path) => {
        throw new VerificationError(op, 'undecryptable-field', `response field ${path} does not decrypt with the merchant private key`, res.status, requestId);
      });
    }
    onResponse?.({ status: res.status, requestId });
    return data;
  }

  // GET /v3/certificates, signed like any call; its answer is verified with the keys
  // at hand plus the certificates it carries, which the APIv3 key authenticates.
  async function downloadCertificates(key: Buffer, known: KeySet): ReturnType<CertificateDownload> {
    const op = CERTIFICATES_OPERATION;
    const res = await send(op, 'GET', c.baseUrl, CERTIFICATES_PATH, '', undefined, {});
    const requestId = res.headers[H.requestId];
    if (res.status !== 200) throw errorFrom(op, res, requestId);
    let certs;
    try {
      certs = readCertificatesAnswer(res.body, key);
    } catch (e) {
      if (e instanceof CertificatesAnswerProblem) throw new VerificationError(op, e.reason, e.message, res.status, requestId);
      throw e;
    }
    const all = new Map(known);
    for (const cert of certs) all.set(keyId(cert.id), cert);
    const failure = verifySignature(res, all, Math.floor(now() / 1000));
    if (failure) throw new VerificationError(op, failure.reason, failure.message, res.status, requestId);
    return certs;
  }

  // Without a promise when the keys at hand decide (the usual case): no download pending, no unknown serial to fetch certificates for.
  function verify(message: SignedMessage): VerifyFailure | undefined | Promise<VerifyFailure | undefined> {
    const pending = keyring.prepare('verify', Math.floor(now() / 1000));
    if (pending) return pending.then(() => verifyOrRefresh(message));
    return verifyOrRefresh(message);
  }

  function verifyOrRefresh(message: SignedMessage): VerifyFailure | undefined | Promise<VerifyFailure | undefined> {
    const failure = verifySignature(message, keyring.keys, Math.floor(now() / 1000));
    if (failure?.reason !== 'unknown-serial' || !keyring.downloads) return failure;
    return keyring.refreshForUnknownSerial(Math.floor(now() / 1000)).then((changed) => (changed ? verifySignature(message, keyring.keys, Math.floor(now() / 1000)) : failure));
  }

  // Notifications: the same verifier as above, and the APIv3 key, which never leaves this closure.
  const notificationKeys: NotificationKeys = {
    verify,
    decrypt(resource) {
      if (!apiV3Key) throw new ConfigError('apiV3Key', 'is required to decrypt notifications: add the APIv3 key (32 bytes) to the client configuration');
      return aeadDecrypt(apiV3Key, resource);
    },
  };

  return {
    call,
    verify: async (message) => verify(message),
    close: () => ownTransport?.close(),
    notificationKeys,
  };
}

function errorFrom(op: string, res: TransportResponse, requestId: string | undefined): WechatPayError {
  const text = res.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const o = parsed as { code?: unknown; message?: unknown; detail?: unknown } | undefined;
  if (o && typeof o === 'object' && typeof o.code === 'string') {
    return apiError(op, {
      status: res.status,
      code: o.code,
      message: typeof o.message === 'string' ? o.message : undefined,
      detail: o.detail,
      requestId,
      resent: res.resent,
    });
  }
  return apiError(op, { status: res.status, code: undefined, message: undefined, detail: undefined, requestId, bodySnippet: text.slice(0, 200), resent: res.resent });
}

function backoff(c: ResolvedConfig, attempt: number): number {
  const r = c.retry!;
  const ceiling = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

// Ends early when the caller aborts; the next attempt then fails at once with ABORT_ERR.
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

// Only a connection that failed before sending moves to the backup domain: not a timeout, not the caller's abort.
function canFailOver(err: NetworkError): boolean {
  return !err.mayHaveTakenEffect && err.kind === 'network' && err.code !== 'ABORT_ERR';
}

interface CheckedRequest {
  pathWithQuery: string;
  callerHeaders: Record<string, string> | undefined;
}

// Whatever the caller passed, a failure while reading it is a ValidationError: nothing has been signed or sent.
function callerError(op: string, e: unknown): WechatPayError {
  if (e instanceof WechatPayError) return e;
  // A getter or proxy that throws: the error's own message may quote values, so only its name is kept.
  return new ValidationError(op, [{ path: '(request)', rule: 'unreadable', message: `reading the request threw ${errorName(e)}` }]);
}

const EMPTY: CallOptions = {};

// CallOptions are checked only when given, so the common call pays nothing.
function optionIssues(options: unknown): ValidationIssue[] {
  if (options === null || typeof options !== 'object') return [{ path: '(options)', rule: 'type', message: 'must be an object or undefined' }];
  const o = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(o)) {
    if (!(name in CALL_OPTIONS)) issues.push({ path: `(options).${name}`, rule: 'unknownField', message: `is not a call option (${Object.keys(CALL_OPTIONS).join(', ')})` });
  }
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === 'number' && Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) {
    issues.push({ path: '(options).timeoutMs', rule: 'type', message: 'must be a positive number of milliseconds' });
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) issues.push({ path: '(options).signal', rule: 'type', message: 'must be an AbortSignal' });
  if (o.onResponse !== undefined && typeof o.onResponse !== 'function') issues.push({ path: '(options).onResponse', rule: 'type', message: 'must be a function' });
  return issues;
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}
