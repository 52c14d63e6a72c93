// The floor: the least a correct confirm call can cost. node:crypto with keys
// parsed once, node:http with a keep-alive agent, two OAEP encryptions, one
// signature, one verification, one JSON.parse. No validation, no error mapping.
// The same response checks as ours: the key named by Wechatpay-Serial (one Map
// lookup, the public key id or a certificate serial) and within its validity,
// the 5-minute timestamp window, the signature over the raw body, status 200.
// And the same safety a correct client needs, as ours has: a time limit on the
// call (one timer), a cap on the body it reads, and a response that breaks
// off mid-body rejects instead of leaving the call pending for ever.
import { constants, createSign, createVerify, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';

export interface FloorConfig {
  host: string;
  port: number;
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  /** WeChat Pay's keys by serial; the first encrypts the request fields and is named in its Wechatpay-Serial. */
  keys: readonly FloorKey[];
}

export interface FloorKey {
  /** The public key id, or a certificate's serial. */
  id: string;
  key: KeyObject;
  /** Validity in seconds since the epoch (±Infinity for the public key). */
  notBefore: number;
  notAfter: number;
}

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;

export function floorClient(c: FloorConfig) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const byId = new Map(c.keys.map((k) => [k.id, k]));
  const encryptWith = c.keys[0]!;
  const enc = (s: string) => publicEncrypt({ key: encryptWith.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(s)).toString('base64');
  return {
    close: () => agent.destroy(),
    confirm(code: string, cardId: string, body: { brand_id: string; openid: string; phone_number: string; birthday: string }): Promise<unknown> {
      const path = `/v3/brand/partner/card-member/user-cards/${encodeURIComponent(code)}/confirm?card_id=${encodeURIComponent(cardId)}`;
      const json = JSON.stringify({
        brand_id: body.brand_id,
        openid: body.openid,
        phone_number: enc(body.phone_number),
        user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: enc(body.birthday) }] },
        user_card_confirm_state: 'CREATE_CARD_SUCCESS',
      });
      const ts = Math.floor(Date.now() / 1000);
      const nonce = randomBytes(16).toString('hex');
      const signature = createSign('RSA-SHA256').update(`POST\n${path}\n${ts}\n${nonce}\n${json}\n`).sign(c.privateKey, 'base64');
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: c.host, port: c.port, method: 'POST', path, agent,
            headers: {
              Accept: 'application/json', 'Content-Type': 'application/json', 'Wechatpay-Serial': encryptWith.id, 'Content-Length': Buffer.byteLength(json),
              Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${c.mchid}",nonce_str="${nonce}",timestamp="${ts}",serial_no="${c.serialNo}",signature="${signature}"`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (d: Buffer) => {
              if ((size += d.length) > MAX_BODY_BYTES) req.destroy(new Error('floor: body too large'));
              else chunks.push(d);
            });
            res.on('error', fail);
            res.on('end', () => {
              clearTimeout(timer);
              const raw = Buffer.concat(chunks);
              const h = res.headers;
              const now = Date.now() / 1000;
              const k = byId.get(String(h['wechatpay-serial']));
              const ok = k !== undefined && now >= k.notBefore && now < k.notAfter && Math.abs(now - Number(h['wechatpay-timestamp'])) <= 300 &&
                createVerify('RSA-SHA256').update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n`).update(raw).update('\n').verify(k.key, String(h['wechatpay-signature']), 'base64');
              if (!ok || res.statusCode !== 200) reject(new Error('floor: bad response'));
              else resolve(JSON.parse(raw.toString()));
            });
          },
        );
        const timer = setTimeout(() => req.destroy(new Error('floor: timed out')), TIMEOUT_MS);
        function fail(e: Error) {
          clearTimeout(timer);
          reject(e);
        }
        req.on('error', fail);
        req.end(json);
      });
    },
  };
}
