/**
 * Picks the reader for a catalogue or vectors argument by content, not by
 * name: a HATS folder or 'PAR1' Parquet (hyparquet), FITS (streamed binary
 * table), VOTable (app/tables, whole), else CSV (streamed); vectors from
 * .npy, HDF5 (FILE.h5[:/dataset]), a vector column of a Parquet or FITS
 * file (FILE[:column]), or a column of the catalogue itself (--vectors NAME).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { AppError } from '@app/core/errors';
import { openCsvStream } from './csv-stream';
import { openFitsTable } from './fits-table';
import { openHdf5Vectors } from './hdf5';
import { openNpy } from './npy';
import { isHatsDir, openParquet } from './parquet';
import type { ColumnSource, VectorSource } from './source';
import { tableSource } from './table-source';

type Kind = 'parquet' | 'fits' | 'votable' | 'npy' | 'hdf5' | 'csv';

function sniff(path: string): Kind {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(512);
    const n = readSync(fd, b, 0, 512, 0);
    const head = b.subarray(0, n);
    if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
    if (head[0] === 0x93 && head.subarray(1, 6).toString('latin1') === 'NUMPY') return 'npy';
    if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'hdf5';
    const text = head
      .toString('latin1')
      .replace(/^\ufeff|^ï»¿/, '')
      .trimStart();
    if (text.startsWith('SIMPLE  =')) return 'fits';
    if (text.startsWith('<?xml') || /^<(\w+:)?VOTABLE/.test(text)) return 'votable';
    return 'csv';
  } finally {
    closeSync(fd);
  }
}

function mustExist(path: string, what: string): void {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `${what} ${path} does not exist`);
}

export async function openCatalogSource(path: string): Promise<ColumnSource> {
  mustExist(path, 'catalogue');
  if (statSync(path).isDirectory()) {
    if (!isHatsDir(path)) throw new AppError('BAD_INPUT', `${path} is a folder without HATS partitions (Norder=K/Dir=D/Npix=N.parquet)`);
    return openParquet(path);
  }
  const kind = sniff(path);
  if (kind === 'parquet') return openParquet(path);
  if (kind === 'fits') return openFitsTable(path);
  if (kind === 'votable') return tableSource(path);
  if (kind === 'csv') return openCsvStream(path);
  throw new AppError('BAD_INPUT', `${path} is a ${kind} file, not a catalogue (CSV, FITS, VOTable, Parquet or a HATS folder)`);
}

/** Vectors that are a column of a table source. */
export function columnVectors(src: ColumnSource, column: string | undefined, own: boolean): VectorSource {
  const vecs = src.columns.filter((c) => c.kind === 'vector');
  const c = column === undefined ? (vecs.length === 1 ? vecs[0] : undefined) : src.columns.find((x) => x.name === column);
  if (!c)
    throw new AppError(
      'BAD_INPUT',
      `${src.name}: ` +
        `${column === undefined ? `${vecs.length ? 'several' : 'no'} vector columns (${vecs.map((v) => v.name).join(', ') || 'none'}); name one as FILE:COLUMN` : `no column '${column}'`}`,
    );
  if (c.kind !== 'vector' || !c.dim)
    throw new AppError('BAD_INPUT', `${src.name}: column '${c.name}' is not a fixed-length float vector column (e.g. FITS '128E', Parquet list<float>)`);
  const name = c.name,
    dim = c.dim;
  return {
    name: `${src.name}:${name}`,
    rows: src.rows,
    dim,
    dtype: 'float32',
    reader: src.reader,
    async read(start, count) {
      const b = (await src.read(start, count, [name])).columns[name];
      if (b.kind !== 'vector') throw new AppError('INTERNAL', `${name} read back as ${b.kind}`);
      return b.values;
    },
    close() {
      if (!own) return;
      src.close();
    },
  };
}

export interface VectorsSpec {
  /** vectors read from a separate source */
  source?: VectorSource;
  /** or: the catalogue's own vector column */
  catalogColumn?: string;
}

/** `spec`: FILE, FILE:INNER (HDF5 dataset, Parquet/FITS column) or a column of the catalogue. */
export async function openVectors(spec: string, catalog: ColumnSource): Promise<VectorsSpec> {
  if (!existsSync(spec)) {
    const own = catalog.columns.find((c) => c.name === spec);
    if (own) {
      if (own.kind !== 'vector') throw new AppError('BAD_INPUT', `${catalog.name}: column '${spec}' is not a fixed-length float vector column`);
      return { catalogColumn: spec };
    }
    const m = /^(.*?):([^:\\/]?[^:]*)$/.exec(spec);
    if (m && m[1] && existsSync(m[1]) && statSync(m[1]).isFile()) return { source: await openVectorFile(m[1], m[2]) };
    throw new AppError(
      'NOT_FOUND',
      `vectors ${spec}: no such file, and the catalogue has no column of that name (columns: ${catalog.columns.map((c) => c.name).join(', ')})`,
    );
  }
  if (statSync(spec).isDirectory()) return { source: columnVectors(await openParquet(spec), undefined, true) };
  return { source: await openVectorFile(spec) };
}

async function openVectorFile(path: string, inner?: string): Promise<VectorSource> {
  const kind = sniff(path);
  if (kind === 'npy') {
    if (inner) throw new AppError('BAD_INPUT', `${path}: a .npy file holds one array; drop ':${inner}'`);
    return openNpy(path);
  }
  if (kind === 'hdf5') return openHdf5Vectors(path, inner);
  if (kind === 'parquet') return columnVectors(await openParquet(path), inner, true);
  if (kind === 'fits') return columnVectors(openFitsTable(path), inner, true);
  throw new AppError('BAD_INPUT', `${path}: vectors must be .npy, HDF5, Parquet or a FITS binary table (this looks like ${kind})`);
}
