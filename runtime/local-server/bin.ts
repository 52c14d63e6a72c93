#!/usr/bin/env node
// `wechatpay-local-server [--port N]`, the client package's bin: the local
// WeChat Pay as a process, until Ctrl-C. The work is in serve.ts.
import { parseArgs } from 'node:util';
import { serve } from './serve.js';

const HELP = `Usage: wechatpay-local-server [--port N]

Runs the local WeChat Pay on 127.0.0.1 (default port: a free one) until Ctrl-C,
and prints a client configuration with the paths of its fresh key files.`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = Number(values.port ?? 0);
  if (values.port === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port takes a port number from 0 to 65535');
    return 2;
  }
  await serve(port);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 70;
  },
);
