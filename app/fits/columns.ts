/**
 * Column descriptions of binary (BINTABLE) and ASCII (TABLE) extensions,
 * parsed from TTYPEn / TFORMn / TUNITn / TSCALn / TZEROn / TNULLn / TDIMn / TBCOLn.
 */
import { fitsError, type FitsContext } from './context';
import type { FitsHeader } from './header';

/** Binary table type codes (FITS 4.0 table 18). */
export type BinCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';
/** ASCII table type codes. */
export type AsciiCode = 'A' | 'I' | 'F' | 'E' | 'D';

export interface ColumnInfo {
  /** TTYPEn (or 'COLn' when absent) */
  name: string;
  /** TFORMn as written, e.g. '1E', '20A', '1PB(6)', 'F10.4' */
  format: string;
  /** type letter; for P/Q columns the element type is in `heapCode` */
  code: BinCode | AsciiCode;
  /** element count per row (binary tables; bits for X, characters for A); ASCII tables: 1 */
  repeat: number;
  /** byte offset of the field within a row */
  offset: number;
  /** field width in bytes */
  width: number;
  unit: string;
  /** TSCALn, default 1 */
  scale: number;
  /** TZEROn, default 0 (exact digits in zeroText) */
  zero: number;
  zeroText: string;
  /** TNULLn: an integer for binary tables, a string for ASCII tables */
  nullValue?: number | string;
  /** TDIMn parsed, astropy order (slowest first) */
  dim?: number[];
  /** element type of variable-length arrays (P/Q columns) */
  heapCode?: BinCode;
  /** ASCII tables: decimals of Fw.d / Ew.d */
  decimals?: number;
}

export const BIN_SIZE: Record<BinCode, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16 };

const BIN_RE = /^(\d*)([LXBIJKAEDCMPQ])(.*)$/;
const HEAP_RE = /^([LXBIJKAEDCM])(?:\((\d+)\))?$/;
const ASCII_RE = /^([AIFED])(\d+)(?:\.(\d+))?$/;

function common(h: FitsHeader, i: number) {
  const zero = h.number(`TZERO${i}`, 0) ?? 0;
  const card = h.card(`TZERO${i}`);
  return {
    name: (h.string(`TTYPE${i}`) ?? `COL${i}`).trim() || `COL${i}`,
    unit: h.string(`TUNIT${i}`, '')!.trim(),
    scale: h.number(`TSCAL${i}`, 1) ?? 1,
    zero,
    zeroText: card && typeof card.value === 'number' ? card.valueText : String(zero),
  };
}

export function binTableColumns(h: FitsHeader, rowBytes: number, ctx: FitsContext, hdu: number): ColumnInfo[] {
  const n = h.number('TFIELDS', 0)!;
  const cols: ColumnInfo[] = [];
  let offset = 0;
  for (let i = 1; i <= n; i++) {
    const tform = h.string(`TFORM${i}`);
    if (tform === undefined) throw fitsError('FITS_CORRUPT', ctx, hdu, `TFORM${i} is missing`);
    const m = BIN_RE.exec(tform.trim().toUpperCase());
    if (!m) throw fitsError('FITS_CORRUPT', ctx, hdu, `TFORM${i} = '${tform}' is not a binary table format`);
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const code = m[2] as BinCode;
    let heapCode: BinCode | undefined;
    if (code === 'P' || code === 'Q') {
      const hm = HEAP_RE.exec(m[3]!.trim());
      if (!hm) throw fitsError('FITS_CORRUPT', ctx, hdu, `TFORM${i} = '${tform}' has an invalid array descriptor`);
      heapCode = hm[1] as BinCode;
    }
    const width = code === 'X' ? Math.ceil(repeat / 8) : (code === 'P' || code === 'Q' ? Math.min(repeat, 1) : repeat) * BIN_SIZE[code];
    const c = common(h, i);
    const tnull = h.get(`TNULL${i}`);
    const tdim = h.string(`TDIM${i}`);
    let dim: number[] | undefined;
    if (tdim) {
      const parts = tdim
        .replace(/[()\s]/g, '')
        .split(',')
        .filter(Boolean)
        .map(Number);
      if (parts.every((d) => Number.isInteger(d) && d >= 0)) dim = parts.reverse();
    }
    cols.push({
      ...c,
      format: tform.trim(),
      code,
      repeat,
      offset,
      width,
      ...(typeof tnull === 'number' ? { nullValue: tnull } : {}),
      ...(dim ? { dim } : {}),
      ...(heapCode ? { heapCode } : {}),
    });
    offset += width;
  }
  if (offset > rowBytes) throw fitsError('FITS_CORRUPT', ctx, hdu, `columns need ${offset} bytes per row but NAXIS1 = ${rowBytes}`);
  return cols;
}

export function asciiTableColumns(h: FitsHeader, rowBytes: number, ctx: FitsContext, hdu: number): ColumnInfo[] {
  const n = h.number('TFIELDS', 0)!;
  const cols: ColumnInfo[] = [];
  for (let i = 1; i <= n; i++) {
    const tform = h.string(`TFORM${i}`);
    const tbcol = h.number(`TBCOL${i}`);
    if (tform === undefined || tbcol === undefined) throw fitsError('FITS_CORRUPT', ctx, hdu, `TFORM${i} or TBCOL${i} is missing`);
    const m = ASCII_RE.exec(tform.trim().toUpperCase());
    if (!m) throw fitsError('FITS_CORRUPT', ctx, hdu, `TFORM${i} = '${tform}' is not an ASCII table format`);
    const width = Number(m[2]);
    if (tbcol < 1 || tbcol - 1 + width > rowBytes)
      throw fitsError('FITS_CORRUPT', ctx, hdu, `column ${i} (TBCOL${i} = ${tbcol}, width ${width}) lies outside the ${rowBytes}-byte row`);
    const tnull = h.get(`TNULL${i}`);
    cols.push({
      ...common(h, i),
      format: tform.trim(),
      code: m[1] as AsciiCode,
      repeat: 1,
      offset: tbcol - 1,
      width,
      ...(m[3] !== undefined ? { decimals: Number(m[3]) } : {}),
      ...(tnull !== undefined && tnull !== null ? { nullValue: String(tnull) } : {}),
    });
  }
  return cols;
}
