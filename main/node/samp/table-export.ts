/**
 * Objects of a workspace as a VOTable file for SAMP's table.load.votable
 * (TOPCAT, Aladin, ...): idx, id, ra, dec (+ truth, + score), with UCDs so
 * that VO tools find the positions. Every table sent is remembered
 * (table-id → object indices) so that table.highlight.row coming back from a
 * tool maps to our object index.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeVOTable, type TableColumn } from '@app/tables';
import type { Workspace } from '../workspace/workspace';

export interface ExportedTable {
  path: string;
  url: string;
  tableId: string;
  name: string;
  /** object idx per table row (-1: a row that is none of our objects, in a table another tool sent us) */
  indices: Int32Array;
  /** the clients that loaded it (confirmed by call-and-wait, or the tool that sent it to us) */
  recipients?: string[];
}

export interface ExportOptions {
  /** rows in this order (default: every object) */
  indices?: Int32Array;
  /** one score per object (indexed by idx), written as a `score` column */
  scores?: Float32Array;
  name: string;
  file: string;
  tableId: string;
}

export function writeObjectsVOTable(ws: Workspace, opts: ExportOptions): ExportedTable {
  const n = ws.count();
  const indices = opts.indices ?? Int32Array.from({ length: n }, (_, i) => i);
  const ra = ws.column('ra'),
    dec = ws.column('dec');
  const truth = ws.truthColumn();
  const ids = ws.objects(0, n).map((o) => o.id);
  const pick = (v: Float64Array) => Float64Array.from(indices, (i) => v[i]);
  const columns: TableColumn[] = [
    { name: 'idx', values: Int32Array.from(indices), ucd: 'meta.id', description: 'Latent Sky object index' },
    { name: 'id', values: Array.from(indices, (i) => ids[i]), ucd: 'meta.id;meta.main', description: 'survey object id' },
    { name: 'ra', values: pick(ra), unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
    { name: 'dec', values: pick(dec), unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
  ];
  if (truth.some((t) => t !== null))
    columns.push({ name: 'truth', values: Array.from(indices, (i) => truth[i]), ucd: 'src.class', description: 'synthetic ground truth' });
  if (opts.scores)
    columns.push({ name: 'score', values: Float32Array.from(indices, (i) => opts.scores![i]), ucd: 'stat.probability', description: 'linear-probe score' });
  mkdirSync(dirname(opts.file), { recursive: true });
  writeFileSync(opts.file, writeVOTable(columns, { name: opts.name, description: `Latent Sky: ${opts.name} (${ws.manifest.name})`, format: 'binary2' }));
  return { path: opts.file, url: pathToFileURL(opts.file).href, tableId: opts.tableId, name: opts.name, indices };
}

/** tables sent this session, by table-id */
export class SentTables {
  #tables = new Map<string, ExportedTable>();

  add(t: ExportedTable): void {
    this.#tables.set(t.tableId, t);
  }

  #find(tableId: string, url: string): ExportedTable | undefined {
    return (tableId ? this.#tables.get(tableId) : undefined) ?? [...this.#tables.values()].find((x) => x.url === url);
  }

  /** the object idx of row `row` of a table we sent (matched by table-id, else by URL), or null */
  objectOf(tableId: string, url: string, row: number): number | null {
    const t = this.#find(tableId, url);
    if (!t || row < 0 || row >= t.indices.length || t.indices[row] < 0) return null;
    return t.indices[row];
  }

  /** the objects of these rows (rows that are none of ours dropped), or null for a table we do not know */
  objectsOf(tableId: string, url: string, rows: number[]): Int32Array | null {
    const t = this.#find(tableId, url);
    if (!t) return null;
    const out: number[] = [];
    for (const r of rows) if (r >= 0 && r < t.indices.length && t.indices[r] >= 0) out.push(t.indices[r]);
    return Int32Array.from(out);
  }

  /** per table that some tool loaded, the rows holding these objects (in row order) */
  rowsOf(indices: Int32Array): { table: ExportedTable; rows: Int32Array }[] {
    const wanted = new Set(indices);
    const out: { table: ExportedTable; rows: Int32Array }[] = [];
    for (const t of this.#tables.values()) {
      if (!t.recipients?.length) continue;
      const rows: number[] = [];
      for (let r = 0; r < t.indices.length; r++) if (t.indices[r] >= 0 && wanted.has(t.indices[r])) rows.push(r);
      out.push({ table: t, rows: Int32Array.from(rows) });
    }
    return out;
  }

  get size(): number {
    return this.#tables.size;
  }

  clear(): void {
    this.#tables.clear();
  }
}

/** the object nearest to (ra, dec) within maxDeg, or null; brute force over the catalogue */
export function nearestObject(ra: Float64Array, dec: Float64Array, ra0: number, dec0: number, maxDeg: number): { idx: number; sepDeg: number } | null {
  const d2r = Math.PI / 180;
  const sd0 = Math.sin(dec0 * d2r),
    cd0 = Math.cos(dec0 * d2r);
  let best = -1,
    bestCos = Math.cos(maxDeg * d2r);
  for (let i = 0; i < ra.length; i++) {
    const c = sd0 * Math.sin(dec[i] * d2r) + cd0 * Math.cos(dec[i] * d2r) * Math.cos((ra[i] - ra0) * d2r);
    if (c >= bestCos) {
      bestCos = c;
      best = i;
    }
  }
  return best < 0 ? null : { idx: best, sepDeg: Math.acos(Math.min(1, bestCos)) / d2r };
}
