/**
 * writeFits: image HDUs (any BITPIX, with optional BSCALE/BZERO/BLANK) and
 * binary tables (L, B, I, J, K, E, D, A columns with repeat counts, TSCAL,
 * TZERO, TNULL, TUNIT, TDIM) → a FITS file (Uint8Array, 2880-byte blocks).
 * When the first HDU is a table an empty primary HDU is written before it.
 */
import { AppError } from '../core/errors';
import { encodeBE } from './endian';
import { formatCard, headerBytes, type CardInput, type HeaderInput } from './header-format';
import { padded, toStored, userCards } from './write-util';
import { tableHdu } from './write-table';

export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;
type NumArray = Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | number[];

export interface ImageHduSpec {
  kind: 'image';
  /** EXTNAME (not written for the primary HDU unless given) */
  name?: string;
  /** astropy order, slowest axis first ([] with empty data: no data) */
  shape: number[];
  data: NumArray | BigInt64Array;
  /** default from the array type: Float32Array -32, Float64Array/number[] -64, Uint8Array 8, Int16Array 16, Int32Array 32, BigInt64Array 64 */
  bitpix?: Bitpix;
  /** for integer BITPIX: stored = round((value - bzero) / bscale); NaN → blank */
  bscale?: number;
  bzero?: number;
  blank?: number;
  /** extra cards (WCS, provenance, …); structural keywords in it are ignored */
  header?: HeaderInput;
}

export type ColumnFormat = 'L' | 'B' | 'I' | 'J' | 'K' | 'E' | 'D' | 'A';

export interface ColumnSpec {
  name: string;
  format: ColumnFormat;
  /** elements per row (A: characters, default the longest string); default 1 */
  repeat?: number;
  unit?: string;
  /** rows × repeat values, row-major (A: one string per row; L: booleans or 0/1) */
  data: NumArray | BigInt64Array | string[] | boolean[];
  /** integer columns: physical values are stored as round((v - tzero) / tscal); NaN → tnull */
  tscal?: number;
  tzero?: number;
  tnull?: number;
  /** TDIM, astropy order */
  dim?: number[];
}

export interface TableHduSpec {
  kind: 'bintable';
  name?: string;
  columns: ColumnSpec[];
  header?: HeaderInput;
}

export type HduSpec = ImageHduSpec | TableHduSpec;

function defaultBitpix(d: ImageHduSpec['data']): Bitpix {
  if (d instanceof Float32Array) return -32;
  if (d instanceof Uint8Array) return 8;
  if (d instanceof Int16Array) return 16;
  if (d instanceof Int32Array) return 32;
  if (d instanceof BigInt64Array) return 64;
  return -64;
}

function imageData(spec: ImageHduSpec, bitpix: Bitpix, what: string): Uint8Array {
  const d = spec.data;
  const n = spec.shape.length ? spec.shape.reduce((a, b) => a * b, 1) : 0;
  if (d.length !== n) throw new AppError('BAD_INPUT', `${what}: ${d.length} values for shape [${spec.shape.join(', ')}]`);
  const scale = spec.bscale ?? 1,
    zero = spec.bzero ?? 0;
  if (bitpix === 64) {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = d instanceof BigInt64Array && scale === 1 && zero === 0 ? d[i]! : BigInt(toStored(Number(d[i]), scale, zero, spec.blank, 64, what));
    return encodeBE(out, 8);
  }
  let arr: Float32Array | Float64Array | Uint8Array | Int16Array | Int32Array;
  if (bitpix < 0) {
    arr = bitpix === -32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) arr[i] = (Number(d[i]) - zero) / scale;
  } else {
    arr = bitpix === 8 ? new Uint8Array(n) : bitpix === 16 ? new Int16Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) arr[i] = toStored(Number(d[i]), scale, zero, spec.blank, bitpix, what);
  }
  return encodeBE(arr, Math.abs(bitpix) / 8);
}

function imageHdu(spec: ImageHduSpec, primary: boolean, what: string): Uint8Array[] {
  const bitpix = spec.bitpix ?? defaultBitpix(spec.data);
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) throw new AppError('BAD_INPUT', `${what}: BITPIX ${bitpix} is invalid`);
  if (spec.shape.some((s) => !Number.isInteger(s) || s < 0)) throw new AppError('BAD_INPUT', `${what}: invalid shape [${spec.shape.join(', ')}]`);
  const axes = [...spec.shape].reverse();
  const cards: CardInput[] = [
    primary ? { key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' } : { key: 'XTENSION', value: 'IMAGE', comment: 'Image extension' },
    { key: 'BITPIX', value: bitpix, comment: 'array data type' },
    { key: 'NAXIS', value: axes.length, comment: 'number of array dimensions' },
    ...axes.map((n, i) => ({ key: `NAXIS${i + 1}`, value: n })),
    ...(primary
      ? [{ key: 'EXTEND', value: true }]
      : [
          { key: 'PCOUNT', value: 0 },
          { key: 'GCOUNT', value: 1 },
        ]),
    ...(spec.bscale !== undefined && spec.bscale !== 1 ? [{ key: 'BSCALE', value: spec.bscale }] : []),
    ...(spec.bzero !== undefined && spec.bzero !== 0 ? [{ key: 'BZERO', value: spec.bzero }] : []),
    ...(spec.blank !== undefined && bitpix > 0 ? [{ key: 'BLANK', value: spec.blank }] : []),
    ...(spec.name !== undefined ? [{ key: 'EXTNAME', value: spec.name }] : []),
  ];
  const head = headerBytes([...cards.flatMap(formatCard), ...userCards(spec.header, spec.name !== undefined)]);
  return [head, padded(imageData(spec, bitpix, what))];
}

export function writeFits(hdus: HduSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const list =
    hdus.length === 0 || hdus[0]!.kind !== 'image' ? [{ kind: 'image' as const, shape: [], data: new Uint8Array(0), bitpix: 8 as const }, ...hdus] : hdus;
  list.forEach((spec, i) => {
    const what = `HDU ${i}${spec.name ? ` (${spec.name})` : ''}`;
    parts.push(...(spec.kind === 'image' ? imageHdu(spec, i === 0, what) : tableHdu(spec, what)));
  });
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
