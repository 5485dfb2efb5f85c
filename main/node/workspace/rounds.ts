/** Probe / active-learning rounds per search: numbered 1, 2, ... with a JSON payload each. */
import { AppError } from '@app/core/errors';
import { immediate, nowIso, type Db } from './db';

export interface Round<T = unknown> {
  round: number;
  created: string;
  payload: T;
}

export class RoundStore {
  private readonly st;

  constructor(private readonly db: Db) {
    this.st = {
      has: db.prepare('SELECT 1 FROM searches WHERE name = ?').pluck(),
      next: db.prepare('SELECT coalesce(max(round), 0) + 1 FROM rounds WHERE search = ?').pluck(),
      add: db.prepare('INSERT INTO rounds (search, round, created, payload) VALUES (?, ?, ?, ?)'),
      list: db.prepare('SELECT round, created, payload FROM rounds WHERE search = ? ORDER BY round'),
      latest: db.prepare('SELECT search, max(round) FROM rounds GROUP BY search').raw(),
    };
  }

  private need(search: string): void {
    if (this.st.has.get(search) === undefined) throw new AppError('UNKNOWN_SEARCH', `no search named '${search}' in this workspace`);
  }

  /** Records a round; returns its number (1 for the first). */
  add(search: string, payload: unknown): number {
    this.need(search);
    const json = JSON.stringify(payload ?? null);
    return immediate(this.db, () => {
      const round = this.st.next.get(search) as number;
      this.st.add.run(search, round, nowIso(), json);
      return round;
    });
  }

  /** the newest round number of every search that has one */
  latest(): Map<string, number> {
    return new Map(this.st.latest.all() as [string, number][]);
  }

  #version = -1;

  /** latest(), when another connection has committed since the last call (or on the first call); else null: one PRAGMA data_version */
  latestIfChanged(): Map<string, number> | null {
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (v === this.#version) return null;
    this.#version = v;
    return this.latest();
  }

  list<T = unknown>(search: string): Round<T>[] {
    this.need(search);
    return (this.st.list.all(search) as { round: number; created: string; payload: string }[]).map((r) => ({
      round: r.round,
      created: r.created,
      payload: JSON.parse(r.payload) as T,
    }));
  }
}
