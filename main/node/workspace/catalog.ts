/**
 * The objects table: one row per object, idx dense 0..N-1 and append-only.
 * Bulk reads come back as columns, cached and extended incrementally as the
 * catalogue grows (objects are never changed once committed).
 */
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import type { NewObject, ObjectRecord } from '@app/domain/object';
import type { Db } from './db';
import type { CutoutSpec } from './manifest';

export interface ColumnKind {
  name: string;
  kind: 'numeric' | 'text';
}

interface Row {
  idx: number;
  id: string;
  ra: number;
  dec: number;
  source: string;
  truth: string | null;
  extra: string | null;
}

const BUILTIN = new Set(['idx', 'id', 'ra', 'dec', 'source', 'truth']);

function toRecord(r: Row): ObjectRecord {
  return { idx: r.idx, id: r.id, ra: r.ra, dec: r.dec, source: r.source, truth: r.truth, extra: r.extra ? JSON.parse(r.extra) : {} };
}

/** Why `item` cannot go into a workspace with cutouts `spec`, or null when it can. */
export function invalidReason(item: { object: NewObject; cutout: Cutout }, spec: CutoutSpec): string | null {
  const { object: o, cutout: c } = item;
  if (!o || typeof o.id !== 'string' || o.id === '') return 'no id';
  if (!Number.isFinite(o.ra) || !Number.isFinite(o.dec)) return `ra/dec not finite (${o.ra}, ${o.dec})`;
  if (o.dec < -90 || o.dec > 90) return `dec ${o.dec} outside [-90, 90]`;
  if (typeof o.source !== 'string') return 'no source';
  if (o.truth !== null && typeof o.truth !== 'string') return 'truth must be a string or null';
  for (const [k, v] of Object.entries(o.extra ?? {})) {
    if (BUILTIN.has(k)) return `extra column '${k}' clashes with a built-in column`;
    if (v !== null && typeof v !== 'number' && typeof v !== 'string') return `extra column '${k}' is not a number, string or null`;
  }
  if (!c || !(c.data instanceof Float32Array)) return 'cutout data is not a Float32Array';
  if (c.bands.join(',') !== spec.bands.join(',')) return `cutout bands ${c.bands.join(',')} differ from the workspace's ${spec.bands.join(',')}`;
  if (c.width !== spec.size || c.height !== spec.size) return `cutout is ${c.width}x${c.height}, the workspace holds ${spec.size}x${spec.size}`;
  if (c.data.length !== spec.bands.length * spec.size * spec.size)
    return `cutout data has ${c.data.length} values, expected ${spec.bands.length * spec.size * spec.size}`;
  if (c.unit !== spec.unit) return `cutout unit '${c.unit}' differs from the workspace's '${spec.unit}'`;
  if (!(Math.abs(c.pixscale - spec.pixscale) <= 1e-6 * spec.pixscale)) return `cutout pixscale ${c.pixscale} differs from the workspace's ${spec.pixscale}`;
  return null;
}

export class Catalog {
  private readonly cache = new Map<string, Float64Array>();
  private truthCache: (string | null)[] = [];
  private readonly st;

