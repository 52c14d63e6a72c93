// A request the client would never send (a missing field, a plaintext where
// ciphertext belongs), signed correctly unless told otherwise.
import http from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { ClientConfig } from '../../runtime/config.js';
import { authorization } from '../../runtime/sign.js';
import { keys } from '../helpers.js';

export interface RawAnswer {
  status: number;
  body: { code?: string; message?: string; detail?: { field?: string; location?: string; issue?: string } } | undefined;
}

export function raw(
  server: { url: string; clientConfig: ClientConfig },
  o: { method: string; target: string; body?: unknown; key?: KeyObject; headers?: Record<string, string> },
): Promise<RawAnswer> {
  const body = o.body === undefined ? '' : JSON.stringify(o.body);
  const auth = authorization({
    method: o.method,
    pathWithQuery: o.target,
    body,
    timestamp: Math.floor(Date.now() / 1000),
    nonce: `n-${Math.random()}`,
    mchid: server.clientConfig.mchid,
    serialNo: server.clientConfig.serialNo,
    privateKey: o.key ?? keys.merchantPrivate,
  });
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json', 'Wechatpay-Serial': server.clientConfig.wechatpayPublicKeyId ?? '', Authorization: auth, 'Content-Length': String(Buffer.byteLength(body)), ...o.headers };
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${o.target}`, { method: o.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
