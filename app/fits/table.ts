/**
 * readTable: decodes binary (BINTABLE) and ASCII (TABLE) extensions column by
 * column into typed arrays.
 *
 * Binary column types → data:
 *   L → boolean[] (false for 'F' and for null bytes)   X → Uint8Array of bits (0/1, first bit first)
 *   B → Uint8Array (Int8Array when TZERO = -128)        I → Int16Array (Uint16Array when TZERO = 32768)
 *   J → Int32Array (Uint32Array when TZERO = 2^31)      K → BigInt64Array (BigUint64Array when TZERO = 2^63)
 *   E → Float32Array   D → Float64Array   C / M → Float32Array / Float64Array of (re, im) pairs
 *   A → string[] (one string per row, trailing blanks and anything after a NUL removed)
 *   P / Q (variable-length arrays) → one decoded array (or string for A) per row
 * Any other TSCAL / TZERO gives Float64Array of physical values. For integer
 * columns with TNULL, `nulls` flags the null elements (and scaled values are NaN there).
 * Elements with repeat r > 1 are row-major: data[row * r + k].
 */
import { fitsError } from './context';
import { BIN_SIZE, type BinCode, type ColumnInfo } from './columns';
import { decodeBE } from './endian';
import type { Hdu } from './read';
import { readAsciiColumn } from './ascii-table';
import { textField } from './header';

export type NumericColumn =
  Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
/** one row of a variable-length (P/Q) column */
export type VarData = NumericColumn | boolean[] | string;
export type ColumnData = NumericColumn | string[] | boolean[] | VarData[];
type FixedData = NumericColumn | string[] | boolean[];

export interface TableColumn {
  name: string;
  format: string;
  unit: string;
  /** elements per row (1 for ASCII tables and for A columns, whose rows are single strings) */
  repeat: number;
  /** TDIMn, astropy order */
  dim?: number[];
  data: ColumnData;
  /** 1 where an integer element equals TNULLn (binary) or the field equals TNULLn / is blank (ASCII) */
  nulls?: Uint8Array;
}

export interface TableData {
  rows: number;
  columns: TableColumn[];
}

const BITPIX_OF: Partial<Record<BinCode, number>> = { B: 8, I: 16, J: 32, K: 64, E: -32, D: -64, C: -32, M: -64 };

/** Copies a fixed-width field of every row into one contiguous buffer. */
function gather(hdu: Hdu, col: ColumnInfo, rows: number): Uint8Array {
  const rowBytes = hdu.header.number('NAXIS1')!;
  const out = new Uint8Array(col.width * rows);
  for (let r = 0; r < rows; r++) out.set(hdu.raw.subarray(r * rowBytes + col.offset, r * rowBytes + col.offset + col.width), r * col.width);
  return out;
}

const decodeString = textField;

/** Decodes `count` elements of type `code` from big-endian bytes, applying TZERO/TSCAL/TNULL of `col`. */
function decodeElements(bytes: Uint8Array, code: BinCode, count: number, col: ColumnInfo): { data: FixedData; nulls?: Uint8Array } {
  switch (code) {
    case 'L': {
      const out: boolean[] = new Array(count);
      for (let i = 0; i < count; i++) out[i] = bytes[i] === 84; // 'T'
      return { data: out };
    }
    case 'X': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
      return { data: out };
    }
    case 'A':
      return { data: [decodeString(bytes, 0, count)] };
    default:
      break;
  }
  const n = code === 'C' || code === 'M' ? 2 * count : count;
  const raw = decodeBE(bytes, BITPIX_OF[code]!, n);
  const { scale, zero, zeroText } = col;
  const isInt = code === 'B' || code === 'I' || code === 'J' || code === 'K';
  let nulls: Uint8Array | undefined;
  if (isInt && col.nullValue !== undefined) {
    nulls = new Uint8Array(n);
    const tn = col.nullValue as number;
    if (raw instanceof BigInt64Array) {
      const b = BigInt(tn);
      for (let i = 0; i < n; i++) nulls[i] = raw[i] === b ? 1 : 0;
    } else for (let i = 0; i < n; i++) nulls[i] = (raw as Int32Array)[i] === tn ? 1 : 0;
  }
  const res = (data: FixedData) => (nulls ? { data, nulls } : { data });
  if (scale === 1 && zero === 0) return res(raw as FixedData);
  if (scale === 1) {
    if (code === 'B' && zero === -128) return res(Int8Array.from(raw as Uint8Array, (v) => v - 128));
    if (code === 'I' && zero === 32768) return res(Uint16Array.from(raw as Int16Array, (v) => v + 32768));
    if (code === 'J' && zero === 2147483648) return res(Uint32Array.from(raw as Int32Array, (v) => v + 2147483648));
    if (code === 'K' && zeroText.replace(/^\+/, '').replace(/\.0*$/, '') === '9223372036854775808') {
      const u = new BigUint64Array((raw as BigInt64Array).buffer);
      for (let i = 0; i < n; i++) u[i] = u[i]! ^ 0x8000000000000000n;
      return res(u);
    }
  }
  const out = new Float64Array(n);
  if (raw instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = zero + scale * Number(raw[i]);
  else for (let i = 0; i < n; i++) out[i] = zero + scale * (raw as Int32Array)[i]!;
  if (nulls) for (let i = 0; i < n; i++) if (nulls[i]) out[i] = NaN;
  return res(out);
}