  constructor(private readonly db: Db) {
    this.st = {
      count: db.prepare('SELECT coalesce(max(idx) + 1, 0) FROM objects').pluck(),
      insert: db.prepare('INSERT INTO objects (idx, id, ra, dec, source, truth, extra) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      column: db.prepare("INSERT INTO columns (name, kind) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind WHERE excluded.kind = 'text'"),
      get: db.prepare('SELECT * FROM objects WHERE idx = ?'),
      range: db.prepare('SELECT * FROM objects WHERE idx >= ? AND idx < ? ORDER BY idx'),
      byId: db.prepare('SELECT idx FROM objects WHERE id = ?').pluck(),
      truthFrom: db.prepare('SELECT truth FROM objects WHERE idx >= ? ORDER BY idx').pluck(),
      truthCounts: db.prepare('SELECT truth, count(*) AS n FROM objects WHERE truth IS NOT NULL GROUP BY truth ORDER BY truth'),
      columns: db.prepare('SELECT name, kind FROM columns ORDER BY name'),
      kind: db.prepare('SELECT kind FROM columns WHERE name = ?').pluck(),
    };
  }

  count(): number {
    return this.st.count.get() as number;
  }

  /** Inserts objects as idx start, start+1, ...; call inside the write transaction. */
  insert(start: number, objects: NewObject[]): void {
    objects.forEach((o, i) => {
      const extra = o.extra && Object.keys(o.extra).length ? o.extra : null;
      const ra = o.ra >= 0 && o.ra < 360 ? o.ra : ((o.ra % 360) + 360) % 360;
      try {
        this.st.insert.run(start + i, o.id, ra, o.dec, o.source, o.truth ?? null, extra ? JSON.stringify(extra) : null);
      } catch (e) {
        if (/UNIQUE/.test((e as Error).message)) throw new AppError('CONFLICT', `object id '${o.id}' is already in the workspace`);
        throw e;
      }
      if (extra) for (const [k, v] of Object.entries(extra)) this.st.column.run(k, typeof v === 'string' ? 'text' : 'numeric');
    });
  }

  get(idx: number): ObjectRecord {
    const r = Number.isInteger(idx) ? (this.st.get.get(idx) as Row | undefined) : undefined;
    if (!r) throw new AppError('UNKNOWN_OBJECT', `no object ${idx} in this workspace (it holds ${this.count()})`);
    return toRecord(r);
  }

  range(start: number, count: number): ObjectRecord[] {
    return (this.st.range.all(start, start + count) as Row[]).map(toRecord);
  }

  findById(id: string): number | undefined {
    return this.st.byId.get(id) as number | undefined;
  }

  columns(): ColumnKind[] {
    return this.st.columns.all() as ColumnKind[];
  }

  /** 'ra', 'dec' or a numeric extra column for every object (NaN where missing or not a number). */
  column(name: string): Float64Array {
    const n = this.count();
    const cached = this.cache.get(name);
    if (cached && cached.length === n) return cached;
    let sql: string;
    let args: unknown[];
    if (name === 'ra' || name === 'dec') {
      sql = `SELECT ${name} FROM objects WHERE idx >= ? ORDER BY idx`;
      args = [];
    } else {
      if (this.st.kind.get(name) === undefined) throw new AppError('NOT_FOUND', `no catalogue column '${name}' in this workspace`);
      sql = 'SELECT json_extract(extra, ?) FROM objects WHERE idx >= ? ORDER BY idx';
      args = [`$."${name.replace(/"/g, '\\"')}"`];
    }
    const out = new Float64Array(n);
    const from = cached && cached.length < n ? cached.length : 0;
    if (from) out.set(cached!);
    let i = from;
    for (const v of this.db
      .prepare(sql)
      .pluck()
      .iterate(...args, from) as Iterable<unknown>) {
      if (i >= n) break;
      out[i++] = typeof v === 'number' ? v : NaN;
    }
    this.cache.set(name, out);
    return out;
  }

  /** A text extra column for every object (null where missing). */
  textColumn(name: string): (string | null)[] {
    if (this.st.kind.get(name) === undefined) throw new AppError('NOT_FOUND', `no catalogue column '${name}' in this workspace`);
    const path = `$."${name.replace(/"/g, '\\"')}"`;
    return (this.db.prepare('SELECT json_extract(extra, ?) FROM objects ORDER BY idx').pluck().all(path) as unknown[]).map((v) =>
      v === null || v === undefined ? null : String(v),
    );
  }

  truthColumn(): (string | null)[] {
    const n = this.count();
    if (this.truthCache.length !== n) {
      const more = this.st.truthFrom.all(this.truthCache.length) as (string | null)[];
      this.truthCache = this.truthCache.concat(more).slice(0, n);
    }
    return this.truthCache.slice();
  }

  truthCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.st.truthCounts.all() as { truth: string; n: number }[]) out[r.truth] = r.n;
    return out;
  }
}
