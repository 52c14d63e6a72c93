// One error hierarchy for everything a call can throw. Every error names the
// operation. No error ever holds a key, a request body, or the plaintext of an
// encrypted field: messages carry field paths, rules and lengths, never values.
// Every error also says whether WeChat may have acted on the request
// (`mayHaveTakenEffect`), so a caller knows whether to query before repeating.

export type ErrorKind = 'config' | 'validation' | 'api' | 'verification' | 'notification' | 'response-too-large' | 'certificate' | 'network' | 'timeout';

export abstract class WechatPayError extends Error {
  abstract readonly kind: ErrorKind;
  /** operationId of the call, or `config` for construction errors. */
  readonly operation: string;
  /**
   * False only when WeChat cannot have acted on the request: it was never sent,
   * it never reached the server, or the answer was a 4xx refusal. True when it
   * may have been applied (a timeout or reset after sending, a 5xx, a 2xx that
   * failed verification): query the resource before repeating a call that
   * changes something.
   */
  readonly mayHaveTakenEffect: boolean;

  constructor(operation: string, message: string, mayHaveTakenEffect: boolean) {
    super(`${operation}: ${message}`);
    this.operation = operation;
    this.mayHaveTakenEffect = mayHaveTakenEffect;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** Plain data for logs: the same fields a caller can read, nothing more. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const key of Object.keys(this)) out[key] = (this as Record<string, unknown>)[key];
    return out;
  }
}

/** A bad client configuration: missing field, unreadable key. Thrown by createClient. */
export class ConfigError extends WechatPayError {
  readonly kind = 'config';
  readonly field: string;
  constructor(field: string, message: string) {
    super('config', `${field}: ${message}`, false);
    this.field = field;
  }
}

export interface ValidationIssue {
  /** Field path in wire names, e.g. `user_information.common_field_list[0].value`. */
  path: string;
  /**
   * The rule broken: required, type, maxLength, maxItems, enum, maximum, minimum, pattern, format, unknownField,
   * encryptedLength, pathSegment, controlCharacter (a path or query value), headerValue, encoding (a lone surrogate), json (a value JSON cannot carry), unreadable (reading it threw).
   */
  rule: string;
  message: string;
}

/** The request broke a rule of the spec. Raised before anything is encrypted, signed or sent. */
export class ValidationError extends WechatPayError {
  readonly kind = 'validation';
  readonly issues: readonly ValidationIssue[];
  constructor(operation: string, issues: readonly ValidationIssue[]) {
    super(operation, issues.map((i) => `${i.path}: ${i.message}`).join('; '), false);
    this.issues = issues;
  }
}

export interface ApiErrorInit {
  status: number;
  /** WeChat's error code; undefined when the body was not an APIv3 error object (a gateway's HTML page). */
  code: string | undefined;
  message: string | undefined;
  detail: unknown;
  requestId: string | undefined;
  /** The first 200 characters of a body that was not an APIv3 error object. */
  bodySnippet?: string;
  /** The request went out twice (see TransportResponse.resent): the first attempt may have been acted on. */
  resent?: boolean | undefined;
}

/** WeChat (or a gateway in front of it) answered with a non-2xx status. */
export class ApiError extends WechatPayError {
  readonly kind = 'api';
  readonly status: number;
  readonly code: string | undefined;
  readonly wechatMessage: string | undefined;
  readonly detail: unknown;
  readonly requestId: string | undefined;
  readonly bodySnippet: string | undefined;

  constructor(operation: string, init: ApiErrorInit) {
    const what = init.code ? `${init.code}: ${init.message ?? ''}` : 'response body is not an APIv3 error object';
    super(operation, `HTTP ${init.status} ${what} (Request-ID ${init.requestId ?? 'none'})`, mayHaveActed(init.status) || init.resent === true);
    this.status = init.status;
    this.code = init.code;
    this.wechatMessage = init.message;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.bodySnippet = init.bodySnippet;
  }
}

export class ParamError extends ApiError {}
export class InvalidRequestError extends ApiError {}
export class SignError extends ApiError {}
export class SystemError extends ApiError {}
export class NoAuthError extends ApiError {}
export class RateLimitError extends ApiError {}

// Documented APIv3 error codes that get their own class.
const API_ERROR_CLASSES: Record<string, typeof ApiError> = {
  PARAM_ERROR: ParamError,
  INVALID_REQUEST: InvalidRequestError,
  SIGN_ERROR: SignError,
  SYSTEM_ERROR: SystemError,
  NO_AUTH: NoAuthError,
  RATELIMIT_EXCEEDED: RateLimitError,
};

export function apiError(operation: string, init: ApiErrorInit): ApiError {
  const Class = (init.code && API_ERROR_CLASSES[init.code]) || ApiError;
  return new Class(operation, init);
}

export type VerificationReason =
  /** A Wechatpay-* header is absent. */
  | 'missing-header'
  /** A Wechatpay-* header arrived more than once (HTTP stacks join repeats with ", "). */
  | 'duplicate-header'
  /** Wechatpay-Serial names neither the configured public key nor a known platform certificate. */
  | 'unknown-serial'
  /** Signed by a platform certificate past its validity. */
  | 'expired-certificate'
  /** Signed by a platform certificate before its validity begins. */
  | 'certificate-not-yet-valid'
  /** Wechatpay-Timestamp is not a number of seconds. */
  | 'malformed-timestamp'
  /** Wechatpay-Timestamp is more than 5 minutes from the client's clock. */
  | 'stale-timestamp'
  /** Wechatpay-Signature is not exactly one base64 signature of the key's size. */
  | 'malformed-signature'
  /** The signature does not verify (a WECHATPAY/SIGNTEST/ probe included). */
  | 'bad-signature'
  /** A 2xx body that is not a JSON object. */
  | 'invalid-json'
  /** A field marked encrypted in the response does not decrypt with the merchant private key. */
  | 'undecryptable-field';

