/**
 * ASCII table (XTENSION = 'TABLE') columns: Aw → string[]; Iw, Fw.d, Ew.d,
 * Dw.d → Float64Array (TSCAL/TZERO applied; fields equal to TNULLn or blank
 * are NaN and flagged in `nulls`). Fortran rules: D exponents, and an F/E/D
 * field without a decimal point has an implied one d digits from the right.
 */
import { fitsError } from './context';
import { latin1, textField } from './header';
import type { ColumnInfo } from './columns';
import type { Hdu } from './read';

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd]?[+-]?\d+)?$/;

export function readAsciiColumn(hdu: Hdu, col: ColumnInfo): { data: string[] | Float64Array; nulls?: Uint8Array } {
  const rowBytes = hdu.header.number('NAXIS1')!;
  const rows = hdu.rows!;
  const field = (r: number): string => latin1(hdu.raw, r * rowBytes + col.offset, col.width);
  if (col.code === 'A') {
    const data: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) data[r] = textField(hdu.raw, r * rowBytes + col.offset, col.width);
    return { data };
  }
  const data = new Float64Array(rows);
  const nulls = new Uint8Array(rows);
  let anyNull = false;
  const tnull = col.nullValue === undefined ? undefined : String(col.nullValue).trim();
  for (let r = 0; r < rows; r++) {
    const text = field(r).trim();
    if (text === '' || (tnull !== undefined && text === tnull)) {
      data[r] = NaN;
      nulls[r] = 1;
      anyNull = true;
      continue;
    }
    const compact = text.replace(/ /g, '');
    if (!NUM_RE.test(compact)) {
      throw fitsError('FITS_CORRUPT', { name: hdu.fileName }, hdu.index, `row ${r + 1} of column '${col.name}' (${col.format}) is not a number: '${text}'`);
    }
    let v = Number(compact.replace(/[dD]/, 'E').replace(/^([+-]?\d+)([+-]\d+)$/, '$1E$2'));
    if (col.code !== 'I' && col.decimals !== undefined && !compact.includes('.')) {
      const m = /^([+-]?\d+)(?:[EeDd]?([+-]?\d+))?$/.exec(compact);
      if (m) v = (Number(m[1]) / 10 ** col.decimals) * 10 ** Number(m[2] ?? 0);
    }
    data[r] = col.zero + col.scale * v;
  }
  return anyNull ? { data, nulls } : { data };
}
