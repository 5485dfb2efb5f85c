/**
 * A FITS binary table read by row range straight from the file: headers
 * parsed by app/fits (parseHeader, binTableColumns), rows decoded here, so a
 * million-row table with a '128E' vector column streams in blocks without
 * loading the file. Scalar columns (B, I, J, K, E, D with TSCAL/TZERO/TNULL)
 * are numbers (K as exact text), A columns text, E/D columns with repeat > 1
 * vectors. The first BINTABLE HDU is used.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { binTableColumns, type ColumnInfo } from '@app/fits/columns';
import type { FitsContext } from '@app/fits/context';
import { BLOCK, parseHeader, type FitsHeader } from '@app/fits/header';
import { readExact } from './fd-read';
import type { BlockColumn, ColumnSource, SourceColumn } from './source';

const MAX_HEADER_BLOCKS = 2000;

function readHeaderAt(fd: number, offset: number, size: number, ctx: FitsContext, hdu: number): { header: FitsHeader; size: number } {
  let bytes = new Uint8Array(0);
  for (let blocks = 1; blocks <= MAX_HEADER_BLOCKS; blocks++) {
    if (offset + blocks * BLOCK > size) break;
    const more = readExact(fd, BLOCK, offset + (blocks - 1) * BLOCK, ctx.name);
    const next = new Uint8Array(bytes.length + BLOCK);
    next.set(bytes);
    next.set(more, bytes.length);
    bytes = next;
    // END sits at the start of an 80-byte card in the block just read
    for (let c = 0; c < BLOCK; c += 80) {
      if (more[c] === 0x45 && more[c + 1] === 0x4e && more[c + 2] === 0x44 && String.fromCharCode(...more.subarray(c + 3, c + 80)).trim() === '')
        return parseHeader(bytes, 0, ctx, hdu);
    }
  }
  throw new AppError('FITS_TRUNCATED', `${ctx.name} HDU ${hdu}: no END card (truncated or not FITS)`);
}

function dataBytes(h: FitsHeader): number {
  const naxis = h.number('NAXIS', 0) ?? 0;
  if (naxis === 0) return 0;
  let n = 1;
  for (let i = 1; i <= naxis; i++) n *= h.number(`NAXIS${i}`, 0) ?? 0;
  const bitpix = Math.abs(h.number('BITPIX', 8) ?? 8);
  return (bitpix / 8) * (h.number('GCOUNT', 1) ?? 1) * ((h.number('PCOUNT', 0) ?? 0) + n);
}

function kindOf(c: ColumnInfo): SourceColumn['kind'] {
  if (c.code === 'A') return 'text';
  if (c.code === 'K' && c.repeat === 1) return 'text';
  if ('BIJED'.includes(c.code) && c.repeat === 1) return 'number';
  if ((c.code === 'E' || c.code === 'D') && c.repeat > 1) return 'vector';
  return 'other';
}

function decode(c: ColumnInfo, raw: Uint8Array, rowBytes: number, count: number): BlockColumn {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const scaled = c.scale !== 1 || c.zero !== 0;
  if (c.code === 'A') {
    const values: (string | null)[] = new Array(count);
    for (let r = 0; r < count; r++) {
      let s = '';
      for (let j = 0; j < c.repeat; j++) {
        const ch = raw[r * rowBytes + c.offset + j];
        if (ch === 0) break;
        s += String.fromCharCode(ch);
      }
      s = s.trimEnd();
      values[r] = s === '' ? null : s;
    }
    return { kind: 'text', values };
  }
  if (c.code === 'K') {
    const values: (string | null)[] = new Array(count);
    for (let r = 0; r < count; r++) {
      const x = v.getBigInt64(r * rowBytes + c.offset, false);
      values[r] =
        c.nullValue !== undefined && x === BigInt(c.nullValue)
          ? null
          : c.zeroText === '9223372036854775808'
            ? (BigInt.asUintN(64, x) ^ (1n << 63n)).toString()
            : x.toString();
    }
    return { kind: 'text', values };
  }
  const size = { B: 1, I: 2, J: 4, E: 4, D: 8 }[c.code as 'B' | 'I' | 'J' | 'E' | 'D'];
  const get = (o: number): number => {
    switch (c.code) {
      case 'B':
        return v.getUint8(o);
      case 'I':
        return v.getInt16(o, false);
      case 'J':
        return v.getInt32(o, false);
      case 'E':
        return v.getFloat32(o, false);
      default:
        return v.getFloat64(o, false);
    }
  };
  const isInt = c.code === 'B' || c.code === 'I' || c.code === 'J';
  if (c.repeat === 1) {
    const values = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      const x = get(r * rowBytes + c.offset);
      values[r] = isInt && c.nullValue !== undefined && x === c.nullValue ? NaN : scaled ? x * c.scale + c.zero : x;
    }
    return { kind: 'number', values };
  }
  const dim = c.repeat;
  const values = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const base = r * rowBytes + c.offset;
    for (let j = 0; j < dim; j++) {
      const x = get(base + j * size);
      values[r * dim + j] = scaled ? x * c.scale + c.zero : x;
    }
  }
  return { kind: 'vector', dim, values };
}

export function openFitsTable(path: string): ColumnSource {
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new AppError('NOT_FOUND', `${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    const size = fstatSync(fd).size;
    const ctx: FitsContext = { name, strict: false, warnings: [] };
    let offset = 0;
    for (let hdu = 0; offset < size; hdu++) {
      const { header, size: hsize } = readHeaderAt(fd, offset, size, ctx, hdu);
      const data = dataBytes(header);
      const dataAt = offset + hsize;
      if (hdu > 0 && String(header.get('XTENSION') ?? '').trim() === 'BINTABLE') {
        const rowBytes = header.number('NAXIS1', 0)!,
          rows = header.number('NAXIS2', 0)!;
        if (dataAt + rowBytes * rows > size)
          throw new AppError('FITS_TRUNCATED', `${name} HDU ${hdu}: the table needs ${rowBytes * rows} bytes, the file ends first`);
        const cols = binTableColumns(header, rowBytes, ctx, hdu);
        const byName = new Map(cols.map((c) => [c.name, c]));
        return {
          name,
          rows,
          reader: 'app/fits (headers) + row-range decoding',
          preferredBlock: Math.max(1024, Math.floor((32 << 20) / Math.max(1, rowBytes))),
          columns: cols.map((c) => ({ name: c.name, kind: kindOf(c), ...(kindOf(c) === 'vector' ? { dim: c.repeat } : {}) })),
          async read(start, count, names) {
            const raw = readExact(fd, count * rowBytes, dataAt + start * rowBytes, name);
            const out: Record<string, BlockColumn> = {};
            for (const n of names) {
              const c = byName.get(n);
              if (!c || kindOf(c) === 'other')
                throw new AppError('BAD_INPUT', `${name}: column '${n}' (${c?.format ?? 'absent'}) cannot be read as a number, text or vector`);
              out[n] = decode(c, raw, rowBytes, count);
            }
            return { columns: out };
          },
          close() {
            closeSync(fd);
          },
        };
      }
      offset = dataAt + Math.ceil(data / BLOCK) * BLOCK;
    }
    throw new AppError('BAD_INPUT', `${name}: no binary table HDU in this FITS file`);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