/** A 2xx response that cannot be trusted or read: it is never returned as data. */
export class VerificationError extends WechatPayError {
  readonly kind = 'verification';
  readonly reason: VerificationReason;
  readonly status: number;
  readonly requestId: string | undefined;
  constructor(operation: string, reason: VerificationReason, message: string, status: number, requestId: string | undefined) {
    // A 2xx arrived: WeChat may well have applied the call, whatever is wrong with the answer.
    super(operation, `${message} (HTTP ${status}, Request-ID ${requestId ?? 'none'})`, true);
    this.reason = reason;
    this.status = status;
    this.requestId = requestId;
  }
}

/**
 * No valid WeChat Pay platform certificate could be had for the call (the
 * download from /v3/certificates failed, or every certificate has expired).
 * The call itself was not sent. `cause` is the download's own error, if any.
 */
export class CertificateError extends WechatPayError {
  readonly kind = 'certificate';
  override readonly cause: WechatPayError | undefined;
  constructor(operation: string, message: string, cause?: WechatPayError) {
    super(operation, cause ? `${message}: ${cause.message}` : message, false);
    this.cause = cause;
  }
}

/**
 * The answer's body was longer than `maxResponseBytes`: the client stopped
 * reading and closed the connection. The status was read, the body was not.
 */
export class ResponseTooLargeError extends WechatPayError {
  readonly kind = 'response-too-large';
  readonly maxResponseBytes: number;
  readonly status: number;
  readonly requestId: string | undefined;
  constructor(operation: string, maxResponseBytes: number, status: number, requestId: string | undefined, resent = false) {
    super(
      operation,
      `HTTP ${status} response body is larger than maxResponseBytes (${maxResponseBytes}); it was not read (Request-ID ${requestId ?? 'none'})`,
      mayHaveActed(status) || resent,
    );
    this.maxResponseBytes = maxResponseBytes;
    this.status = status;
    this.requestId = requestId;
  }
}

/**
 * The check a notification failed. The signature checks are those of
 * responses (VerificationReason, without `invalid-json`); then the body itself.
 */
export type NotificationCheck =
  | Exclude<VerificationReason, 'invalid-json' | 'undecryptable-field'>
  /** The body is larger than the handler accepts. */
  | 'body-too-large'
  /** Another middleware read (or parsed) the body before the handler: the raw bytes are gone, so nothing can be verified. */
  | 'body-already-read'
  /** The verified body is not a JSON object. */
  | 'invalid-json'
  /** `event_type` names no notification of the spec. */
  | 'unknown-event-type'
  /** The envelope breaks the spec (a field missing, too long, an unknown algorithm …): see `issues`. */
  | 'envelope'
  /** The resource does not decrypt with the APIv3 key: wrong key, or damaged or forged ciphertext. */
  | 'undecryptable'
  /** The decrypted resource is not JSON, or breaks the spec: see `issues`. */
  | 'resource';

/**
 * A notification that cannot be trusted or read. It is never handed to the
 * application. `status` is what the handler answers WeChat (which then sends
 * the notification again). Holds no key and no plaintext of the resource.
 */
export class NotificationError extends WechatPayError {
  readonly kind = 'notification';
  readonly check: NotificationCheck;
  /** The HTTP status the handler answers for it: 401 for the signature checks, 413 too large, else 400. */
  readonly status: number;
  /** Field paths and rules, for `envelope` and `resource`. */
  readonly issues: readonly ValidationIssue[];
  /** The notification's `id`, once the envelope could be read. */
  readonly notificationId: string | undefined;
  readonly requestId: string | undefined;
  constructor(
    check: NotificationCheck,
    message: string,
    init: { status: number; issues?: readonly ValidationIssue[] | undefined; notificationId?: string | undefined; requestId?: string | undefined },
  ) {
    super('notification', `${message} (Request-ID ${init.requestId ?? 'none'})`, false);
    this.check = check;
    this.status = init.status;
    this.issues = init.issues ?? [];
    this.notificationId = init.notificationId;
    this.requestId = init.requestId;
  }
}

/** The request did not complete: connection refused or reset, DNS failure, aborted by the caller. */
export class NetworkError extends WechatPayError {
  readonly kind: ErrorKind = 'network';
  // ASCII only: esbuild keeps a class field's doc comment in the bundle, and one non-ASCII character makes V8 read the
  // whole chunk as two-byte text (the pack test checks the client's bundles).
  /** Node's error code (ECONNRESET, ECONNREFUSED, ABORT_ERR, etc.) when there is one. */
  readonly code: string | undefined;
  /** `beforeSend`: no byte of the request can have reached the server (the connection was never made). */
  constructor(operation: string, message: string, code: string | undefined, beforeSend: boolean) {
    super(operation, message, !beforeSend);
    this.code = code;
  }
}

export class TimeoutError extends NetworkError {
  override readonly kind = 'timeout';
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number, beforeSend: boolean) {
    super(operation, `no complete response within ${timeoutMs} ms; the request was aborted`, 'ETIMEDOUT', beforeSend);
    this.timeoutMs = timeoutMs;
  }
}

// A 4xx is a refusal (bad parameters, signature, rights, rate limit): nothing was applied.
// Anything else that was answered (a 5xx, a 2xx, a redirect) may have been.
function mayHaveActed(status: number): boolean {
  return status < 400 || status > 499;
}