/** Heap bytes of a variable-length array field (P/Q column) in one row: a view, no copy. */
export function heapField(hdu: Hdu, col: ColumnInfo, row: number): { count: number; bytes: Uint8Array } {
  const rowBytes = hdu.header.number('NAXIS1')!;
  const at = row * rowBytes + col.offset;
  const dv = new DataView(hdu.raw.buffer, hdu.raw.byteOffset, hdu.raw.byteLength);
  let count: number, off: number;
  if (col.code === 'P') {
    count = dv.getUint32(at);
    off = dv.getUint32(at + 4);
  } else {
    count = Number(dv.getBigUint64(at));
    off = Number(dv.getBigUint64(at + 8));
  }
  const heapStart = hdu.header.number('THEAP', rowBytes * hdu.rows!)!;
  const code = col.heapCode!;
  const len = code === 'X' ? Math.ceil(count / 8) : count * BIN_SIZE[code];
  const start = heapStart + off;
  if (start + len > hdu.raw.length || start < 0) {
    throw fitsError(
      'FITS_CORRUPT',
      { name: hdu.fileName },
      hdu.index,
      `row ${row + 1} of column '${col.name}' points outside the heap (${start}+${len} > ${hdu.raw.length})`,
    );
  }
  return { count, bytes: hdu.raw.subarray(start, start + len) };
}

/** Decodes one column of a binary or ASCII table (by name, case-insensitive, or 0-based index). */
export function readColumn(hdu: Hdu, which: string | number): TableColumn {
  const ctx = { name: hdu.fileName };
  if (!hdu.columns || hdu.rows === undefined) throw fitsError('BAD_INPUT', ctx, hdu.index, `is a ${hdu.kind.replace('_', ' ')} HDU, not a table`);
  if (hdu.truncated) throw fitsError('FITS_TRUNCATED', ctx, hdu.index, 'file ends inside the data unit');
  const col = typeof which === 'number' ? hdu.columns[which] : hdu.columns.find((c) => c.name.toUpperCase() === which.toUpperCase());
  if (!col) throw fitsError('NOT_FOUND', ctx, hdu.index, `has no column '${which}'`);
  const base = { name: col.name, format: col.format, unit: col.unit, ...(col.dim ? { dim: col.dim } : {}) };
  if (hdu.kind === 'table') return { ...base, repeat: 1, ...readAsciiColumn(hdu, col) };
  const rows = hdu.rows;
  const code = col.code as BinCode;
  if (code === 'P' || code === 'Q') {
    const data: VarData[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const { count, bytes } = heapField(hdu, col, r);
      const d = decodeElements(bytes, col.heapCode!, count, col).data;
      data[r] = col.heapCode === 'A' ? (d as string[])[0]! : (d as VarData);
    }
    return { ...base, repeat: 1, data };
  }
  if (code === 'A') {
    const rowBytes = hdu.header.number('NAXIS1')!;
    const data: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) data[r] = decodeString(hdu.raw, r * rowBytes + col.offset, col.repeat);
    return { ...base, repeat: 1, data };
  }
  const bytes = gather(hdu, col, rows);
  if (code === 'X') {
    const data = new Uint8Array(rows * col.repeat);
    for (let r = 0; r < rows; r++) data.set(decodeElements(bytes.subarray(r * col.width), 'X', col.repeat, col).data as Uint8Array, r * col.repeat);
    return { ...base, repeat: col.repeat, data };
  }
  const { data, nulls } = decodeElements(bytes, code, rows * col.repeat, col);
  return { ...base, repeat: col.repeat, data, ...(nulls ? { nulls } : {}) };
}

export function readTable(hdu: Hdu): TableData {
  if (!hdu.columns || hdu.rows === undefined)
    throw fitsError('BAD_INPUT', { name: hdu.fileName }, hdu.index, `is a ${hdu.kind.replace('_', ' ')} HDU, not a table`);
  return { rows: hdu.rows, columns: hdu.columns.map((_, i) => readColumn(hdu, i)) };
}
