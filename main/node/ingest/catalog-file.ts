/**
 * Read a catalogue file of any of the formats astronomers hand around:
 * CSV/TSV, IVOA VOTable, or a FITS binary/ASCII table (first table HDU
 * unless `hdu` says otherwise). Format from the content, not the name.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { readFits, readTable, type TableColumn as FitsColumn } from '@app/fits';
import { readCsv } from '@app/tables/csv';
import type { Table, TableColumn } from '@app/tables/table';
import { readVOTable } from '@app/tables/votable-read';

export type CatalogFormat = 'csv' | 'votable' | 'fits';

export function sniffCatalogFormat(bytes: Uint8Array): CatalogFormat {
  const head = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 512))
    .replace(/^\ufeff|^ï»¿/, '')
    .trimStart();
  if (head.startsWith('SIMPLE  =')) return 'fits';
  if (head.startsWith('<?xml') || head.startsWith('<VOTABLE') || /^<(\w+:)?VOTABLE/.test(head)) return 'votable';
  return 'csv';
}

function fromFitsColumn(c: FitsColumn, rows: number): TableColumn | null {
  const d = c.data;
  const base = { name: c.name, ...(c.unit ? { unit: c.unit } : {}), ...(c.nulls && c.repeat === 1 ? { mask: c.nulls } : {}) };
  if (c.repeat !== 1 || d.length !== rows) return null; // vector columns (e.g. per-band fluxes) are not catalogue scalars
  if (
    d instanceof Float64Array ||
    d instanceof Float32Array ||
    d instanceof Int32Array ||
    d instanceof Int16Array ||
    d instanceof Uint8Array ||
    d instanceof BigInt64Array
  )
    return { ...base, values: d };
  if (d instanceof Int8Array || d instanceof Uint16Array || d instanceof Uint32Array) return { ...base, values: Float64Array.from(d) };
  // unsigned 64-bit (TZERO = 2^63): beyond int64 the exact digits are kept as text, never wrapped
  if (d instanceof BigUint64Array) return { ...base, values: d.some((x) => x > 0x7fffffffffffffffn) ? Array.from(d, (x) => String(x)) : BigInt64Array.from(d) };
  if (Array.isArray(d) && d.every((x) => typeof x === 'string')) return { ...base, values: (d as string[]).map((s) => (s === '' ? null : s)) };
  if (Array.isArray(d) && d.every((x) => typeof x === 'boolean')) return { ...base, values: d as boolean[] };
  return null;
}

export function readCatalogBytes(bytes: Uint8Array, name: string, opts: { hdu?: number } = {}): Table {
  if (bytes.length === 0) throw new AppError('BAD_INPUT', `${name}: the catalogue file is empty`);
  const format = sniffCatalogFormat(bytes);
  if (format === 'csv') return readCsv(new TextDecoder('utf-8').decode(bytes), { name });
  if (format === 'votable') return readVOTable(new TextDecoder('utf-8').decode(bytes), { name });
  const f = readFits(bytes, { name });
  const hdu = opts.hdu !== undefined ? f.hdus[opts.hdu] : f.hdus.find((h) => h.kind === 'bintable' || h.kind === 'table');
  if (!hdu) throw new AppError('BAD_INPUT', `${name}: no table HDU${opts.hdu !== undefined ? ` ${opts.hdu}` : ''} in this FITS file`);
  const t = readTable(hdu);
  const columns = t.columns.map((c) => fromFitsColumn(c, t.rows)).filter((c): c is TableColumn => c !== null);
  return { name: hdu.name, columns, nrows: t.rows };
}

/** Read a catalogue from disk; unreadable / empty / malformed → AppError('BAD_INPUT' | 'NOT_FOUND' | 'FITS_*'). */
export function readCatalogFile(path: string, opts: { hdu?: number } = {}): Table {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `${path}: cannot read the catalogue (${code ?? (e as Error).message})`);
  }
  return readCatalogBytes(bytes, basename(path), opts);
}
