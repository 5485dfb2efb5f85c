/**
 * Un-quantisation of tile-compressed floating-point images (FITS 4.0 §10.2,
 * CFITSIO's fits_unquantize_*): value = (I - R + 0.5) × ZSCALE + ZZERO with
 * subtractive dithering, where R comes from a fixed table of 10 000 uniform
 * random numbers (Park & Miller generator, seed 1) and the starting index of
 * each tile derives from ZDITHER0 and the tile number.
 */
export type DitherMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

export const N_RANDOM = 10000;
/** integer code of a pixel that was exactly 0.0 under SUBTRACTIVE_DITHER_2 */
export const ZERO_VALUE = -2147483646;

let table: Float64Array | null = null;

/** The standard's random table (cached). Its generator state after 10 000 draws is 1043618065. */
export function ditherTable(): Float64Array {
  if (table) return table;
  const a = 16807,
    m = 2147483647;
  let seed = 1;
  const t = new Float64Array(N_RANDOM);
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    t[i] = seed / m;
  }
  table = t;
  return t;
}

export interface TileQuant {
  scale: number;
  zero: number;
  /** integer code of null pixels (ZBLANK), if any */
  blank?: number;
  method: DitherMethod;
  /** ZDITHER0 */
  seed: number;
  /** 0-based tile number */
  tile: number;
}

/** Integer codes of one tile → floats written to out[0..n). */
export function unquantize(input: ArrayLike<number>, n: number, q: TileQuant, out: Float32Array | Float64Array): void {
  const { scale, zero } = q;
  const blank = q.blank ?? NaN; // NaN never equals an integer: no null check
  if (q.method === 'NO_DITHER') {
    for (let i = 0; i < n; i++) {
      const v = input[i]!;
      out[i] = v === blank ? NaN : v * scale + zero;
    }
    return;
  }
  const r = ditherTable();
  const two = q.method === 'SUBTRACTIVE_DITHER_2';
  let iseed = (((q.tile + q.seed - 1) % N_RANDOM) + N_RANDOM) % N_RANDOM;
  let next = Math.floor(r[iseed]! * 500);
  for (let i = 0; i < n; i++) {
    const v = input[i]!;
    if (v === blank) out[i] = NaN;
    else if (two && v === ZERO_VALUE) out[i] = 0;
    else out[i] = (v - r[next]! + 0.5) * scale + zero;
    next++;
    if (next === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      next = Math.floor(r[iseed]! * 500);
    }
  }
}
