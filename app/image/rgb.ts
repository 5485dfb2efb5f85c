/**
 * Colour composites of three planes into canvas RGBA (north up: the first
 * output row is the last FITS row). Pixels where any input is non-finite are
 * transparent black.
 *
 * lupton: Lupton et al. (2004) asinh colour mapping, as astropy's
 *   make_lupton_rgb: subtract `minimum`, I = (R + G + B) / 3,
 *   f = asinh(Q I / stretch) · slope / I with slope = 0.1 · 255 / asinh(0.1 Q),
 *   channels c·f (negative → 0), and when the largest channel exceeds 255 all
 *   three are scaled by 255 / max, so colours saturate to their hue, not white.
 *
 * legacy: the Legacy Survey viewer transform (sdss_rgb): per-band scale s_b
 *   (g 6.0, r 3.4, z 2.2), offset m = 0.03, y_b = max(0, x_b s_b + m),
 *   I = mean_b y_b, fI = asinh(Q I) / √Q (Q = 20), out_b = (x_b s_b + m) fI / I
 *   clipped to [0, 1]; planes z, r, g → R, G, B.
 */
import { AppError } from '../core/errors';

export interface LuptonOptions {
  /** asinh softening parameter (default 8) */
  Q?: number;
  /** linear stretch of the image (default 5 in data units) */
  stretch?: number;
  /** black level per channel or for all (default 0) */
  minimum?: number | [number, number, number];
}

function flipRow(y: number, h: number) {
  return h - 1 - y;
}

function checkPlanes(planes: ArrayLike<number>[], w: number, h: number) {
  if (planes.length !== 3) throw new AppError('BAD_INPUT', `a colour composite needs 3 planes, got ${planes.length}`);
  for (const p of planes) if (p.length !== w * h) throw new AppError('BAD_INPUT', `plane has ${p.length} pixels, expected ${w}×${h}`);
}

/** Lupton et al. (2004) RGB from planes [R, G, B]. */
export function luptonRGBA(planes: ArrayLike<number>[], w: number, h: number, o: LuptonOptions = {}): Uint8ClampedArray {
  checkPlanes(planes, w, h);
  let Q = o.Q ?? 8;
  const stretch = o.stretch ?? 5;
  if (!(stretch > 0)) throw new AppError('BAD_INPUT', `Lupton stretch must be > 0, got ${stretch}`);
  if (Math.abs(Q) < 1 / 2 ** 23) Q = 0.1;
  else if (Q > 1e10) Q = 1e10;
  const min = typeof o.minimum === 'number' || o.minimum === undefined ? [o.minimum ?? 0, o.minimum ?? 0, o.minimum ?? 0] : o.minimum;
  const slope = (0.1 * 255) / Math.asinh(0.1 * Q);
  const soften = Q / stretch;
  const [R, G, B] = planes;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const src = flipRow(y, h) * w;
    for (let x = 0; x < w; x++) {
      const i = src + x,
        p = (y * w + x) * 4;
      const r = R[i] - min[0],
        g = G[i] - min[1],
        b = B[i] - min[2];
      if (!(Number.isFinite(r) && Number.isFinite(g) && Number.isFinite(b))) continue;
      const I = (r + g + b) / 3;
      const f = I <= 0 ? 0 : (Math.asinh(I * soften) * slope) / I;
      let c0 = Math.max(0, r * f),
        c1 = Math.max(0, g * f),
        c2 = Math.max(0, b * f);
      const mx = Math.max(c0, c1, c2);
      if (mx >= 255) {
        const k = 255 / mx;
        c0 *= k;
        c1 *= k;
        c2 *= k;
      }
      out[p] = Math.floor(c0);
      out[p + 1] = Math.floor(c1);
      out[p + 2] = Math.floor(c2);
      out[p + 3] = 255;
    }
  }
  return out;
}

export interface LegacyOptions {
  /** per band name scale (default g 6.0, r 3.4, z 2.2) */
  scales?: Record<string, number>;
  /** offset m (default 0.03) */
  offset?: number;
  /** asinh Q (default 20) */
  Q?: number;
}

export const LEGACY_SCALES: Readonly<Record<string, number>> = Object.freeze({ g: 6.0, r: 3.4, z: 2.2 });

/**
 * Legacy Survey viewer RGB of the planes named `bands` (must include g, r, z;
 * other planes are ignored): z → R, r → G, g → B.
 */
export function legacyRGBA(planes: ArrayLike<number>[], bands: string[], w: number, h: number, o: LegacyOptions = {}): Uint8ClampedArray {
  const scales = { ...LEGACY_SCALES, ...o.scales };
  const m = o.offset ?? 0.03,
    Q = o.Q ?? 20;
  const idx = ['z', 'r', 'g'].map((b) => bands.indexOf(b));
  if (idx.some((k) => k < 0)) throw new AppError('BAD_INPUT', `Legacy Survey RGB needs bands g, r, z; got [${bands.join(', ')}]`);
  const P = idx.map((k) => planes[k]);
  checkPlanes(P, w, h);
  const s = [scales.z, scales.r, scales.g];
  const sq = Math.sqrt(Q);
  const out = new Uint8ClampedArray(w * h * 4);
  const v = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    const src = flipRow(y, h) * w;
    for (let x = 0; x < w; x++) {
      const i = src + x,
        p = (y * w + x) * 4;
      let I = 0,
        ok = true;
      for (let c = 0; c < 3; c++) {
        const t = P[c][i] * s[c] + m;
        if (!Number.isFinite(t)) ok = false;
        v[c] = t;
        I += Math.max(0, t);
      }
      if (!ok) continue;
      I /= 3;
      const fI = Math.asinh(Q * I) / sq;
      if (I === 0) I = 1e-6;
      for (let c = 0; c < 3; c++) {
        const t = (v[c] * fI) / I;
        out[p + c] = Math.round((t < 0 ? 0 : t > 1 ? 1 : t) * 255);
      }
      out[p + 3] = 255;
    }
  }
  return out;
}
