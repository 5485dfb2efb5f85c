/**
 * Parquet catalogues and vectors, read with hyparquet (pure JavaScript, no
 * native build, reads row group by row group): one file, or a HATS
 * directory (the HEALPix-partitioned layout LSDB writes:
 * Norder=K/Dir=D/Npix=N.parquet, or Npix=N/ folders of parts), whose files
 * are read as one table in (Norder, Npix) order. Columns: numbers (INT64
 * as exact text when beyond 2^53), strings, and list<float|double>
 * columns as vectors (fixed size, checked per row).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { AppError } from '@app/core/errors';
import type { BlockColumn, ColumnSource, SourceColumn } from './source';

interface Part {
  path: string;
  file: AsyncBuffer;
  meta: FileMetaData;
  rows: number;
  first: number;
}

const HATS_RE = /^Norder=(\d+)$/;

/** HATS partition files under `dir`, in (Norder, Npix) order. */
export function hatsFiles(dir: string): string[] {
  const found: { order: number; npix: number; part: string; path: string }[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const m = HATS_RE.exec(e.name);
      if (e.isDirectory() && m) {
        for (const dd of readdirSync(p, { withFileTypes: true }).filter((x) => x.isDirectory() && /^Dir=\d+$/.test(x.name))) {
          for (const f of readdirSync(join(p, dd.name), { withFileTypes: true })) {
            const pm = /^Npix=(\d+)(\.parquet)?$/.exec(f.name);
            if (!pm) continue;
            const fp = join(p, dd.name, f.name);
            if (f.isFile() && pm[2]) found.push({ order: Number(m[1]), npix: Number(pm[1]), part: '', path: fp });
            else if (f.isDirectory())
              for (const part of readdirSync(fp)
                .filter((x) => x.endsWith('.parquet'))
                .sort())
                found.push({ order: Number(m[1]), npix: Number(pm[1]), part, path: join(fp, part) });
          }
        }
      } else if (e.isDirectory() && depth < 2 && !e.name.startsWith('.')) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  return found.sort((a, b) => a.order - b.order || a.npix - b.npix || a.part.localeCompare(b.part)).map((f) => f.path);
}

export function isHatsDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && hatsFiles(path).length > 0;
}

function columnsOf(meta: FileMetaData): SourceColumn[] {
  return parquetSchema(meta).children.map((c) => {
    const e = c.element;
    if (!c.children.length) {
      const text = e.type === 'BYTE_ARRAY' && (e.converted_type === 'UTF8' || e.logical_type?.type === 'STRING');
      const num = ['DOUBLE', 'FLOAT', 'INT32', 'INT64'].includes(e.type ?? '') && e.converted_type !== 'DECIMAL';
      return { name: e.name, kind: text ? 'text' : num ? (e.type === 'INT64' ? 'text' : 'number') : 'other' };
    }
    // list<float|double>: LIST group > repeated group > element
    const leaf = c.children[0]?.children[0]?.element ?? c.children[0]?.element;
    const isList = e.converted_type === 'LIST' || e.logical_type?.type === 'LIST';
    return { name: e.name, kind: isList && (leaf?.type === 'FLOAT' || leaf?.type === 'DOUBLE') ? 'vector' : 'other' };
  });
}

async function readRows(p: Part, names: string[], from: number, to: number): Promise<unknown[][]> {
  let out: unknown[][] = [];
  await parquetRead({
    file: p.file,
    metadata: p.meta,
    columns: names,
    rowStart: from,
    rowEnd: to,
    onComplete: (rows) => {
      out = rows as unknown[][];
    },
  });
  return out;
}

const SAFE = 2 ** 53;

export async function openParquet(path: string): Promise<ColumnSource> {
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const files = isDir ? hatsFiles(path) : [path];
  if (files.length === 0) throw new AppError('BAD_INPUT', `${path}: no HATS partition files (Norder=K/Dir=D/Npix=N.parquet) in this folder`);
  const parts: Part[] = [];
  let total = 0;
  for (const f of files) {
    let file: AsyncBuffer, meta: FileMetaData;
    try {
      file = await asyncBufferFromFile(f);
      meta = await parquetMetadataAsync(file);
    } catch (e) {
      throw new AppError('BAD_INPUT', `${f}: not a readable Parquet file (${(e as Error)?.message ?? e})`);
    }
    parts.push({ path: f, file, meta, rows: Number(meta.num_rows), first: total });
    total += Number(meta.num_rows);
  }
  const columns = columnsOf(parts[0].meta);
  for (const p of parts.slice(1)) {
    const names = new Set(columnsOf(p.meta).map((c) => c.name));
    const lacking = columns.filter((c) => !names.has(c.name)).map((c) => c.name);
    if (lacking.length) throw new AppError('BAD_INPUT', `${p.path}: lacks column(s) ${lacking.join(', ')} that ${basename(parts[0].path)} has`);
  }
  // a vector column's dim from its first row
  const firstWithRows = parts.find((p) => p.rows > 0);
  for (const c of columns.filter((x) => x.kind === 'vector')) {
    if (!firstWithRows) break;
    const [row] = await readRows(firstWithRows, [c.name], 0, 1);
    const v = row?.[0];
    c.dim = Array.isArray(v) ? v.length : 0;
    if (!c.dim) c.kind = 'other';
  }
  const kinds = new Map(columns.map((c) => [c.name, c]));
  const rg = Number(parts[0].meta.row_groups[0]?.num_rows ?? 65536);
  return {
    name: basename(path) + (isDir ? ` (HATS, ${files.length} files)` : ''),
    rows: total,
    columns,
    reader: 'hyparquet 1.33',
    preferredBlock: Math.max(1024, Math.min(65536, rg)),
    async read(start, count, names) {
      for (const n of names) {
        const k = kinds.get(n)?.kind;
        if (!k || k === 'other') throw new AppError('BAD_INPUT', `${path}: column '${n}' cannot be read as a number, text or vector`);
      }
      const rows: unknown[][] = [];
      for (const p of parts) {
        const lo = Math.max(start, p.first),
          hi = Math.min(start + count, p.first + p.rows);
        if (lo >= hi) continue;
        for (const r of await readRows(p, names, lo - p.first, hi - p.first)) rows.push(r);
      }
      const out: Record<string, BlockColumn> = {};
      names.forEach((n, j) => {
        const c = kinds.get(n)!;
        if (c.kind === 'vector') {
          const dim = c.dim!;
          const values = new Float32Array(rows.length * dim).fill(NaN);
          rows.forEach((r, i) => {
            const v = r[j];
            if (Array.isArray(v) && v.length === dim) for (let k = 0; k < dim; k++) values[i * dim + k] = typeof v[k] === 'number' ? v[k] : NaN;
          });
          out[n] = { kind: 'vector', dim, values };
        } else if (c.kind === 'number') {
          out[n] = { kind: 'number', values: Float64Array.from(rows, (r) => (typeof r[j] === 'number' ? (r[j] as number) : NaN)) };
        } else {
          out[n] = {
            kind: 'text',
            values: rows.map((r) => {
              const v = r[j];
              if (v === null || v === undefined) return null;
              if (typeof v === 'bigint') return v.toString();
              return String(v);
            }),
          };
        }
      });
      return { columns: out };
    },
    close() {},
  };
}

/** an INT64 cell given as text: a number when exact in a double */
export function numericText(s: string | null): number | string | null {
  if (s === null) return null;
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Math.abs(n) < SAFE ? n : s;
  }
  return s;
}
