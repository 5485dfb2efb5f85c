/**
 * Tile-compressed images (FITS 4.0 §10, the `.fits.fz` of fpack and the
 * Legacy Survey): a BINTABLE with ZIMAGE = T, one row per tile. Supports
 * RICE_1 (alias RICE_ONE), GZIP_1, GZIP_2 and NOCOMPRESS; quantised float tiles with per-tile
 * ZSCALE/ZZERO (column or keyword), NO_DITHER / SUBTRACTIVE_DITHER_1 / _2
 * with ZDITHER0; nulls through ZBLANK (column or keyword) or BLANK; lossless
 * tiles in GZIP_COMPRESSED_DATA and raw tiles in UNCOMPRESSED_DATA.
 * PLIO_1 and HCOMPRESS_1 are reported as FITS_UNSUPPORTED.
 */
import { AppError } from '../core/errors';
import { checkBudget, LIMITS } from '../core/limits';
import { fitsError } from './context';
import { inflateTile } from './gzip';
import type { ColumnInfo } from './columns';
import { decodeBE, type RawArray } from './endian';
import type { ImageData } from './image';
import { applyScaling, imageScaling, outputArray } from './scaling';
import { unquantize, type DitherMethod } from './quantize';
import type { Hdu } from './read';
import { riceDecode } from './rice';
import { heapField, readColumn } from './table';

function zparam(hdu: Hdu, name: string, dflt: number): number {
  for (let i = 1; i < 100; i++) {
    const n = hdu.header.string(`ZNAME${i}`);
    if (n === undefined) break;
    if (n.trim().toUpperCase() === name) return hdu.header.number(`ZVAL${i}`, dflt) ?? dflt;
  }
  return dflt;
}

function perTile(hdu: Hdu, key: string): ((t: number) => number) | undefined {
  const col = hdu.columns!.find((c) => c.name.toUpperCase() === key);
  if (col) {
    const d = readColumn(hdu, col.name).data as ArrayLike<number | bigint>;
    return (t) => Number(d[t]);
  }
  const v = hdu.header.number(key);
  return v === undefined ? undefined : () => v;
}

function unshuffle(b: Uint8Array, size: number): Uint8Array {
  if (size === 1) return b;
  const n = b.length / size;
  const out = new Uint8Array(b.length);
  for (let k = 0; k < size; k++) for (let i = 0; i < n; i++) out[i * size + k] = b[k * n + i]!;
  return out;
}

/** Big-endian integers/floats of a gzip tile, checking the length. */
function beValues(bytes: Uint8Array, bitpix: number, n: number, where: string): RawArray {
  if (bytes.length < n * (Math.abs(bitpix) / 8))
    throw new AppError('FITS_CORRUPT', `${where}: tile decompresses to ${bytes.length} bytes, ${n * (Math.abs(bitpix) / 8)} expected`);
  return decodeBE(bytes, bitpix, n);
}

