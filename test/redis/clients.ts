// The Redis clients the store is tested with, connected as an application
// would connect them (default reconnection and offline queue). Each is handed
// to redisIdStore as it is: the store's structural types must accept it.
import { Redis } from 'ioredis';
import { Redis as Redis5 } from 'ioredis-v5';
import { createClient } from 'redis';
import { createClient as createClient4 } from 'redis-v4';
import type { IoredisClient, NodeRedisClient } from '../../runtime/index.js';

/** ioredis 6 and 5; redis (node-redis) 6 and 4: the versions the README names as tested. */
export const CLIENTS = ['ioredis', 'ioredis-v5', 'redis', 'redis-v4'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface Connected {
  client: IoredisClient | NodeRedisClient;
  /** One command, for the test's own look at the keys. */
  command(...args: string[]): Promise<unknown>;
  /** What the client reported on its error event (a lost connection, …). */
  errors: unknown[];
  close(): Promise<void>;
}

export async function connect(name: ClientName, port: number): Promise<Connected> {
  const errors: unknown[] = [];
  const onError = (e: unknown) => void errors.push(e);
  const options = { host: '127.0.0.1', port, lazyConnect: true };
  switch (name) {
    case 'ioredis':
      return ioredis(new Redis(options).on('error', onError), errors);
    case 'ioredis-v5':
      return ioredis(new Redis5(options).on('error', onError), errors);
    case 'redis': {
      const client = createClient({ socket: { host: '127.0.0.1', port } }).on('error', onError);
      await client.connect();
      return { client, command: (...args) => client.sendCommand(args), errors, close: async () => client.destroy() };
    }
    case 'redis-v4': {
      const client = createClient4({ socket: { host: '127.0.0.1', port } }).on('error', onError);
      await client.connect();
      return { client, command: (...args) => client.sendCommand(args), errors, close: () => client.disconnect().catch(() => undefined) };
    }
  }
}

async function ioredis(client: Redis | Redis5, errors: unknown[]): Promise<Connected> {
  await client.connect();
  return { client, command: (command, ...args) => client.call(command, ...args), errors, close: async () => client.disconnect() };
}
