// The parent's side of test/redis/handler-process.ts: starts one, reads its
// lines, and stops or kills it by the pid it was started with.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { KEY_DIR, MCHID, PUBLIC_KEY_ID, ROOT, SERIAL_NO } from '../helpers.js';
import { API_V3_KEY } from '../notifications.js';
import type { ClientName } from './clients.js';

export interface HandlerLine {
  event: 'listening' | 'handling' | 'handled' | 'error' | 'synced';
  id?: string;
  url?: string;
  message?: string;
}

export interface HandlerProcess {
  url: string;
  pid: number;
  /** Every line so far. */
  lines: HandlerLine[];
  /** Resolves with the first line (from now on, or already read) that `match` accepts. */
  waitFor(match: (line: HandlerLine) => boolean): Promise<HandlerLine>;
  /** Resolves once every line the process wrote before this call has been read. */
  sync(): Promise<void>;
  /** Lets a notification held in onNotification (user_card_code 'hold') return. */
  release(id: string): void;
  /** SIGKILL: the process dies where it is, nothing cleaned up. */
  kill(): Promise<void>;
  /** SIGTERM: it closes its server and Redis client, then exits. */
  stop(): Promise<void>;
}

export async function startHandler(client: ClientName, redisPort: number, leaseMs: number): Promise<HandlerProcess> {
  const env = {
    ...process.env,
    REDIS_CLIENT: client,
    REDIS_PORT: String(redisPort),
    LEASE_MS: String(leaseMs),
    KEY_DIR,
    MCHID,
    SERIAL_NO,
    PUBLIC_KEY_ID,
    API_V3_KEY,
  };
  // node --import tsx: one process, so the pid is the handler's own (tsx's launcher would add a parent).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/redis/handler-process.ts')], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: HandlerLine[] = [];
  const waiting: { match: (line: HandlerLine) => boolean; resolve: (line: HandlerLine) => void }[] = [];
  let rest = '';
  let syncs = 0;
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    rest += c.toString();
    const parts = rest.split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      const line = JSON.parse(part) as HandlerLine;
      lines.push(line);
      for (const w of waiting.filter((w) => w.match(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (match: (line: HandlerLine) => boolean) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<HandlerLine>((resolve, reject) => {
      waiting.push({ match, resolve });
      void exited.then(() => reject(new Error(`the handler process exited: ${err}`)));
    });
  };
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, name);
    await exited;
  };
  const { url } = await waitFor((l) => l.event === 'listening');
  return {
    url: url!,
    pid: child.pid!,
    lines,
    waitFor,
    sync: async () => {
      const token = String(++syncs);
      await fetch(new URL(`/sync?token=${token}`, url));
      await waitFor((l) => l.event === 'synced' && l.id === token);
    },
    release: (id) => child.stdin.write(`release ${id}\n`),
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
