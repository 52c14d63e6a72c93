// Per-call cost of one complete confirm call: our generated client, the
// hand-written floor, and wechatpay-axios-plugin, against a signing server in
// another process. Interleaved (A B C A B C …) so machine noise hits all alike;
// ratios are taken within each round. Two measures per client and round:
// wall time per call, and CPU per call (this process's user+sys over the run,
// divided by calls; the server's CPU is in its own process and not counted).
// CPU is the steadier of the two on a shared machine. Prints; asserts nothing.
// `npm run bench:client` bundles this file with esbuild and runs it with plain
// node, so our client, the floor and the plugin all run as shipped JavaScript:
// under tsx every nested function pays a keepNames `__name` call per creation,
// a cost no user of the bundle pays.
//   npm run bench:client [-- --calls 2000 --rounds 5]
import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { createClient } from '../generated/index.js';
import { floorClient } from './floor.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = [1, 16];

const pem = (f: string) => readFileSync(new URL(`../test/fixtures/keys/${f}`, import.meta.url), 'utf8');
const MCHID = '1900000001';
const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const CODE = '478515832665';
const CARD_ID = 'pbLatjvWOibDc5-TBnbUk1pD12o0';
const PHONE = '13800138000';
const BIRTHDAY = '1990-07-15';

type Call = () => Promise<unknown>;

async function main() {
  const server = spawn(process.execPath, [new URL('../bench/server.mjs', import.meta.url).pathname, PUBLIC_KEY_ID], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise<string>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const ours = createClient({ mchid: MCHID, serialNo: SERIAL, privateKey: pem('merchant.key.pem'), wechatpayPublicKeyId: PUBLIC_KEY_ID, wechatpayPublicKey: pem('wechatpay.pub.pem'), baseUrl });
    const floor = floorClient({ host: '127.0.0.1', port, mchid: MCHID, serialNo: SERIAL, privateKey: createPrivateKey(pem('merchant.key.pem')), publicKeyId: PUBLIC_KEY_ID, publicKey: createPublicKey(pem('wechatpay.pub.pem')) });
    const plugin = axiosPlugin(baseUrl);

    const clients: Record<string, Call> = {
      floor: () => floor.confirm(CODE, CARD_ID, { brand_id: '1004', openid: 'o', phone_number: PHONE, birthday: BIRTHDAY }),
      ours: () =>
        ours.confirmUserCard({
          user_card_code: CODE, card_id: CARD_ID, brand_id: '1004', openid: 'o', phone_number: PHONE,
          user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: BIRTHDAY }] },
          user_card_confirm_state: 'CREATE_CARD_SUCCESS',
        }),
      'wechatpay-axios-plugin': plugin,
    };
    for (const call of Object.values(clients)) for (let i = 0; i < 200; i++) await call();

    console.log(`confirm call on loopback: ${CALLS} calls per client per round, ${ROUNDS} rounds, interleaved\n`);
    for (const concurrency of CONCURRENCY) {
      const names = Object.keys(clients);
      const rounds: Record<string, Stats[]> = Object.fromEntries(names.map((n) => [n, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, call] of Object.entries(clients)) rounds[name]!.push(await measure(call, CALLS, concurrency));
      }
      // Ratios are taken within a round (same machine state), then summarised over rounds.
      const ratios = (name: string, of: (s: Stats) => number) => rounds[name]!.map((s, i) => of(s) / of(rounds['floor']![i]!));
      console.log(`concurrency ${concurrency}`);
      console.log('  client                   CPU µs/call  CPU ratio (median, min–max)   wall µs/call  wall ratio (median, min–max)   p50 µs   p99 µs');
      for (const name of names) {
        const cpu = ratios(name, (s) => s.cpuUs);
        const wall = ratios(name, (s) => s.perCallUs);
        const mid = (of: (s: Stats) => number) => median(rounds[name]!.map(of));
        console.log(
          `  ${name.padEnd(24)} ${mid((s) => s.cpuUs).toFixed(0).padStart(11)}  ${spread(cpu).padEnd(28)} ${mid((s) => s.perCallUs).toFixed(0).padStart(13)}  ${spread(wall).padEnd(29)} ${mid((s) => s.p50).toFixed(0).padStart(6)} ${mid((s) => s.p99).toFixed(0).padStart(8)}`,
        );
      }
      console.log('');
    }
    ours.close();
    floor.close();
  } finally {
    server.kill('SIGTERM');
  }
}

interface Stats {
  /** This process's user+sys CPU over the run, per call. */
  cpuUs: number;
  perCallUs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(call: Call, calls: number, concurrency: number): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        const s = performance.now();
        await call();
        latencies.push((performance.now() - s) * 1000);
      }
    }),
  );
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return { cpuUs: (cpu.user + cpu.system) / calls, perCallUs: (totalMs * 1000) / calls, perSecond: calls / (totalMs / 1000), p50: latencies[Math.floor(calls * 0.5)]!, p99: latencies[Math.floor(calls * 0.99)]! };
}

function spread(ratios: number[]): string {
  return `${median(ratios).toFixed(3)}× (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// wechatpay-axios-plugin, the most-used Node SDK, doing the same call: keys
// handed over once, fields encrypted with its own Rsa helper.
function axiosPlugin(baseURL: string): Call {
  const require = createRequire(import.meta.url);
  const { Wechatpay, Rsa } = require('wechatpay-axios-plugin') as {
    Wechatpay: new (o: object) => { v3: Record<string, any> };
    Rsa: { encrypt(s: string, k: unknown): string; from(k: string, t: string): unknown; KEY_TYPE_PUBLIC: string };
  };
  const wxpay = new Wechatpay({ mchid: MCHID, serial: SERIAL, privateKey: pem('merchant.key.pem'), certs: { [PUBLIC_KEY_ID]: pem('wechatpay.pub.pem') }, baseURL });
  const publicKey = Rsa.from(pem('wechatpay.pub.pem'), Rsa.KEY_TYPE_PUBLIC);
  const endpoint = wxpay.v3.brand.partner.cardMember.userCards._user_card_code_.confirm;
  return () =>
    endpoint.post(
      {
        brand_id: '1004', openid: 'o', phone_number: Rsa.encrypt(PHONE, publicKey),
        user_information: { common_field_list: [{ name: 'USER_FORM_FLAG_BIRTHDAY', value: Rsa.encrypt(BIRTHDAY, publicKey) }] },
        user_card_confirm_state: 'CREATE_CARD_SUCCESS',
      },
      { params: { card_id: CARD_ID }, user_card_code: CODE, headers: { 'Wechatpay-Serial': PUBLIC_KEY_ID } },
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
