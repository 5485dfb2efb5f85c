/** Binary table HDUs for writeFits: header cards and big-endian rows. */
import { AppError } from '../core/errors';
import { formatCard, headerBytes, type CardInput } from './header-format';
import type { ColumnSpec, TableHduSpec } from './write';
import { padded, toStored, userCards } from './write-util';

const SIZE = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1 } as const;
const BITS = { B: 8, I: 16, J: 32, K: 64 } as const;

interface Layout {
  spec: ColumnSpec;
  repeat: number;
  offset: number;
  width: number;
}

function asciiBytes(s: string, what: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) throw new AppError('BAD_INPUT', `${what}: strings must be printable ASCII`);
    out.push(c);
  }
  return out;
}

function layout(spec: TableHduSpec, what: string): { cols: Layout[]; rows: number; rowBytes: number } {
  let offset = 0;
  let rows: number | undefined;
  const cols = spec.columns.map((c) => {
    const w = `${what} column '${c.name}'`;
    if (!(c.format in SIZE)) throw new AppError('BAD_INPUT', `${w}: format '${c.format}' (L, B, I, J, K, E, D, A are supported)`);
    let repeat = c.repeat ?? 1;
    let n: number;
    if (c.format === 'A') {
      const strs = c.data as string[];
      if (!Array.isArray(strs) || strs.some((s) => typeof s !== 'string')) throw new AppError('BAD_INPUT', `${w}: A columns take an array of strings`);
      repeat = c.repeat ?? Math.max(1, ...strs.map((s) => s.length));
      n = strs.length;
    } else {
      if (!Number.isInteger(repeat) || repeat < 0) throw new AppError('BAD_INPUT', `${w}: repeat ${repeat} is invalid`);
      if (c.data.length % Math.max(repeat, 1) !== 0) throw new AppError('BAD_INPUT', `${w}: ${c.data.length} values is not a multiple of repeat ${repeat}`);
      n = repeat === 0 ? (rows ?? 0) : c.data.length / repeat;
    }
    if (rows !== undefined && n !== rows) throw new AppError('BAD_INPUT', `${w}: ${n} rows, other columns have ${rows}`);
    rows = n;
    const l = { spec: c, repeat, offset, width: repeat * SIZE[c.format] };
    offset += l.width;
    return l;
  });
  return { cols, rows: rows ?? 0, rowBytes: offset };
}

function writeColumn(view: DataView, bytes: Uint8Array, l: Layout, rows: number, rowBytes: number, what: string): void {
  const { spec, repeat, offset } = l;
  const w = `${what} column '${spec.name}'`;
  if (spec.format === 'A') {
    const strs = spec.data as string[];
    for (let r = 0; r < rows; r++) {
      const b = asciiBytes(strs[r]!, w);
      if (b.length > repeat) throw new AppError('BAD_INPUT', `${w}: string of ${b.length} characters in a ${repeat}A column`);
      const at = r * rowBytes + offset;
      bytes.fill(32, at, at + repeat);
      bytes.set(b, at);
    }
    return;
  }
  const d = spec.data as ArrayLike<number | bigint | boolean>;
  const scale = spec.tscal ?? 1,
    zero = spec.tzero ?? 0;
  const size = SIZE[spec.format];
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < repeat; k++) {
      const v = d[r * repeat + k]!;
      const at = r * rowBytes + offset + k * size;
      switch (spec.format) {
        case 'L':
          bytes[at] = v ? 84 : 70;
          break;
        case 'E':
          view.setFloat32(at, (Number(v) - zero) / scale);
          break;
        case 'D':
          view.setFloat64(at, (Number(v) - zero) / scale);
          break;
        case 'K':
          view.setBigInt64(at, typeof v === 'bigint' && scale === 1 && zero === 0 ? v : BigInt(toStored(Number(v), scale, zero, spec.tnull, 64, w)));
          break;
        default: {
          const s = toStored(Number(v), scale, zero, spec.tnull, BITS[spec.format], w);
          if (spec.format === 'B') bytes[at] = s;
          else if (spec.format === 'I') view.setInt16(at, s);
          else view.setInt32(at, s);
        }
      }
    }
  }
}

export function tableHdu(spec: TableHduSpec, what: string): Uint8Array[] {
  const { cols, rows, rowBytes } = layout(spec, what);
  const cards: CardInput[] = [
    { key: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
    { key: 'BITPIX', value: 8, comment: 'array data type' },
    { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
    { key: 'NAXIS1', value: rowBytes, comment: 'length of dimension 1' },
    { key: 'NAXIS2', value: rows, comment: 'length of dimension 2' },
    { key: 'PCOUNT', value: 0, comment: 'number of group parameters' },
    { key: 'GCOUNT', value: 1, comment: 'number of groups' },
    { key: 'TFIELDS', value: cols.length, comment: 'number of table fields' },
  ];
  cols.forEach(({ spec: c, repeat }, j) => {
    const i = j + 1;
    cards.push({ key: `TTYPE${i}`, value: c.name }, { key: `TFORM${i}`, value: `${repeat}${c.format}` });
    if (c.unit) cards.push({ key: `TUNIT${i}`, value: c.unit });
    if (c.tnull !== undefined && c.format in BITS) cards.push({ key: `TNULL${i}`, value: c.tnull });
    if (c.tscal !== undefined && c.tscal !== 1) cards.push({ key: `TSCAL${i}`, value: c.tscal });
    if (c.tzero !== undefined && c.tzero !== 0) cards.push({ key: `TZERO${i}`, value: c.tzero });
    if (c.dim) cards.push({ key: `TDIM${i}`, value: `(${[...c.dim].reverse().join(',')})` });
  });
  if (spec.name !== undefined) cards.push({ key: 'EXTNAME', value: spec.name, comment: 'extension name' });
  const data = new Uint8Array(rows * rowBytes);
  const view = new DataView(data.buffer);
  for (const l of cols) writeColumn(view, data, l, rows, rowBytes, what);
  return [headerBytes([...cards.flatMap(formatCard), ...userCards(spec.header, spec.name !== undefined)]), padded(data)];
}
