// A notification from WeChat Pay, from its headers and raw body to typed data:
// verify (signature, serial, time window: the client's own verifier) → parse
// the envelope → find its kind by event_type → check the envelope against the
// spec → decrypt the resource with the APIv3 key → check it against the spec.
// Every failure is a NotificationError naming the check; none holds a key or
// the resource's plaintext.
import { AeadError, type AeadResource } from '../aead.js';
import { NotificationError, type NotificationCheck, type ValidationIssue } from '../errors.js';
import { H } from '../headers.js';
import { validate, type ValidateOptions } from '../validate.js';
import type { SignedMessage, VerifyFailure } from '../verify.js';
import { notificationHeaders, type IncomingHeaders, type NotificationHeaders } from './headers.js';
import type { NotificationMeta } from './meta.js';

/** What parsing needs from the client's configuration. The client provides it; it holds no key in sight. */
export interface NotificationKeys {
  /**
   * The client's response verifier: Wechatpay-Serial, Wechatpay-Timestamp window, Wechatpay-Signature over the raw body.
   * Answers at once when the keys at hand decide (the usual case); a promise when it must wait for a certificate download.
   */
  verify(message: SignedMessage): VerifyFailure | undefined | Promise<VerifyFailure | undefined>;
  /** AEAD_AES_256_GCM with the APIv3 key; throws AeadError when the tag does not check out. */
  decrypt(resource: AeadResource): Buffer;
}

/** Parses one notification; resolves to the typed event, or rejects with a NotificationError. */
export type NotificationParser<N> = (headers: IncomingHeaders, body: Buffer | string) => Promise<N>;

// The envelope has no encrypted (RSA) fields; maxLength applies to what arrived.
const AS_ARRIVED: ValidateOptions = { encrypted: { mode: 'ciphertext' } };

export function notificationParser<N>(keys: NotificationKeys, metas: readonly NotificationMeta[]): NotificationParser<N> {
  const byEventType = new Map<string, NotificationMeta>();
  for (const meta of metas) for (const type of meta.eventTypes) byEventType.set(type, meta);
  const known = [...byEventType.keys()].join(', ');
  // The rules of a generated client's notifications load with the first notification, not with the client.
  const loaders = metas.flatMap((m) => (m.load ? [m.load] : []));
  let loading: Promise<unknown> | undefined;
  let loaded = loaders.length === 0;

  return async (headers, rawBody) => {
    const h = notificationHeaders(headers);
    const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
    if (!Buffer.isBuffer(body)) {
      throw refused(h, 'body-already-read', `the body must be the raw bytes as they arrived (a Buffer or string), got ${body === null ? 'null' : typeof body}: a body parsed as JSON cannot be verified`, 400);
    }
    // Synchronous unless a certificate download must finish first: no promise to wait on in the usual case.
    const verified = keys.verify({ headers: h, body });
    const failure = isPromise(verified) ? await verified : verified;
    if (failure) throw refused(h, failure.reason, failure.message, 401);
    if (!loaded) {
      await (loading ??= Promise.all(loaders.map((l) => l())).then(
        () => (loaded = true),
        (e: unknown) => {
          loading = undefined;
          throw e;
        },
      ));
    }
    return read(body, h) as N;
  };

  // Everything after the signature: envelope, event type, decryption, resource.
  function read(body: Buffer, h: NotificationHeaders): unknown {
    let envelope: unknown;
    try {
      envelope = JSON.parse(body.toString('utf8'));
    } catch {
      throw refused(h, 'invalid-json', `the body is not valid JSON (${body.length} bytes)`, 400);
    }
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw refused(h, 'invalid-json', 'the body is not a JSON object', 400);
    const e = envelope as Record<string, unknown>;
    const id = typeof e['id'] === 'string' ? e['id'] : undefined;

    const eventType = e['event_type'];
    const meta = typeof eventType === 'string' ? byEventType.get(eventType) : undefined;
    if (!meta) {
      const got = typeof eventType === 'string' ? JSON.stringify(eventType.slice(0, 64)) : eventType === undefined ? 'missing' : `a ${typeof eventType}`;
      throw refused(h, 'unknown-event-type', `event_type ${got} is none of ${known}`, 400, [], id);
    }
    const envelopeIssues = validate(e, meta.envelope, AS_ARRIVED);
    if (envelopeIssues.length > 0) throw refused(h, 'envelope', `${meta.name}: ${summary(envelopeIssues)}`, 400, envelopeIssues, id);

    let plaintext: Buffer;
    try {
      plaintext = keys.decrypt(e['resource'] as AeadResource);
    } catch (err) {
      if (err instanceof AeadError) throw refused(h, 'undecryptable', `${meta.name}: resource ${err.message}`, 400, [], id);
      throw err;
    }
    let resource: unknown;
    try {
      resource = JSON.parse(plaintext.toString('utf8'));
    } catch {
      throw refused(h, 'resource', `${meta.name}: the decrypted resource is not valid JSON (${plaintext.length} bytes)`, 400, [], id);
    }
    const resourceIssues = validate(resource, meta.resource, AS_ARRIVED, 'resource');
    if (resourceIssues.length > 0) throw refused(h, 'resource', `${meta.name}: ${summary(resourceIssues)}`, 400, resourceIssues, id);

    return { ...e, resource };
  }
}

function refused(h: NotificationHeaders, check: NotificationCheck, message: string, status: number, issues?: readonly ValidationIssue[], notificationId?: string): NotificationError {
  return new NotificationError(check, message, { status, issues, notificationId, requestId: h[H.requestId] });
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

// Paths and rules only: validate's messages never quote values.
function summary(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
