/**
 * An in-memory catalogue table, column-major. Numeric columns are typed
 * arrays; text and boolean columns are plain arrays (null = missing).
 * `mask` (1 = null) marks missing values in integer columns, which have no
 * NaN; float columns use NaN and may also carry a mask.
 */
export type NumericValues = Float64Array | Float32Array | Int32Array | Int16Array | Uint8Array | BigInt64Array;
export type ColumnValues = NumericValues | (string | null)[] | (boolean | null)[];

export interface TableColumn {
  name: string;
  values: ColumnValues;
  unit?: string;
  ucd?: string;
  description?: string;
  /** 1 = value is null (VOTable null / empty cell) */
  mask?: Uint8Array;
}

export interface Table {
  name?: string;
  description?: string;
  columns: TableColumn[];
  nrows: number;
}

export function isNumericValues(v: ColumnValues): v is NumericValues {
  return ArrayBuffer.isView(v);
}

export function isStringColumn(c: TableColumn): c is TableColumn & { values: (string | null)[] } {
  return Array.isArray(c.values) && c.values.every((x) => x === null || typeof x === 'string');
}

/** Case-insensitive column lookup. */
export function findColumn(t: Table, name: string): TableColumn | undefined {
  const lower = name.toLowerCase();
  return t.columns.find((c) => c.name === name) ?? t.columns.find((c) => c.name.toLowerCase() === lower);
}

/** A numeric view of any column: masked/null/unparseable → NaN. */
export function columnAsFloat64(c: TableColumn): Float64Array {
  const v = c.values;
  const n = v.length;
  const out = new Float64Array(n);
  if (v instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(v[i]);
  else if (isNumericValues(v)) out.set(v);
  else
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out[i] = x === null ? NaN : typeof x === 'boolean' ? (x ? 1 : 0) : x.trim() === '' ? NaN : Number(x);
    }
  if (c.mask) for (let i = 0; i < n; i++) if (c.mask[i]) out[i] = NaN;
  return out;
}

/** The value of row i as text ('' for null), integers without exponent. */
export function cellText(c: TableColumn, i: number): string {
  if (c.mask?.[i]) return '';
  const x = c.values[i];
  if (x === null || x === undefined) return '';
  if (typeof x === 'number') return Number.isNaN(x) ? '' : formatNumber(x, c.values instanceof Float32Array);
  return String(x);
}

/** Shortest text that reads back to the same float32/float64. */
export function formatNumber(x: number, float32 = false): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  if (!float32 || Number.isInteger(x)) return String(x);
  for (let p = 6; p < 10; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}
