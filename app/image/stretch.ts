/**
 * Single-band display stretches. A value is first normalised with a black
 * point and a white point, t = clip((x − black) / (white − black), 0, 1), then
 * mapped:
 *   linear  t
 *   sqrt    √t
 *   log     log10(1 + a t) / log10(1 + a)            (a = 1000, as DS9)
 *   asinh   asinh(t / β) / asinh(1 / β)               (β = softening, 0.1 default)
 * Black and white points come from percentiles of the finite pixels unless
 * given. Non-finite pixels become transparent in RGBA output.
 */
import { AppError } from '../core/errors';
import { percentileOfSorted, sortedFinite } from './percentile';

export type StretchKind = 'linear' | 'sqrt' | 'log' | 'asinh';
export const STRETCH_KINDS: readonly StretchKind[] = ['linear', 'sqrt', 'log', 'asinh'];

export interface StretchOptions {
  kind: StretchKind;
  /** percentile giving the black point when `black` is absent (default 1) */
  lowPercentile?: number;
  /** percentile giving the white point when `white` is absent (default 99.5) */
  highPercentile?: number;
  black?: number;
  white?: number;
  /** asinh softening β (default 0.1) or log exponent a (default 1000) */
  softening?: number;
}

export interface Levels {
  black: number;
  white: number;
}

/** Black and white points for `data` under these options (percentiles where not given). */
export function stretchLevels(data: ArrayLike<number>, o: StretchOptions): Levels {
  const lowP = o.lowPercentile ?? 1,
    highP = o.highPercentile ?? 99.5;
  if (!(lowP >= 0 && highP <= 100 && lowP < highP))
    throw new AppError('BAD_INPUT', `stretch percentiles must satisfy 0 <= low < high <= 100, got ${lowP}, ${highP}`);
  let black = o.black,
    white = o.white;
  if (black === undefined || white === undefined) {
    const s = sortedFinite(data);
    black ??= percentileOfSorted(s, lowP);
    white ??= percentileOfSorted(s, highP);
  }
  if (!Number.isFinite(black) || !Number.isFinite(white)) return { black: 0, white: 1 };
  if (white <= black) white = black + (Math.abs(black) > 0 ? Math.abs(black) * 1e-6 : 1e-12);
  return { black, white };
}

/** The stretch function on a normalised t in [0, 1] → [0, 1]. */
export function stretchFunction(kind: StretchKind, softening?: number): (t: number) => number {
  switch (kind) {
    case 'linear':
      return (t) => t;
    case 'sqrt':
      return (t) => Math.sqrt(t);
    case 'log': {
      const a = softening ?? 1000;
      if (!(a > 0)) throw new AppError('BAD_INPUT', `log stretch exponent must be > 0, got ${a}`);
      const d = Math.log10(1 + a);
      return (t) => Math.log10(1 + a * t) / d;
    }
    case 'asinh': {
      const b = softening ?? 0.1;
      if (!(b > 0)) throw new AppError('BAD_INPUT', `asinh softening must be > 0, got ${b}`);
      const d = Math.asinh(1 / b);
      return (t) => Math.asinh(t / b) / d;
    }
    default:
      throw new AppError('BAD_INPUT', `unknown stretch '${String(kind)}' (known: ${STRETCH_KINDS.join(', ')})`);
  }
}

/** Stretched values in [0, 1] (NaN stays NaN). */
export function applyStretch(data: ArrayLike<number>, o: StretchOptions, levels = stretchLevels(data, o)): Float32Array {
  const f = stretchFunction(o.kind, o.softening);
  const { black, white } = levels;
  const inv = 1 / (white - black);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    const t = (v - black) * inv;
    out[i] = f(t <= 0 ? 0 : t >= 1 ? 1 : t);
  }
  return out;
}

/**
 * Grey RGBA (canvas order, north up: the first output row is the last FITS
 * row) of one w×h plane; non-finite pixels are transparent black.
 */
export function monoRGBA(plane: ArrayLike<number>, w: number, h: number, o: StretchOptions, levels?: Levels): Uint8ClampedArray {
  if (plane.length !== w * h) throw new AppError('BAD_INPUT', `plane has ${plane.length} pixels, expected ${w}×${h}`);
  const s = applyStretch(plane, o, levels);
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const src = (h - 1 - y) * w,
      dst = y * w * 4;
    for (let x = 0; x < w; x++) {
      const v = s[src + x];
      const p = dst + 4 * x;
      if (Number.isNaN(v)) continue;
      const g = v * 255;
      out[p] = g;
      out[p + 1] = g;
      out[p + 2] = g;
      out[p + 3] = 255;
    }
  }
  return out;
}
