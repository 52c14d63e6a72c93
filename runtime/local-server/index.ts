// A strict local stand-in for WeChat Pay's three membership-card endpoints,
// on 127.0.0.1. It is driven by the generated metadata (the same spec as the
// client): it verifies the request signature, headers, fields and encrypted
// values the way WeChat would, keeps cards in memory, and signs every answer.
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { confirmUserCardMeta, invalidateUserCardMeta, updateCardTemplateMeta } from '../../generated/metadata.js';
import type { OperationMeta } from '../call.js';
import type { ClientConfig } from '../config.js';
import { decryptFields, encryptFields, oaepLimit } from '../encrypt.js';
import { mapStringsAt } from '../fields.js';
import { rsaSign } from '../sign.js';
import { validate } from '../validate.js';
import { checkAuthorization, NonceStore } from './auth.js';
import { CardStore, DEFAULT_TEMPLATES, type Template } from './cards.js';
import { FaultQueue, type Fault } from './faults.js';

export type { Fault } from './faults.js';
export type { Template } from './cards.js';

const OPERATIONS: readonly OperationMeta[] = [confirmUserCardMeta, invalidateUserCardMeta, updateCardTemplateMeta];

export interface LocalWechatPayKeys {
  /** Verifies request signatures. */
  merchantPublicKey: KeyObject | string;
  /** Optional: only used to hand out a ready `clientConfig`. */
  merchantPrivateKey?: KeyObject | string;
  /** Signs responses and decrypts request fields. */
  wechatpayPrivateKey: KeyObject | string;
}

export interface LocalWechatPayOptions {
  /** Default 0: a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** Default: two fresh 2048-bit key pairs. */
  keys?: LocalWechatPayKeys;
  mchid?: string;
  merchantSerialNo?: string;
  wechatpayPublicKeyId?: string;
  /** Card templates that exist; default two test templates of brand 1004. */
  templates?: readonly Template[];
  /** The server's clock, ms since the epoch. */
  now?: () => number;
}

export interface RequestRecord {
  operationId: string | undefined;
  method: string;
  /** The request target as it arrived (path and query, still percent-encoded). */
  target: string;
  status: number;
  /** `OK`, or the error code answered. */
  verdict: string;
  /** Why the request was refused, when it was. */
  reason: string | undefined;
  /** Paths of marked fields that arrived encrypted and decrypted correctly. */
  encryptedFields: string[];
  requestId: string;
}

export interface LocalWechatPay {
  /** Base URL for the client, e.g. http://127.0.0.1:53121 */
  url: string;
  /** Everything createClient needs to talk to this server (when the merchant private key is known). */
  clientConfig: ClientConfig;
  /** Every request received, oldest first. */
  requests(): readonly RequestRecord[];
  /** The next `times` requests (default 1) get `fault`. */
  inject(fault: Fault, times?: number): void;
  clearFaults(): void;
  cards: CardStore;
  close(): Promise<void>;
}

const generate = promisify(generateKeyPair);

