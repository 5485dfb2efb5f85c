/**
 * Vetting lists: a named candidate order (idx array) and a grade per object.
 * grade: -1 not graded yet, 0 none, 1 weak, 2 clear (app/contracts Grade);
 * type: a free classification ('tidal', 'lens', ...); features: flags such as
 * 'shell', 'stream'; note: free text. Each change is committed on return.
 */
import { AppError } from '@app/core/errors';
import { immediate, nowIso, type Db } from './db';

export interface VettingEntry {
  grade: number;
  type: string | null;
  features: string[];
  note: string;
  updatedAt: string;
}

export type VettingInput = { grade: number; type?: string | null; features?: string[]; note?: string };

export interface VettingListSummary {
  name: string;
  created: string;
  size: number;
  graded: number;
}

function toBlob(order: ArrayLike<number>): Buffer {
  const a = Int32Array.from(order);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export class VettingStore {
  private readonly st;

  constructor(
    private readonly db: Db,
    private readonly countObjects: () => number,
  ) {
    this.st = {
      has: db.prepare('SELECT 1 FROM vetting_lists WHERE name = ?').pluck(),
      create: db.prepare("INSERT INTO vetting_lists (name, created, candidates) VALUES (?, ?, x'') ON CONFLICT(name) DO NOTHING"),
      setOrder: db.prepare('UPDATE vetting_lists SET candidates = ? WHERE name = ?'),
      order: db.prepare('SELECT candidates FROM vetting_lists WHERE name = ?').pluck(),
      lists: db.prepare(
        'SELECT l.name, l.created, length(l.candidates) / 4 AS size, ' +
          '(SELECT count(*) FROM vetting v WHERE v.list = l.name AND v.grade >= 0) AS graded FROM vetting_lists l ORDER BY l.created, l.name',
      ),
      set: db.prepare(
        'INSERT INTO vetting (list, idx, grade, type, features, note, updated) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(list, idx) DO UPDATE SET ' +
          'grade = excluded.grade, type = excluded.type, features = excluded.features, note = excluded.note, updated = excluded.updated',
      ),
      get: db.prepare('SELECT idx, grade, type, features, note, updated FROM vetting WHERE list = ?'),
      del: db.prepare('DELETE FROM vetting_lists WHERE name = ?'),
    };
  }

  hasList(name: string): boolean {
    return this.st.has.get(name) !== undefined;
  }

  private need(name: string): void {
    if (!this.hasList(name)) throw new AppError('NOT_FOUND', `no vetting list named '${name}' in this workspace`);
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new AppError('BAD_INPUT', `bad vetting list name '${name}' (1-200 characters)`);
  }

  private checkIdx(idx: number): void {
    const n = this.countObjects();
    if (!Number.isInteger(idx) || idx < 0 || idx >= n) throw new AppError('UNKNOWN_OBJECT', `no object ${idx} in this workspace (it holds ${n})`);
  }

  /** Creates an empty list (kept as it is when it exists). */
  create(name: string): void {
    this.checkName(name);
    this.st.create.run(name, nowIso());
  }

  lists(): VettingListSummary[] {
    return this.st.lists.all() as VettingListSummary[];
  }

  /** Sets the candidate order of a list, creating the list when needed. */
  setOrder(name: string, order: ArrayLike<number>): void {
    this.checkName(name);
    for (let i = 0; i < order.length; i++) this.checkIdx(order[i]);
    immediate(this.db, () => {
      this.st.create.run(name, nowIso());
      this.st.setOrder.run(toBlob(order), name);
    });
  }

  order(name: string): Int32Array {
    this.need(name);
    const b = this.st.order.get(name) as Buffer;
    return new Int32Array(new Uint8Array(b).buffer);
  }

  /** Grades one object of a list (creating the list when needed). */
  set(name: string, idx: number, entry: VettingInput): void {
    this.checkName(name);
    this.checkIdx(idx);
    if (!Number.isInteger(entry.grade) || entry.grade < -1 || entry.grade > 9)
      throw new AppError('BAD_INPUT', `bad grade ${entry.grade} (an integer, -1 = not graded)`);
    immediate(this.db, () => {
      this.st.create.run(name, nowIso());
      this.st.set.run(name, idx, entry.grade, entry.type ?? null, JSON.stringify(entry.features ?? []), entry.note ?? '', nowIso());
    });
  }

  get(name: string): Map<number, VettingEntry> {
    this.need(name);
    const out = new Map<number, VettingEntry>();
    for (const r of this.st.get.all(name) as { idx: number; grade: number; type: string | null; features: string; note: string; updated: string }[])
      out.set(r.idx, { grade: r.grade, type: r.type, features: JSON.parse(r.features), note: r.note, updatedAt: r.updated });
    return out;
  }

  deleteList(name: string): void {
    this.need(name);
    this.st.del.run(name);
  }
}
