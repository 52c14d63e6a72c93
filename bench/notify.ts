// Cost of reading one card event notification: verify the signature, check
// the envelope, decrypt the resource, parse and check it. Our client's
// parseNotification against a hand-written floor doing the same checks on
// node:crypto, in this process, interleaved (A B A B …) so that machine noise
// hits both alike; ratios are taken within each round. CPU per notification
// is this process's user+sys over the run. Prints; asserts nothing.
//   npm run bench:notify [-- --count 5000 --rounds 9]
import { createDecipheriv, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from '../generated/index.js';
import { API_V3_KEY, build, NOW, pem, PUBLIC_KEY_ID, type Notification } from './notifications.js';
import { median, roundRatios, spread } from './stats.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '9' } } });
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);

// The floor: the least a correct reader can do, written straight on
// node:crypto with no error types and no generic validator, but with every
// check ours makes, so that the ratio is the cost of ours and not of checks
// the floor skips:
// - headers: all four present, none repeated (no comma), the serial, the
//   timestamp a number of seconds within 5 minutes, the signature not a
//   SIGNTEST probe and one base64 signature of the key's size, then RSA-SHA256
//   over the raw body;
// - envelope: a JSON object of a known event type, its required fields, each
//   string well-formed Unicode within its length in characters (code points),
//   create_time an RFC 3339 date-time on a real calendar day, the enums, the
//   resource's algorithm, ciphertext and nonce;
// - decryption: AES-256-GCM with the tag;
// - resource: a JSON object whose known fields, when present, are well-formed strings.
function floorParser(publicKey: KeyObject, apiV3Key: Buffer) {
  const EVENT_TYPES = new Set(['MEMBERCARDSP.USER_CARD.CREATE', 'MEMBERCARDSP.USER_CARD.DELETE']);
  const RFC3339 = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
  const SECONDS = /^\d{1,12}$/;
  const SIGNATURE = /^[A-Za-z0-9+/]+={0,2}$/;
  const SIGNATURE_CHARS = 344; // 2048-bit RSA
  const KNOWN = ['event_type', 'event_time', 'user_card_code', 'card_id', 'openid', 'card_color', 'card_picture_url', 'brand_id', 'card_type'];
  const wellFormed = (v: unknown): v is string => typeof v === 'string' && (v as unknown as { isWellFormed(): boolean }).isWellFormed();
  // Length in characters: code points, counted only when UTF-16 units say it may be too long.
  const str = (v: unknown, max = Infinity) => wellFormed(v) && (v.length <= max || [...v].length <= max);
  const realDay = (m: RegExpExecArray) => {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    return day <= days;
  };
  const dateTime = (v: unknown) => {
    const m = str(v, 32) ? RFC3339.exec(v as string) : null;
    return m !== null && realDay(m);
  };
  return (h: Record<string, string>, body: Buffer): unknown => {
    const [ts, nonce, signature, serial] = [h['wechatpay-timestamp'], h['wechatpay-nonce'], h['wechatpay-signature'], h['wechatpay-serial']];
    if (!ts || !nonce || !signature || !serial || ts.includes(',') || nonce.includes(',') || signature.includes(',') || serial.includes(',')) throw new Error('floor: headers');
    if (serial !== PUBLIC_KEY_ID || !SECONDS.test(ts) || Math.abs(NOW - Number(ts)) > 300) throw new Error('floor: headers');
    if (signature.startsWith('WECHATPAY/SIGNTEST/') || signature.length !== SIGNATURE_CHARS || !SIGNATURE.test(signature)) throw new Error('floor: signature');
    if (!createVerify('RSA-SHA256').update(`${ts}\n${nonce}\n`).update(body).update('\n').verify(publicKey, signature, 'base64')) throw new Error('floor: signature');
    const e = JSON.parse(body.toString('utf8')) as Record<string, any>;
    if (typeof e !== 'object' || e === null || Array.isArray(e) || !EVENT_TYPES.has(e['event_type'])) throw new Error('floor: event type');
    const r = e['resource'];
    if (!str(e['id'], 36) || !dateTime(e['create_time']) || e['resource_type'] !== 'encrypt-resource' || !str(e['summary'], 64) ||
      typeof r !== 'object' || r === null || Array.isArray(r) || r['algorithm'] !== 'AEAD_AES_256_GCM' || !str(r['ciphertext']) || !str(r['nonce'], 12) ||
      (r['associated_data'] !== undefined && !str(r['associated_data'])) || (r['original_type'] !== undefined && !str(r['original_type']))) {
      throw new Error('floor: envelope');
    }
    const data = Buffer.from(r['ciphertext'], 'base64');
    if (r['nonce'] === '' || data.length < 16) throw new Error('floor: resource');
    const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(r['nonce']), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(r['associated_data'] ?? ''));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plain = decipher.update(data.subarray(0, data.length - 16));
    decipher.final();
    const event = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new Error('floor: resource');
    for (const k of KNOWN) if (event[k] !== undefined && !wellFormed(event[k])) throw new Error('floor: resource');
    return { ...e, resource: event };
  };
}

type Parse = (n: Notification) => unknown;

interface Stats {
  cpuUs: number;
  wallUs: number;
}

async function measure(parse: Parse, notes: readonly Notification[]): Promise<Stats> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const n of notes) await parse(n);
  const wallUs = ((performance.now() - t0) * 1000) / notes.length;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / notes.length, wallUs };
}

async function main() {
  const client = createClient({
    mchid: '1900000001', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey: pem('merchant.key.pem'),
    wechatpayPublicKeyId: PUBLIC_KEY_ID, wechatpayPublicKey: pem('wechatpay.pub.pem'), apiV3Key: API_V3_KEY, now: () => NOW * 1000,
  });
  const floor = floorParser(createPublicKey(pem('wechatpay.pub.pem')), Buffer.from(API_V3_KEY));
  const notes = Array.from({ length: COUNT }, (_, i) => build(i));
  const parsers: Record<string, Parse> = {
    floor: (n) => floor(n.headers, n.body),
    ours: (n) => client.parseNotification(n.headers, n.body),
  };
  // Both must read the same thing, or the comparison means nothing.
  const [a, b] = [floor(notes[0]!.headers, notes[0]!.body), await client.parseNotification(notes[0]!.headers, notes[0]!.body)];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('floor and ours disagree on the first notification');
  for (const parse of Object.values(parsers)) for (const n of notes.slice(0, Math.min(500, COUNT))) await parse(n);

  console.log(`card event notification, verify + decrypt + parse: ${COUNT} per parser per round, ${ROUNDS} rounds, interleaved\n`);
  const rounds: Record<string, Stats[]> = { floor: [], ours: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, parse] of Object.entries(parsers)) rounds[name]!.push(await measure(parse, notes));
  }
  const ratios = (name: string, of: (s: Stats) => number) => roundRatios(rounds, name, of);
  console.log('  parser   CPU µs/notification  CPU ratio (median, min–max)   wall µs/notification  wall ratio (median, min–max)');
  for (const name of Object.keys(parsers)) {
    const mid = (of: (s: Stats) => number) => median(rounds[name]!.map(of)).toFixed(1);
    console.log(
      `  ${name.padEnd(8)} ${mid((s) => s.cpuUs).padStart(19)}  ${spread(ratios(name, (s) => s.cpuUs)).padEnd(28)} ${mid((s) => s.wallUs).padStart(20)}  ${spread(ratios(name, (s) => s.wallUs))}`,
    );
  }
  console.log('\ntarget: ours ≤ 1.10× the floor in CPU');
  client.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
