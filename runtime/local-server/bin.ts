#!/usr/bin/env node
// `wechatpay-local-server [--port N] [--client PATH] [--card-store]`, the client package's
// bin: the local WeChat Pay as a process, until Ctrl-C. The work is in serve.ts.
import { parseArgs } from 'node:util';
import { serve } from './serve.js';

const HELP = `Usage: wechatpay-local-server [--port N] [--client PATH] [--card-store]

Runs the local WeChat Pay on 127.0.0.1 (default port: a free one) until Ctrl-C,
prints the operations it serves and how each is answered, and a client
configuration with the paths of its fresh key files (deleted when it stops).

  --client PATH   serve the operations of your own generated client: the folder
                  you generated it into (its local-server.ts or .js), or that
                  file. A .ts file is loaded with the tsx of your project
                  (npm i -D tsx).
                  Default: this package's membership-card client.
  --card-store    answer your client's operations on the membership-card
                  endpoints from the product's card store (default: from
                  your spec's examples and schemas; the product's own
                  client always gets the store)
  --port N        the port to listen on (default 0: a free one)

What the server cannot do is printed on stderr: an operation it cannot answer
(at start), and every answer it refused to send (it answers 500 SYSTEM_ERROR).`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, client: { type: 'string' }, 'card-store': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
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
  try {
    await serve(port, values.client, values['card-store'] === true);
  } catch (e) {
    console.error(`wechatpay-local-server: ${(e as Error).message}`);
    return 1;
  }
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