export function decompressImage(hdu: Hdu): ImageData {
  const h = hdu.header;
  const ctx = { name: hdu.fileName };
  const written = (h.string('ZCMPTYPE') ?? '').trim().toUpperCase();
  const cmp = written === 'RICE_ONE' ? 'RICE_1' : written; // CFITSIO writes RICE_ONE with SUBTRACTIVE_DITHER_2
  if (!['RICE_1', 'GZIP_1', 'GZIP_2', 'NOCOMPRESS'].includes(cmp)) {
    throw fitsError('FITS_UNSUPPORTED', ctx, hdu.index, `compression ZCMPTYPE = '${written}' is not supported (RICE_1, GZIP_1, GZIP_2, NOCOMPRESS are)`);
  }
  const zbitpix = hdu.bitpix;
  const axes = [...hdu.shape].reverse(); // FITS order, axis 1 first
  const tileKw = axes.map((n, i) => h.number(`ZTILE${i + 1}`, i === 0 ? n : 1));
  if (tileKw.some((t) => t === undefined || !Number.isSafeInteger(t) || t < 1))
    throw fitsError('FITS_CORRUPT', ctx, hdu.index, `invalid ZTILEn (${tileKw.join(', ')})`);
  const tile = tileKw as number[];
  // the declared image and tile sizes are checked against the budget before anything is allocated
  const npix = axes.reduce((a, b) => a * b, axes.length ? 1 : 0);
  const outBytes = npix * (zbitpix === 8 || zbitpix === 16 || zbitpix === -32 ? 4 : 8);
  const where0 = `${hdu.fileName} HDU ${hdu.index}`;
  checkBudget(`${where0}: the compressed image declares ${axes.join('×')} pixels`, npix, LIMITS.maxImagePixels, 'pixels', 'FITS_UNSUPPORTED');
  checkBudget(`${where0}: the decompressed image needs`, outBytes, LIMITS.maxDecodedBytes, 'bytes', 'FITS_UNSUPPORTED');
  // a tile never holds more pixels than the image (ZTILEn may exceed ZNAXISn)
  const maxTile = tile.reduce((a, b, i) => a * Math.min(b, axes[i]!), 1);
  checkBudget(
    `${where0}: one tile declares ${tile.map((b, i) => Math.min(b, axes[i]!)).join('×')} pixels`,
    maxTile,
    LIMITS.maxTilePixels,
    'pixels',
    'FITS_UNSUPPORTED',
  );
  const ntiles = axes.map((n, i) => Math.ceil(n / tile[i]!));
  const total = axes.length === 0 ? 0 : ntiles.reduce((a, b) => a * b, 1);
  if (total !== hdu.rows) throw fitsError('FITS_CORRUPT', ctx, hdu.index, `${total} tiles expected from ZNAXISn/ZTILEn but the table has ${hdu.rows} rows`);
  const find = (name: string): ColumnInfo | undefined => hdu.columns!.find((c) => c.name.toUpperCase() === name);
  const cData = find('COMPRESSED_DATA');
  const cGzip = find('GZIP_COMPRESSED_DATA');
  const cRaw = find('UNCOMPRESSED_DATA');
  if (!cData && !cGzip && !cRaw) throw fitsError('FITS_CORRUPT', ctx, hdu.index, 'no COMPRESSED_DATA column');
  for (const c of [cData, cGzip, cRaw])
    if (c && c.code !== 'P' && c.code !== 'Q') throw fitsError('FITS_CORRUPT', ctx, hdu.index, `column ${c.name} is not a variable-length array`);

  const zscale = perTile(hdu, 'ZSCALE');
  const zzero = perTile(hdu, 'ZZERO');
  const zblank = perTile(hdu, 'ZBLANK');
  const quantized = zbitpix < 0 && zscale !== undefined;
  const qname = (h.string('ZQUANTIZ') ?? 'NO_DITHER').trim().toUpperCase();
  if (quantized && !['NO_DITHER', 'SUBTRACTIVE_DITHER_1', 'SUBTRACTIVE_DITHER_2'].includes(qname)) {
    throw fitsError('FITS_UNSUPPORTED', ctx, hdu.index, `ZQUANTIZ = '${qname}' is not supported`);
  }
  const seed = Math.trunc(h.number('ZDITHER0', 1) ?? 1); // CFITSIO reads ZDITHER0 as an integer (read.ts refuses a non-integer in strict mode)
  const scaling = imageScaling(h);
  const blankKw = scaling.blank;
  const blockSize = zparam(hdu, 'BLOCKSIZE', 32);
  const bytepix = zparam(hdu, 'BYTEPIX', quantized ? 4 : Math.abs(zbitpix) / 8);
  // stored integer type of a compressed tile
  const tileBitpix = quantized ? 32 : zbitpix;

  const out = outputArray(zbitpix, npix);
  const tmp = outputArray(zbitpix, maxTile);
  const riceOut = bytepix === 1 ? new Uint8Array(maxTile) : bytepix === 2 ? new Int16Array(maxTile) : new Int32Array(maxTile);

  const coord = new Array<number>(axes.length).fill(0);
  for (let t = 0; t < total; t++) {
    const where = `${hdu.fileName} HDU ${hdu.index} tile ${t + 1}`;
    // tile extent
    let rem = t;
    const start: number[] = [],
      len: number[] = [];
    for (let i = 0; i < axes.length; i++) {
      const c = rem % ntiles[i]!;
      rem = (rem - c) / ntiles[i]!;
      start.push(c * tile[i]!);
      len.push(Math.min(tile[i]!, axes[i]! - c * tile[i]!));
    }
    const n = len.reduce((a, b) => a * b, 1);
    const data = cData ? heapField(hdu, cData, t) : { count: 0, bytes: new Uint8Array(0) };
    let values: ArrayLike<number> | RawArray;
    let isQuantizedTile = quantized;
    if (data.count > 0) {
      if (cmp === 'RICE_1') {
        riceDecode(data.bytes, riceOut, n, blockSize, bytepix, where);
        values = riceOut;
      } else if (cmp === 'NOCOMPRESS') {
        values = beValues(data.bytes, tileBitpix, n, where);
      } else {
        const size = Math.abs(tileBitpix) / 8;
        const raw = inflateTile(data.bytes, n * size, where);
        values = beValues(cmp === 'GZIP_2' ? unshuffle(raw, size) : raw, tileBitpix, n, where);
      }
    } else if (cGzip && heapField(hdu, cGzip, t).count > 0) {
      values = beValues(inflateTile(heapField(hdu, cGzip, t).bytes, n * (Math.abs(zbitpix) / 8), where), zbitpix, n, where);
      isQuantizedTile = false;
    } else if (cRaw && heapField(hdu, cRaw, t).count > 0) {
      values = beValues(heapField(hdu, cRaw, t).bytes, zbitpix, n, where);
      isQuantizedTile = false;
    } else {
      throw fitsError('FITS_CORRUPT', ctx, hdu.index, `tile ${t + 1} has no data`);
    }

    const blank = zblank ? zblank(t) : typeof blankKw === 'number' ? blankKw : undefined;
    if (isQuantizedTile) {
      unquantize(
        values as ArrayLike<number>,
        n,
        {
          scale: zscale!(t),
          zero: zzero ? zzero(t) : 0,
          method: qname as DitherMethod,
          seed,
          tile: t,
          ...(blank !== undefined ? { blank } : {}),
        },
        tmp,
      );
    } else if (zbitpix < 0) {
      tmp.set((values as Float32Array).subarray(0, n));
    } else {
      const src = (values as Int32Array).subarray(0, n) as RawArray;
      applyScaling(src, tmp, { ...scaling, ...(blank !== undefined ? { blank } : {}) }, true);
    }
    placeTile(tmp, out, axes, start, len, coord);
  }
  return { shape: hdu.shape, data: out };
}

/** Copies a tile (axis 1 fastest) into the image at `start`. */
function placeTile(src: Float32Array | Float64Array, out: Float32Array | Float64Array, axes: number[], start: number[], len: number[], coord: number[]): void {
  const nd = axes.length;
  const rowLen = len[0]!;
  const rows = len.slice(1).reduce((a, b) => a * b, 1);
  coord.fill(0);
  for (let r = 0; r < rows; r++) {
    let off = 0,
      stride = 1;
    for (let i = 0; i < nd; i++) {
      off += (start[i]! + (i === 0 ? 0 : coord[i]!)) * stride;
      stride *= axes[i]!;
    }
    out.set(src.subarray(r * rowLen, (r + 1) * rowLen), off);
    for (let i = 1; i < nd; i++) {
      if (++coord[i]! < len[i]!) break;
      coord[i] = 0;
    }
  }
}
