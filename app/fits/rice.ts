/**
 * Rice decompression as used by FITS tile compression (RICE_1, R. White's
 * algorithm as in CFITSIO): the first pixel is stored raw (bytepix bytes,
 * big-endian), then blocks of `blockSize` pixel differences, each block with
 * a split level FS (fsbits bits, stored as FS+1): 0 = all differences zero,
 * fsmax+1 = differences stored raw, else Rice codes (unary high part,
 * FS low bits) of zigzag-mapped differences.
 */
import { AppError } from '../core/errors';

const PARAMS: Record<number, { fsbits: number; fsmax: number; bbits: number }> = {
  1: { fsbits: 3, fsmax: 6, bbits: 8 },
  2: { fsbits: 4, fsmax: 14, bbits: 16 },
  4: { fsbits: 5, fsmax: 25, bbits: 32 },
};

/**
 * Decodes `n` pixels into `out` (Uint8Array for bytepix 1, Int16Array for 2,
 * Int32Array for 4; values wrap to the pixel width as in CFITSIO).
 * Throws AppError('FITS_CORRUPT', …) if the stream ends early; `where` names the file, HDU and tile.
 */
export function riceDecode(c: Uint8Array, out: Uint8Array | Int16Array | Int32Array, n: number, blockSize: number, bytepix: number, where: string): void {
  const p = PARAMS[bytepix];
  if (!p) throw new AppError('FITS_UNSUPPORTED', `${where}: RICE_1 BYTEPIX = ${bytepix} (only 1, 2, 4)`);
  if (blockSize < 1) throw new AppError('FITS_CORRUPT', `${where}: RICE_1 BLOCKSIZE = ${blockSize}`);
  const { fsbits, fsmax, bbits } = p;
  const len = c.length;
  if (len < bytepix + 1 && n > 0) throw new AppError('FITS_CORRUPT', `${where}: RICE_1 tile is only ${len} bytes`);
  let last = 0;
  for (let k = 0; k < bytepix; k++) last = (last << 8) | c[k]!;
  last |= 0;
  let bit = bytepix * 8; // bit position in c
  const endBits = len * 8;
  // 32 bits starting at bit position `pos` (bytes past the end read as 0)
  const peek = (pos: number): number => {
    const i = pos >>> 3,
      o = pos & 7;
    const w = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
    return o === 0 ? w : ((w << o) | (c[i + 4]! >>> (8 - o))) >>> 0;
  };
  for (let i = 0; i < n;) {
    const fs = (peek(bit) >>> (32 - fsbits)) - 1;
    bit += fsbits;
    const imax = Math.min(i + blockSize, n);
    if (fs < 0) {
      for (; i < imax; i++) out[i] = last;
    } else if (fs === fsmax) {
      for (; i < imax; i++) {
        const diff = bbits === 32 ? peek(bit) : peek(bit) >>> (32 - bbits);
        bit += bbits;
        last = (last + ((diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1))) | 0;
        out[i] = last;
      }
    } else {
      for (; i < imax; i++) {
        let nzero = 0;
        let w = peek(bit);
        while (w === 0) {
          nzero += 32;
          bit += 32;
          if (bit > endBits) throw new AppError('FITS_CORRUPT', `${where}: RICE_1 stream ends early`);
          w = peek(bit);
        }
        const z = Math.clz32(w);
        nzero += z;
        bit += z + 1;
        const low = fs === 0 ? 0 : peek(bit) >>> (32 - fs);
        bit += fs;
        const diff = (nzero * (1 << fs) + low) >>> 0;
        last = (last + ((diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1))) | 0;
        out[i] = last;
      }
    }
    if (bit > endBits) throw new AppError('FITS_CORRUPT', `${where}: RICE_1 stream ends early (${n} pixels expected)`);
  }
}
