// Bench server, run in its own process: answers every request with one
// signed UserCard. The signature is cached per second so the server's cost
// stays out of what the clients are measured on.
import { createPrivateKey, createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const key = createPrivateKey(readFileSync(new URL('../test/fixtures/keys/wechatpay.key.pem', import.meta.url)));
const publicKeyId = process.argv[2];
const BODY = JSON.stringify({
  user_card_code: '478515832665', card_id: 'pbLatjvWOibDc5-TBnbUk1pD12o0', openid: 'obLatjnx9gnqzS4myYGmLZ7LgLBA', brand_id: '1004',
  card_type: 'NORMAL', valid_date_information: { type: 'PERMANENT' }, pickup_time: '2020-05-20T13:29:35+08:00', user_card_state: 'EFFECTIVE',
  create_time: '2020-05-20T13:29:35+08:00', modify_time: '2020-05-20T13:29:35+08:00',
});
let cached = { ts: '', nonce: '', signature: '' };

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    const ts = String(Math.floor(Date.now() / 1000));
    if (ts !== cached.ts) {
      const nonce = randomBytes(16).toString('hex');
      cached = { ts, nonce, signature: createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${BODY}\n`).sign(key, 'base64') };
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Request-ID': 'BENCH',
      'Wechatpay-Timestamp': cached.ts,
      'Wechatpay-Nonce': cached.nonce,
      'Wechatpay-Signature': cached.signature,
      'Wechatpay-Serial': publicKeyId,
    });
    res.end(BODY);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
