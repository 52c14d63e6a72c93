// The local WeChat Pay's notifications: it announces an event to a notify_url
// the way WeChat does. The resource is encrypted with AEAD_AES_256_GCM under
// the merchant's APIv3 key; the body is signed with the WeChat Pay key
// (TIMESTAMP\nNONCE\nBODY\n) and posted as JSON. Only 200 and 204 count as
// received; anything else, no answer within 5 s, or a failed connection is
// tried again after the next delay (WeChat: every 60 s, up to 11 times).
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { aeadEncrypt } from '../aead.js';
import { REQUEST_ID, WECHATPAY_NONCE, WECHATPAY_SERIAL, WECHATPAY_SIGNATURE, WECHATPAY_SIGNATURE_TYPE, WECHATPAY_TIMESTAMP } from '../headers.js';
import { AUTH_SCHEME, rsaSign } from '../sign.js';
import { rfc3339 } from './time.js';

/** WeChat's schedule, per the facts: 11 more tries, 60 s apart. */
export const WECHAT_RETRY_DELAYS_MS: readonly number[] = Array<number>(11).fill(60_000);
/** How long WeChat waits for the merchant's answer. */
export const ANSWER_TIMEOUT_MS = 5_000;

export interface NotificationSigner {
  /** Signs the body, as WeChat signs responses. */
  wechatpayPrivateKey: KeyObject;
  /** Wechatpay-Serial: the public key id (or certificate serial) of that key. */
  serial: string;
  /** The merchant's APIv3 key, 32 bytes. */
  apiV3Key: Buffer;
  /** ms since the epoch. */
  now: () => number;
}

export interface CardEventNotice {
  event_type: string;
  /** The resource before encryption, e.g. { event_type, user_card_code, card_id, openid, brand_id, … }. */
  resource: Record<string, unknown>;
  /** Default: a fresh UUID. A repeat of an earlier notification keeps its id. */
  id?: string;
  summary?: string;
}

export interface DeliveryOptions {
  /** Delays before each further try; default WECHAT_RETRY_DELAYS_MS. `[]`: one try only. */
  retryDelaysMs?: readonly number[];
  /** Per try; default 5000 ms, as WeChat. */
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  /** The HTTP status answered, or undefined when there was none. */
  status: number | undefined;
  /** Why the try failed: `HTTP 500`, `timeout`, `ECONNREFUSED`, … */
  failure: string | undefined;
}

export interface Delivery {
  id: string;
  url: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
}

const SUMMARIES: Record<string, string> = {
  'MEMBERCARDSP.USER_CARD.CREATE': '用户开通会员卡通知',
  'MEMBERCARDSP.USER_CARD.DELETE': '用户删除会员卡通知',
};

/** The body WeChat would post for `notice`, as text. */
export function notificationBody(signer: NotificationSigner, notice: CardEventNotice): { id: string; body: string } {
  const id = notice.id ?? randomUUID();
  const resource = aeadEncrypt(signer.apiV3Key, JSON.stringify(notice.resource), 'membercard');
  const envelope = {
    id,
    create_time: rfc3339(new Date(signer.now())),
    resource_type: 'encrypt-resource',
    event_type: notice.event_type,
    summary: notice.summary ?? SUMMARIES[notice.event_type] ?? '会员卡事件通知',
    resource: { original_type: 'membercard', ...resource },
  };
  return { id, body: JSON.stringify(envelope) };
}

/** Posts `notice` to `url` until it is received or the delays run out. */
export async function deliver(signer: NotificationSigner, url: string, notice: CardEventNotice, options: DeliveryOptions = {}): Promise<Delivery> {
  const { id, body } = notificationBody(signer, notice);
  const delays = options.retryDelaysMs ?? WECHAT_RETRY_DELAYS_MS;
  const delivery: Delivery = { id, url, delivered: false, attempts: [] };
  for (let attempt = 0; ; attempt++) {
    const result = await post(signer, url, body, options.timeoutMs ?? ANSWER_TIMEOUT_MS);
    delivery.attempts.push(result);
    if (result.status === 200 || result.status === 204) {
      delivery.delivered = true;
      return delivery;
    }
    if (attempt >= delays.length) return delivery;
    await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
  }
}

// One try: signed afresh, so its timestamp is current.
async function post(signer: NotificationSigner, url: string, body: string, timeoutMs: number): Promise<DeliveryAttempt> {
  const timestamp = String(Math.floor(signer.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const headers = {
    'Content-Type': 'application/json',
    [REQUEST_ID]: randomBytes(16).toString('hex').toUpperCase(),
    [WECHATPAY_TIMESTAMP]: timestamp,
    [WECHATPAY_NONCE]: nonce,
    [WECHATPAY_SERIAL]: signer.serial,
    [WECHATPAY_SIGNATURE]: rsaSign(`${timestamp}\n${nonce}\n${body}\n`, signer.wechatpayPrivateKey),
    [WECHATPAY_SIGNATURE_TYPE]: AUTH_SCHEME,
  };
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status, failure: res.status === 200 || res.status === 204 ? undefined : `HTTP ${res.status}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { status: undefined, failure: err.name === 'TimeoutError' ? 'timeout' : err.cause?.code ?? err.cause?.message ?? err.message };
  }
}
