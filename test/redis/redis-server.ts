// A real redis-server for the tests: started on a free port of 127.0.0.1,
// with no persistence (nothing saved, no append-only file) and its working
// folder in the test run's temp folder, stopped by the pid it was started
// with. No redis-server on the machine is a failure, never a skip: CI
// installs the Debian package (.ci/run).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RedisServer {
  port: number;
  /** The running server's pid (0 while stopped). */
  readonly pid: number;
  /** Stops the server (SIGTERM to its pid) and waits for it to exit. The port stays ours to start again on. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wxp-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  // A port that was free a moment ago can be taken before redis binds it: try another.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir);
      break;
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test(String(e))) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid!, 'SIGTERM');
    await exited;
  };
  return {
    port,
    get pid() {
      return child?.pid ?? 0;
    },
    stop,
    restart: async () => {
      await stop();
      child = await launch(port, dir);
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`redis-server ${why} (install it: apt-get install -y redis-server): ${out}`));
    child.once('error', (e) => fail(`could not be started: ${e.message}`));
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`));
    const read = (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) {
        child.removeAllListeners('exit');
        child.stdout!.off('data', read);
        resolve(child);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
