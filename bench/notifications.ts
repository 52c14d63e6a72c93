// Card event notifications as WeChat sends them, for the notification benches:
// each its own id, nonce, ciphertext and signature, built on node:crypto alone.
import { createCipheriv, createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const pem = (f: string) => readFileSync(new URL(`../test/fixtures/keys/${f}`, import.meta.url), 'utf8');
export const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
export const API_V3_KEY = 'a7c3d1f09b8e4c2d6f5a3b1e0c9d8f7a';
export const NOW = 1_760_000_000;

export interface Notification {
  headers: Record<string, string>;
  body: Buffer;
}

// WeChat's side, built once: COUNT distinct notifications (own id, nonce, ciphertext, signature).
export function build(i: number): Notification {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('membercard'));
  const resource = JSON.stringify({
    event_type: 'MEMBERCARDSP.USER_CARD.CREATE', event_time: '2025-10-09T16:53:20+08:00', user_card_code: String(478515832665 + i),
    card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA', brand_id: '1004', card_type: 'NORMAL', card_color: 'COLOR010',
  });
  const ciphertext = Buffer.concat([cipher.update(resource), cipher.final(), cipher.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: `EV-${String(i).padStart(20, '0')}`, create_time: '2025-10-09T16:53:21+08:00', resource_type: 'encrypt-resource', event_type: 'MEMBERCARDSP.USER_CARD.CREATE',
    summary: '用户开通会员卡通知', resource: { original_type: 'membercard', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'membercard', nonce },
  });
  const ts = String(NOW);
  const n = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256').update(`${ts}\n${n}\n${body}\n`).sign(pem('wechatpay.key.pem'), 'base64');
  // Lower-case, as node:http hands them over.
  return { headers: { 'wechatpay-timestamp': ts, 'wechatpay-nonce': n, 'wechatpay-signature': signature, 'wechatpay-serial': PUBLIC_KEY_ID, 'request-id': 'BENCH' }, body: Buffer.from(body) };
}
