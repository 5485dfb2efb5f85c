/**
 * Searches and their labels (one label per object per search). Every change
 * is its own committed transaction (durable when the call returns) and is
 * also appended to label_events, the search's labelling history.
 */
import { AppError } from '@app/core/errors';
import { isLabel, labelCode, type Label } from '@app/core/labels';
import { immediate, nowIso, type Db } from './db';
import { labelChanges, undoTarget, type LabelChange as HistoryChange } from './label-history';

export type { Label };
/** 'undo': an event that reverses an earlier one (LabelEvent.undoes; stored as the source text 'undo:<seq>') */
export type LabelSource = 'user' | 'simulated' | 'undo';

/**
 * The integers the labels and label_events tables store (the file format of
 * catalog.sqlite, kept as it is): converted here and nowhere else, so every
 * column this store hands out is in app/core/labels.ts's one encoding.
 */
const STORED: Record<Label, number> = { positive: 1, negative: -1, unsure: 2 };
const OF_STORED = new Map<number, Label>([
  [1, 'positive'],
  [-1, 'negative'],
  [2, 'unsure'],
]);
const CODE_OF_STORED = new Map<number, number>([...OF_STORED].map(([stored, label]) => [stored, labelCode(label)]));

export interface SearchSummary {
  name: string;
  description: string;
  created: string;
  counts: { positive: number; negative: number; unsure: number };
}

/** batch: one of several changes made by one bulk user call (stored as the source text 'user:batch') */
export interface LabelEvent {
  seq: number;
  idx: number;
  label: Label | null;
  source: LabelSource;
  at: string;
  undoes?: number;
  batch?: boolean;
}

/** one label change read back from label_events */
export interface LabelChange {
  search: string;
  idx: number;
  label: Label | null;
}

export class LabelStore {
  private readonly st;
  /** label_events rows this connection wrote and externalChanges() has not passed yet */
  #own = new Set<number>();
  /** the last label_events seq externalChanges() has seen */
  #seen: number;
  #dataVersion: number;

  constructor(
    private readonly db: Db,
    private readonly countObjects: () => number,
  ) {
    this.st = {
      has: db.prepare('SELECT 1 FROM searches WHERE name = ?').pluck(),
      create: db.prepare('INSERT INTO searches (name, description, created) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING'),
      searches: db.prepare('SELECT name, description, created FROM searches ORDER BY created, name'),
      counts: db.prepare('SELECT search, label, count(*) AS n FROM labels GROUP BY search, label'),
      del: db.prepare('DELETE FROM searches WHERE name = ?'),
      upsert: db.prepare(
        'INSERT INTO labels (search, idx, label, source, updated) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(search, idx) DO UPDATE SET label = excluded.label, source = excluded.source, updated = excluded.updated',
      ),
      remove: db.prepare('DELETE FROM labels WHERE search = ? AND idx = ?'),
      event: db.prepare('INSERT INTO label_events (search, idx, label, source, at) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT idx, label FROM labels WHERE search = ?').raw(),
      history: db.prepare('SELECT seq, idx, label, source, at FROM label_events WHERE search = ? ORDER BY seq'),
      maxSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM label_events').pluck(),
      since: db.prepare('SELECT seq, search, idx, label FROM label_events WHERE seq > ? ORDER BY seq').raw(),
    };
    this.#seen = this.st.maxSeq.get() as number;
    this.#dataVersion = this.#version();
  }

