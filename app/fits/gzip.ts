/**
 * Inflating one GZIP_1 / GZIP_2 tile (or a GZIP_COMPRESSED_DATA tile) with output bounded to the size
 * the tile declares, and the checks fflate leaves out: the gzip trailer's ISIZE must equal the tile's
 * byte count (checked before inflating, so a lying trailer cannot make us allocate), and the CRC32 of
 * what came out must match the trailer (a corrupt tile is FITS_CORRUPT, never a silently wrong pixel).
 * zlib streams are checked with their Adler-32; raw deflate streams only for length.
 */
import { inflateSync } from 'fflate';
import { AppError } from '../core/errors';

let crcTable: Int32Array | null = null;

export function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < b.length; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function adler32(b: Uint8Array): number {
  let a = 1,
    s = 0;
  for (let i = 0; i < b.length;) {
    const end = Math.min(b.length, i + 5552);
    for (; i < end; i++) {
      a += b[i]!;
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** Offset of the deflate data after a gzip member header (RFC 1952), or -1 when the header is malformed. */
function gzipHeaderEnd(d: Uint8Array): number {
  if (d.length < 18 || d[2] !== 8) return -1;
  const flg = d[3]!;
  let p = 10;
  if (flg & 4) {
    if (p + 2 > d.length) return -1;
    p += 2 + (d[p]! | (d[p + 1]! << 8));
  }
  if (flg & 8) {
    while (p < d.length && d[p] !== 0) p++;
    p++;
  }
  if (flg & 16) {
    while (p < d.length && d[p] !== 0) p++;
    p++;
  }
  if (flg & 2) p += 2;
  return p <= d.length - 8 ? p : -1;
}

function corrupt(where: string, what: string): AppError {
  return new AppError('FITS_CORRUPT', `${where}: gzip data is corrupt (${what})`);
}

function run(data: Uint8Array, out: Uint8Array, where: string): Uint8Array {
  try {
    return inflateSync(data, { out });
  } catch (e) {
    throw corrupt(where, (e as Error).message);
  }
}

/**
 * Inflates a tile that must decompress to exactly `expected` bytes (`where` names file, HDU and tile).
 * The output buffer is allocated once at `expected` bytes and never grows.
 */
export function inflateTile(bytes: Uint8Array, expected: number, where: string): Uint8Array {
  const out = new Uint8Array(expected);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const start = gzipHeaderEnd(bytes);
    if (start < 0) throw corrupt(where, 'malformed gzip header');
    const n = bytes.length;
    const isize = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
    if (isize !== expected % 2 ** 32) throw new AppError('FITS_CORRUPT', `${where}: tile declares ${isize} bytes uncompressed, ${expected} expected`);
    const res = run(bytes.subarray(start, n - 8), out, where);
    const want = (bytes[n - 8]! | (bytes[n - 7]! << 8) | (bytes[n - 6]! << 16) | (bytes[n - 5]! << 24)) >>> 0;
    if (res.length !== expected) throw new AppError('FITS_CORRUPT', `${where}: tile decompresses to ${res.length} bytes, ${expected} expected`);
    if (crc32(res) !== want) throw corrupt(where, 'CRC32 mismatch');
    return res;
  }
  const zlib = bytes.length >= 6 && (bytes[0]! & 15) === 8 && bytes[0]! >> 4 <= 7 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
  if (zlib) {
    const n = bytes.length;
    const res = run(bytes.subarray(bytes[1]! & 32 ? 6 : 2, n - 4), out, where);
    const want = ((bytes[n - 4]! << 24) | (bytes[n - 3]! << 16) | (bytes[n - 2]! << 8) | bytes[n - 1]!) >>> 0;
    if (res.length !== expected) throw new AppError('FITS_CORRUPT', `${where}: tile decompresses to ${res.length} bytes, ${expected} expected`);
    if (adler32(res) !== want) throw corrupt(where, 'Adler-32 mismatch');
    return res;
  }
  const res = run(bytes, out, where);
  if (res.length !== expected) throw new AppError('FITS_CORRUPT', `${where}: tile decompresses to ${res.length} bytes, ${expected} expected`);
  return res;
}