export async function startLocalWechatPay(options: LocalWechatPayOptions = {}): Promise<LocalWechatPay> {
  const keys = options.keys ?? (await freshKeys());
  const merchantPublicKey = toPublic(keys.merchantPublicKey);
  const wechatpayPrivateKey = toPrivate(keys.wechatpayPrivateKey);
  const mchid = options.mchid ?? '1900000001';
  const merchantSerialNo = options.merchantSerialNo ?? 'LOCAL0MERCHANT0SERIAL0000000001';
  const publicKeyId = options.wechatpayPublicKeyId ?? 'PUB_KEY_ID_0000000000LOCAL0000000001';
  const now = options.now ?? Date.now;
  const store = new CardStore(options.templates ?? DEFAULT_TEMPLATES, () => new Date(now()));
  const nonces = new NonceStore();
  const faults = new FaultQueue();
  const log: RequestRecord[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res).catch((e: unknown) => {
        // A bug here must show, not hang the client.
        res.destroy(e instanceof Error ? e : new Error(String(e)));
      });
    });
  });

  async function handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const requestId = randomBytes(16).toString('hex').toUpperCase();
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const record: RequestRecord = { operationId: undefined, method, target, status: 0, verdict: 'OK', reason: undefined, encryptedFields: [], requestId };
    log.push(record);
    const nowSeconds = () => Math.floor(now() / 1000);

    const send = (status: number, payload: unknown, tamper?: Fault) => {
      const text = payload === undefined ? '' : JSON.stringify(payload);
      const wire = tamper?.type === 'truncated-json' ? text.slice(0, Math.floor(text.length / 2)) : text;
      const timestamp = String(nowSeconds() - (tamper?.type === 'stale-timestamp' ? 600 : 0));
      const nonce = randomBytes(16).toString('hex');
      const headers: Record<string, string> = {
        'Request-ID': requestId,
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': tamper?.type === 'wrong-serial' ? 'PUB_KEY_ID_SOMEONE_ELSE' : publicKeyId,
        // bad-signature: a real signature, but over another nonce than the header says (works for 204 too).
        'Wechatpay-Signature': rsaSign(`${timestamp}\n${tamper?.type === 'bad-signature' ? `x${nonce}` : nonce}\n${wire}\n`, wechatpayPrivateKey),
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      };
      if (tamper?.type === 'missing-signature') delete headers['Wechatpay-Signature'];
      if (wire) headers['Content-Type'] = 'application/json; charset=utf-8';
      record.status = status;
      res.writeHead(status, headers).end(wire);
    };
    const refuse = (status: number, code: string, message: string, detail?: unknown) => {
      record.verdict = code;
      record.reason = message;
      send(status, detail === undefined ? { code, message } : { code, message, detail });
    };

    const meta = route(method, target);
    record.operationId = meta?.op.operationId;
    if (!meta) return refuse(404, 'NOT_FOUND', `no such API: ${method} ${target.split('?')[0]}`);
    const op = meta.op;

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

    const authProblem = checkAuthorization(req.headers.authorization, { method, target, body }, { mchid, serialNo: merchantSerialNo, merchantPublicKey }, nonces, nowSeconds());
    if (authProblem) return refuse(401, 'SIGN_ERROR', authProblem);

    const headerProblem = checkHeaders(req.headers, op, publicKeyId, body.length > 0);
    if (headerProblem) return refuse(400, 'INVALID_REQUEST', headerProblem);

    const parsed = readRequest(op, meta.pathValues, target, body);
    if ('problem' in parsed) return refuse(400, 'PARAM_ERROR', parsed.problem.message, { field: parsed.problem.field, location: parsed.problem.location });

    const issues = validate(parsed.flat, op.request, { encrypted: { mode: 'ciphertext' } });
    if (issues.length > 0) {
      const first = issues[0]!;
      return refuse(400, 'PARAM_ERROR', `${first.path} ${first.message}`, { field: first.path, issue: first.rule, location: 'body' });
    }

    let plainBody: unknown;
    try {
      plainBody = decryptFields(parsed.body, op.encrypted, wechatpayPrivateKey, (path) => {
        throw new UndecryptableField(path);
      });
    } catch (e) {
      if (!(e instanceof UndecryptableField)) throw e;
      return refuse(400, 'PARAM_ERROR', `${e.path} is not RSA-OAEP ciphertext for the WeChat Pay public key`, { field: e.path, location: 'body' });
    }
    record.encryptedFields = presentPaths(parsed.body, op.encrypted);

    const input = { ...parsed.flat, ...(plainBody as Record<string, unknown>) };
    // Encrypted fields were checked above only for being ciphertext; their plaintext rules (pattern, enum, format, the OAEP limit) apply now.
    const plainIssues = op.encrypted.length ? validate(input, op.request, { encrypted: { mode: 'plaintext', oaepLimit: oaepLimit(wechatpayPrivateKey) } }) : [];
    if (plainIssues.length > 0) {
      const first = plainIssues[0]!;
      return refuse(400, 'PARAM_ERROR', `${first.path} ${first.message}`, { field: first.path, issue: first.rule, location: 'body' });
    }
    const result =
      op === confirmUserCardMeta ? store.confirm(input) : op === invalidateUserCardMeta ? store.invalidate(input) : store.updateTemplate(input);
    if ('error' in result) return refuse(result.error.status, result.error.code, result.error.message);
    if (op.successStatus === 204) return send(204, undefined, fault);
    return send(op.successStatus, encryptFields(result.card, op.responseEncrypted, merchantPublicKey), fault);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const wechatpayPublicKey = createPublicKey(wechatpayPrivateKey);
  return {
    url,
    get clientConfig(): ClientConfig {
      if (!keys.merchantPrivateKey) throw new Error('clientConfig needs keys.merchantPrivateKey');
      return { mchid, serialNo: merchantSerialNo, privateKey: keys.merchantPrivateKey, wechatpayPublicKeyId: publicKeyId, wechatpayPublicKey, baseUrl: url };
    },
    requests: () => log.slice(),
    inject: (fault, times) => faults.add(fault, times),
    clearFaults: () => faults.clear(),
    cards: store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// Each operation's path template as a pattern, compiled once.
const ROUTES = OPERATIONS.map((op) => {
  const names: string[] = [];
  const source = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { op, names, pattern: new RegExp(`^${source}$`) };
});

function route(method: string, target: string): { op: OperationMeta; pathValues: Record<string, string> } | undefined {
  const pathname = target.split('?')[0]!;
  for (const { op, names, pattern } of ROUTES) {
    const m = op.method === method ? pattern.exec(pathname) : null;
    if (!m) continue;
    const pathValues: Record<string, string> = {};
    try {
      names.forEach((n, i) => (pathValues[n] = decodeURIComponent(m[i + 1]!)));
    } catch {
      continue;
    }
    return { op, pathValues };
  }
  return undefined;
}

function checkHeaders(h: http.IncomingHttpHeaders, op: OperationMeta, publicKeyId: string, hasBody: boolean): string | undefined {
  const accept = h.accept ?? '';
  if (!/application\/json|\*\/\*/.test(accept)) return 'Accept must be application/json';
  if (hasBody && !/^application\/json\s*(;|$)/i.test(h['content-type'] ?? '')) return 'Content-Type must be application/json';
  const serial = h['wechatpay-serial'];
  if (op.wechatpaySerialRequired && !serial) return 'Wechatpay-Serial is required: the body carries encrypted fields';
  if (serial !== undefined && serial !== publicKeyId) return `Wechatpay-Serial ${String(serial)} is not the WeChat Pay public key id`;
  return undefined;
}

type Parsed = { flat: Record<string, unknown>; body: Record<string, unknown> } | { problem: { field: string; location: string; message: string } };

function readRequest(op: OperationMeta, pathValues: Record<string, string>, target: string, raw: Buffer): Parsed {
  const flat: Record<string, unknown> = { ...pathValues };
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  for (const pair of query ? query.split('&') : []) {
    const [k = '', v = ''] = pair.split('=', 2);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(k);
      value = decodeURIComponent(v);
    } catch {
      return { problem: { field: k, location: 'query', message: 'query is not valid percent-encoding' } };
    }
    if (!op.queryParams.includes(name)) return { problem: { field: name, location: 'query', message: `unknown query parameter ${name}` } };
    if (name in flat) return { problem: { field: name, location: 'query', message: `query parameter ${name} appears twice` } };
    flat[name] = value;
  }
  let body: Record<string, unknown> = {};
  if (op.bodyParams) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { problem: { field: '(body)', location: 'body', message: 'body is not valid JSON' } };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: { field: '(body)', location: 'body', message: 'body must be a JSON object' } };
    body = parsed as Record<string, unknown>;
    for (const name of Object.keys(body)) {
      if (!op.bodyParams.includes(name)) return { problem: { field: name, location: 'body', message: `${name} is not a body field of this API` } };
      flat[name] = body[name];
    }
  } else if (raw.length > 0) {
    return { problem: { field: '(body)', location: 'body', message: 'this API takes no body' } };
  }
  return { flat, body };
}

/** The marked paths that hold at least one string in `body`. */
function presentPaths(body: unknown, paths: readonly string[]): string[] {
  return paths.filter((p) => {
    let found = false;
    mapStringsAt(body, [p], (v) => ((found = true), v));
    return found;
  });
}

async function freshKeys(): Promise<LocalWechatPayKeys> {
  const opts = { modulusLength: 2048 } as const;
  const [merchant, wechatpay] = await Promise.all([generate('rsa', opts), generate('rsa', opts)]);
  return { merchantPublicKey: merchant.publicKey, merchantPrivateKey: merchant.privateKey, wechatpayPrivateKey: wechatpay.privateKey };
}

function toPublic(k: KeyObject | string): KeyObject {
  return typeof k === 'string' ? createPublicKey(k) : k.type === 'private' ? createPublicKey(k) : k;
}

function toPrivate(k: KeyObject | string): KeyObject {
  return typeof k === 'string' ? createPrivateKey(k) : k;
}

class UndecryptableField extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
