/** Small JSON values by key (index/projection state, settings). Each set is committed on return. */
import type { Db } from './db';

export class KvStore {
  private readonly st;

  constructor(db: Db) {
    this.st = {
      get: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
      set: db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      del: db.prepare('DELETE FROM kv WHERE key = ?'),
      keys: db.prepare('SELECT key FROM kv ORDER BY key').pluck(),
    };
  }

  get<T>(key: string): T | undefined {
    const v = this.st.get.get(key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  /** Stores value as JSON; undefined deletes the key. */
  set(key: string, value: unknown): void {
    if (value === undefined) this.st.del.run(key);
    else this.st.set.run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.st.del.run(key);
  }

  keys(): string[] {
    return this.st.keys.all() as string[];
  }
}
