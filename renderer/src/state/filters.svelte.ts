/**
 * Range filters on catalogue columns (any numeric column: morphology features,
 * the synthetic survey's visibility columns, ...): one filter state for every
 * view. `mask` marks the objects every filter passes (null: no filter), and
 * the filters are remembered per workspace across reloads (localStorage).
 * NaN never passes a filter on its column.
 */
import { maskCount, rangeMask, type RangeFilter } from '@app/tables/range-mask';
import type { Errors } from './errors.svelte';
import type { Session } from './session.svelte';

export type { RangeFilter };

const KEY = (ws: string) => `latent-sky:filters:${ws}`;

function parse(raw: string | null): RangeFilter[] {
  try {
    const v = JSON.parse(raw ?? '[]') as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter((f): f is RangeFilter => !!f && typeof f.column === 'string' && typeof f.min === 'number' && typeof f.max === 'number');
  } catch {
    return [];
  }
}

export class Filters {
  list = $state<RangeFilter[]>([]);
  #workspace: string | null = null;
  #session: Session;
  #errors: Errors;

  constructor(session: Session, errors: Errors) {
    this.#session = session;
    this.#errors = errors;
  }

  /** 1 where every filter passes; null when there are no (loaded) filters */
  mask = $derived.by((): Uint8Array | null => {
    const cols = this.#session.numeric;
    const values: Record<string, ArrayLike<number> | undefined> = {};
    for (const f of this.list) values[f.column] = cols[f.column]?.values;
    return rangeMask(this.#session.count, this.list, values);
  });

  /** how many objects are shown (all when no filter) */
  shown = $derived.by(() => maskCount(this.mask, this.#session.count));

  passes(idx: number): boolean {
    const m = this.mask;
    return !m || m[idx] === 1;
  }

  /** the workspace's remembered filters, with their columns loaded (after Session.load) */
  async restore(workspace: string | null): Promise<void> {
    this.#workspace = workspace;
    let saved: RangeFilter[] = [];
    try {
      saved = workspace ? parse(localStorage.getItem(KEY(workspace))) : [];
    } catch {
      /* storage unavailable */
    }
    const known = new Set(this.#session.info?.columns.filter((c) => c.kind === 'numeric').map((c) => c.name) ?? []);
    this.list = saved.filter((f) => known.has(f.column));
    for (const f of this.list) await this.#session.loadNumeric(f.column).catch(this.#errors.report);
  }

  #save(): void {
    try {
      if (this.#workspace) localStorage.setItem(KEY(this.#workspace), JSON.stringify(this.list));
    } catch {
      /* storage unavailable: the filters last for this session */
    }
  }

  /** adds a filter over the column's whole range (a column already filtered keeps its range) */
  async add(column: string): Promise<void> {
    if (this.list.some((f) => f.column === column)) return;
    try {
      const col = await this.#session.loadNumeric(column);
      this.list = [...this.list, { column, min: col.min, max: col.max }];
      this.#save();
    } catch (e) {
      this.#errors.report(e);
    }
  }

  set(column: string, min: number, max: number): void {
    if (!Number.isFinite(min) || !Number.isFinite(max)) return;
    this.list = this.list.map((f) => (f.column === column ? { column, min: Math.min(min, max), max: Math.max(min, max) } : f));
    this.#save();
  }

  remove(column: string): void {
    this.list = this.list.filter((f) => f.column !== column);
    this.#save();
  }

  clear(): void {
    this.list = [];
    this.#save();
  }
}
