// Card event notifications as WeChat Pay sends them, built with node:crypto
// alone (not with the code under test): AES-256-GCM under an APIv3 key, then
// signed like a response (TIMESTAMP\nNONCE\nBODY\n, RSA-SHA256).
import { createCipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { wechatHeaders } from './helpers.js';

export const API_V3_KEY = 'a7c3d1f09b8e4c2d6f5a3b1e0c9d8f7a'; // 32 bytes, TEST-ONLY
export const OTHER_API_V3_KEY = 'b7c3d1f09b8e4c2d6f5a3b1e0c9d8f7a';
export const NOW = 1_760_000_000;
export const CREATE = 'MEMBERCARDSP.USER_CARD.CREATE';
export const DELETE = 'MEMBERCARDSP.USER_CARD.DELETE';

export const CARD_EVENT = {
  event_type: CREATE,
  event_time: '2025-10-09T16:53:20+08:00',
  user_card_code: '478515832665',
  card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0',
  openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA',
  brand_id: '1004',
  card_type: 'NORMAL',
  card_color: 'COLOR010',
  // A field beyond those the facts name: kept, typed loosely.
  member_note: { source: 'mini-program' },
};

export interface Built {
  headers: Record<string, string>;
  body: string;
}

export interface BuildOptions {
  id?: string;
  eventType?: string;
  resource?: unknown;
  /** The resource's plaintext as is (for a plaintext that is not JSON). */
  plaintext?: string;
  apiV3Key?: string;
  timestamp?: number;
  signKey?: KeyObject;
  serial?: string;
  /** Flip one bit of the GCM tag after encrypting. */
  flipTag?: boolean;
  /** Change the envelope before it is signed. */
  envelope?: (e: Record<string, unknown>) => void;
}

export function cardNotification(o: BuildOptions = {}): Built {
  const nonce = randomBytes(6).toString('hex');
  const associatedData = 'membercard';
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(o.apiV3Key ?? API_V3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  const plaintext = o.plaintext ?? JSON.stringify(o.resource ?? { ...CARD_EVENT, event_type: o.eventType ?? CREATE });
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  if (o.flipTag) sealed[sealed.length - 1]! ^= 0x01;
  const envelope: Record<string, unknown> = {
    id: o.id ?? 'EV-2018022511223320873',
    create_time: '2025-10-09T16:53:21+08:00',
    resource_type: 'encrypt-resource',
    event_type: o.eventType ?? CREATE,
    summary: '用户开通会员卡通知',
    resource: { original_type: 'membercard', algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: associatedData, nonce },
  };
  o.envelope?.(envelope);
  const body = JSON.stringify(envelope);
  return { headers: { 'Content-Type': 'application/json', ...wechatHeaders(body, { timestamp: o.timestamp ?? NOW, key: o.signKey, serial: o.serial }) }, body };
}

/** A body that is not JSON, correctly signed. */
export function signedText(text: string, timestamp = NOW): Built {
  return { headers: wechatHeaders(text, { timestamp }), body: text };
}
