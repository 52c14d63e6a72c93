// `wechatpay-local-server` as a child process (under tsx, from source), for tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CONFIG_MARKER } from '../../runtime/local-server/serve.js';
import { ROOT } from '../helpers.js';

/** From source, under tsx. */
const FROM_SOURCE = [path.join(ROOT, 'node_modules/.bin/tsx'), path.join(ROOT, 'runtime/local-server/bin.ts')];

/**
 * Starts the bin (`command`: the program and its script; default from source)
 * with `args`; `ready` resolves with its output up to and including the printed configuration.
 */
export function startServe(args: string[], o: { cwd?: string; command?: string[] } = {}) {
  const [program, ...script] = o.command ?? FROM_SOURCE;
  const child = spawn(program!, [...script, '--port', '0', ...args], { cwd: o.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ready = new Promise<{ out: string; config: Record<string, string> }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const at = out.indexOf(CONFIG_MARKER);
      const json = at < 0 ? '' : out.slice(out.indexOf('{', at));
      if (json.trimEnd().endsWith('}')) resolve({ out, config: JSON.parse(json) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}${err}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  return { ready, stop, output: () => ({ out, err }) };
}

