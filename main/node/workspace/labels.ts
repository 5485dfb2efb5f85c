/**
 * Searches and their labels (one label per object per search). Every change
 * is its own committed transaction (durable when the call returns) and is
 * also appended to label_events, the search's labelling history.
 */
import { AppError } from '../../../app/core/errors';
import { immediate, nowIso, type Db } from './db';
import { labelChanges, undoTarget, type LabelChange } from './label-history';

export type Label = 'positive' | 'negative' | 'unsure';
/** 'undo': an event that reverses an earlier one (LabelEvent.undoes; stored as the source text 'undo:<seq>') */
export type LabelSource = 'user' | 'simulated' | 'undo';

/** codes of LabelStore.column(): 1 positive, -1 negative, 2 unsure, 0 none */
export const LABEL_CODE: Record<Label, number> = { positive: 1, negative: -1, unsure: 2 };
const LABEL_OF = new Map<number, Label>([[1, 'positive'], [-1, 'negative'], [2, 'unsure']]);

export interface SearchSummary {
  name: string;
  description: string;
  created: string;
  counts: { positive: number; negative: number; unsure: number };
}

/** batch: one of several changes made by one bulk user call (stored as the source text 'user:batch') */
export interface LabelEvent { seq: number; idx: number; label: Label | null; source: LabelSource; at: string; undoes?: number; batch?: boolean }

export class LabelStore {
  private readonly st;

  constructor(private readonly db: Db, private readonly countObjects: () => number) {
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
    };
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
      c[LABEL_OF.get(r.label)!] = r.n;
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
    if (label !== null && !(typeof label === 'string' && label in LABEL_CODE)) throw new AppError('BAD_INPUT', `bad label '${String(label)}' (positive, negative, unsure or null)`);
  }

  private apply(search: string, idx: number, label: Label | null, source: LabelSource | `undo:${number}` | 'user:batch', at: string): void {
    if (label === null) this.st.remove.run(search, idx);
    else this.st.upsert.run(search, idx, LABEL_CODE[label], source, at);
    this.st.event.run(search, idx, label === null ? null : LABEL_CODE[label], source, at);
  }

  /** Sets (or with null clears) one label; committed to disk when it returns. */
  set(search: string, idx: number, label: Label | null, source: LabelSource = 'user'): void {
    this.need(search);
    this.check(idx, label);
    immediate(this.db, () => this.apply(search, idx, label, source, nowIso()));
  }

  /** Sets many labels in one transaction (all or none). */
  setMany(search: string, entries: { idx: number; label: Label | null }[], source: LabelSource = 'user'): void {
    this.need(search);
    for (const e of entries) this.check(e.idx, e.label);
    const at = nowIso();
    const stored = source === 'user' && entries.length > 1 ? 'user:batch' : source;
    immediate(this.db, () => {
      for (const e of entries) this.apply(search, e.idx, e.label, stored, at);
    });
  }

  get(search: string): Map<number, Label> {
    this.need(search);
    const out = new Map<number, Label>();
    for (const [idx, code] of this.st.get.all(search) as [number, number][]) out.set(idx, LABEL_OF.get(code)!);
    return out;
  }

  /** One code per object: 1 positive, -1 negative, 2 unsure, 0 none. */
  column(search: string): Int8Array {
    this.need(search);
    const out = new Int8Array(this.countObjects());
    for (const [idx, code] of this.st.get.all(search) as [number, number][]) if (idx < out.length) out[idx] = code;
    return out;
  }

  /** Every label change of a search, oldest first (what was set, by whom, when). */
  history(search: string): LabelEvent[] {
    this.need(search);
    return (this.st.history.all(search) as { seq: number; idx: number; label: number | null; source: string; at: string }[]).map((r) => {
      const undo = /^undo:(\d+)$/.exec(r.source), batch = r.source === 'user:batch';
      const source: LabelSource = undo ? 'undo' : batch ? 'user' : (r.source as LabelSource);
      const e: LabelEvent = { seq: r.seq, idx: r.idx, label: r.label === null ? null : LABEL_OF.get(r.label)!, source, at: r.at };
      if (undo) e.undoes = Number(undo[1]);
      if (batch) e.batch = true;
      return e;
    });
  }

  /** The history as changes (old → new, undone or not), oldest first. */
  changes(search: string): LabelChange[] {
    return labelChanges(this.history(search));
  }

  /**
   * Reverses change `seq`, or the newest user change not yet undone with the rest of its batch (a bulk call), by
   * appending undo events that put the old labels back, in one transaction; history is never deleted. Returns the
   * undo events. NOT_FOUND: nothing to undo; CONFLICT: already undone, or an object's label changed since.
   */
  undo(search: string, seq?: number): LabelChange[] {
    this.need(search);
    return immediate(this.db, () => {
      const t = undoTarget(this.changes(search), seq);
      if (!t) throw new AppError('NOT_FOUND', seq === undefined ? `nothing to undo in search '${search}'` : `no label change #${seq} in search '${search}'`);
      const p = t.problem;
      if (p?.why === 'undone') throw new AppError('CONFLICT', `label change #${p.change.seq} was already undone`);
      if (p) throw new AppError('CONFLICT', `object ${p.change.idx} was relabelled after change #${p.change.seq}: undo the later change first`);
      const at = nowIso();
      for (const c of t.changes) this.apply(search, c.idx, c.from, `undo:${c.seq}`, at);
      return this.changes(search).slice(-t.changes.length);
    });
  }
}