  #version(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /**
   * Label changes committed by other connections (another process: the CLI,
   * a second engine) since the last call, oldest first; this connection's own
   * writes are left out. Cheap when nothing changed: SQLite's data_version
   * tells whether any other connection committed.
   */
  externalChanges(): LabelChange[] {
    const version = this.#version();
    if (version === this.#dataVersion && this.#own.size === 0) return [];
    this.#dataVersion = version;
    const out: LabelChange[] = [];
    for (const [seq, search, idx, code] of this.st.since.all(this.#seen) as [number, string, number, number | null][]) {
      this.#seen = seq;
      if (!this.#own.delete(seq)) out.push({ search, idx, label: code === null ? null : OF_STORED.get(code)! });
    }
    // every own row is committed and read by now; a deleted search may have lowered the last seq
    this.#own.clear();
    this.#seen = Math.min(this.#seen, this.st.maxSeq.get() as number);
    return out;
  }

  hasSearch(name: string): boolean {
    return this.st.has.get(name) !== undefined;
  }

  private need(name: string): void {
    if (!this.hasSearch(name)) throw new AppError('UNKNOWN_SEARCH', `no search named '${name}' in this workspace`);
  }

  /** Creates a search (kept as it is when it exists). */
  createSearch(name: string, opts: { description?: string } = {}): void {
    if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new AppError('BAD_INPUT', `bad search name '${name}' (1-200 characters)`);
    this.st.create.run(name, opts.description ?? '', nowIso());
  }

  searches(): SearchSummary[] {
    const counts = new Map<string, SearchSummary['counts']>();
    for (const r of this.st.counts.all() as { search: string; label: number; n: number }[]) {
      const c = counts.get(r.search) ?? { positive: 0, negative: 0, unsure: 0 };
      c[OF_STORED.get(r.label)!] = r.n;
      counts.set(r.search, c);
    }
    return (this.st.searches.all() as Omit<SearchSummary, 'counts'>[]).map((s) => ({
      ...s,
      counts: counts.get(s.name) ?? { positive: 0, negative: 0, unsure: 0 },
    }));
  }

  /** Deletes a search with its labels, history and rounds. */
  deleteSearch(name: string): void {
    this.need(name);
    this.st.del.run(name);
  }

  private check(idx: number, label: unknown): void {
    const n = this.countObjects();
    if (!Number.isInteger(idx) || idx < 0 || idx >= n) throw new AppError('UNKNOWN_OBJECT', `no object ${idx} in this workspace (it holds ${n})`);
    if (label !== null && !isLabel(label)) throw new AppError('BAD_INPUT', `bad label '${String(label)}' (positive, negative, unsure or null)`);
  }

  private apply(search: string, idx: number, label: Label | null, source: LabelSource | `undo:${number}` | 'user:batch', at: string): number {
    if (label === null) this.st.remove.run(search, idx);
    else this.st.upsert.run(search, idx, STORED[label], source, at);
    return Number(this.st.event.run(search, idx, label === null ? null : STORED[label], source, at).lastInsertRowid);
  }

  /** runs the writes in one transaction; their label_events rows count as this connection's once committed */
  private write(fn: () => number[]): void {
    for (const seq of immediate(this.db, fn)) this.#own.add(seq);
  }

  /** Sets (or with null clears) one label; committed to disk when it returns. */
  set(search: string, idx: number, label: Label | null, source: LabelSource = 'user'): void {
    this.need(search);
    this.check(idx, label);
    this.write(() => [this.apply(search, idx, label, source, nowIso())]);
  }

  /** Sets many labels in one transaction (all or none). */
  setMany(search: string, entries: { idx: number; label: Label | null }[], source: LabelSource = 'user'): void {
    this.need(search);
    for (const e of entries) this.check(e.idx, e.label);
    const at = nowIso();
    const stored = source === 'user' && entries.length > 1 ? 'user:batch' : source;
    this.write(() => entries.map((e) => this.apply(search, e.idx, e.label, stored, at)));
  }

  get(search: string): Map<number, Label> {
    this.need(search);
    const out = new Map<number, Label>();
    for (const [idx, code] of this.st.get.all(search) as [number, number][]) out.set(idx, OF_STORED.get(code)!);
    return out;
  }

  /** One label code per object (app/core/labels.ts: LABEL_NONE, LABEL_POSITIVE, ...). */
  column(search: string): Uint8Array {
    this.need(search);
    const out = new Uint8Array(this.countObjects());
    for (const [idx, stored] of this.st.get.all(search) as [number, number][]) if (idx < out.length) out[idx] = CODE_OF_STORED.get(stored)!;
    return out;
  }

  /** Every label change of a search, oldest first (what was set, by whom, when). */
  history(search: string): LabelEvent[] {
    this.need(search);
    return (this.st.history.all(search) as { seq: number; idx: number; label: number | null; source: string; at: string }[]).map((r) => {
      const undo = /^undo:(\d+)$/.exec(r.source),
        batch = r.source === 'user:batch';
      const source: LabelSource = undo ? 'undo' : batch ? 'user' : (r.source as LabelSource);
      const e: LabelEvent = { seq: r.seq, idx: r.idx, label: r.label === null ? null : OF_STORED.get(r.label)!, source, at: r.at };
      if (undo) e.undoes = Number(undo[1]);
      if (batch) e.batch = true;
      return e;
    });
  }

  /** The history as changes (old → new, undone or not), oldest first. */
  changes(search: string): HistoryChange[] {
    return labelChanges(this.history(search));
  }

  /**
   * Reverses change `seq`, or the newest user change not yet undone with the rest of its batch (a bulk call), by
   * appending undo events that put the old labels back, in one transaction; history is never deleted. Returns the
   * undo events. NOT_FOUND: nothing to undo; CONFLICT: already undone, or an object's label changed since.
   */
  undo(search: string, seq?: number): HistoryChange[] {
    this.need(search);
    let done: HistoryChange[] = [];
    this.write(() => {
      const t = undoTarget(this.changes(search), seq);
      if (!t) throw new AppError('NOT_FOUND', seq === undefined ? `nothing to undo in search '${search}'` : `no label change #${seq} in search '${search}'`);
      const p = t.problem;
      if (p?.why === 'undone') throw new AppError('CONFLICT', `label change #${p.change.seq} was already undone`);
      if (p) throw new AppError('CONFLICT', `object ${p.change.idx} was relabelled after change #${p.change.seq}: undo the later change first`);
      const at = nowIso();
      const seqs = t.changes.map((c) => this.apply(search, c.idx, c.from, `undo:${c.seq}`, at));
      done = this.changes(search).slice(-t.changes.length);
      return seqs;
    });
    return done;
  }
}
