// Which notification ids the application has handled, so that WeChat's
// repeats of one notification reach it once. Pluggable: a store shared by
// several server processes (Redis, a database table) implements the same
// three methods; the default lives in memory, bounded in count and age.

/** `new`: claimed now, handle it; `done`: handled before; `busy`: being handled right now. */
export type IdState = 'new' | 'done' | 'busy';

export interface NotificationIdStore {
  /** Claims `id` if nobody has it; says so otherwise. Must be atomic across the processes that share the store. */
  claim(id: string): IdState | Promise<IdState>;
  /** The application handled `id`: later repeats are answered success without reaching it. */
  done(id: string): void | Promise<void>;
  /** The application failed on `id`: a repeat may try again. */
  release(id: string): void | Promise<void>;
}

export interface MemoryIdStoreOptions {
  /** Ids remembered at most; the oldest go first. Default 10000. */
  maxIds?: number;
  /** How long a handled id is remembered, in ms. Default 24 h: WeChat's repeats of one notification end well within a day. */
  ttlMs?: number;
  /** The clock, ms since the epoch. */
  now?: () => number;
}

export function memoryIdStore(options: MemoryIdStoreOptions = {}): NotificationIdStore {
  const maxIds = options.maxIds ?? 10_000;
  const ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
  const now = options.now ?? Date.now;
  // Insertion order is age order: expired and surplus entries are at the front.
  const ids = new Map<string, { state: 'done' | 'busy'; at: number }>();
  const prune = (t: number) => {
    for (const [id, entry] of ids) {
      if (ids.size <= maxIds && t - entry.at < ttlMs) break;
      ids.delete(id);
    }
  };
  return {
    claim(id) {
      const t = now();
      prune(t);
      const entry = ids.get(id);
      if (entry) return entry.state;
      ids.set(id, { state: 'busy', at: t });
      prune(t);
      return 'new';
    },
    done(id) {
      ids.delete(id);
      ids.set(id, { state: 'done', at: now() });
      prune(now());
    },
    release(id) {
      ids.delete(id);
    },
  };
}
