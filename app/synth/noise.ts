/**
 * Pixel noise. Standard-normal deviates come from the inverse normal CDF
 * (Acklam's rational approximation, relative error < 1.2e-9) tabulated on
 * 4096 equal-probability bins and interpolated linearly within a bin; the two
 * outermost bins use the exact formula, so the tails are kept. One 32-bit
 * uniform per deviate.
 */
import type { Rng } from '../core/rng';

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Inverse of the standard normal CDF, p in (0, 1). */
export function normalQuantile(p: number): number {
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

const BINS = 4096;
const TABLE = (() => {
  const t = new Float64Array(BINS + 1);
  for (let i = 1; i < BINS; i++) t[i] = normalQuantile(i / BINS);
  return t;
})();

/**
 * Adds noise to one band plane: sky noise skySigma plus source Poisson noise
 * (variance flux / gain for positive flux), as a Gaussian. The uniforms come
 * from a local sfc32 generator seeded from `rng` (inlined for speed).
 */
export function addNoise(plane: Float32Array, skySigma: number, gain: number, rng: Rng): void {
  const s2 = skySigma * skySigma;
  const ig = 1 / gain;
  let a = (rng.next() * 4294967296) >>> 0,
    b = (rng.next() * 4294967296) >>> 0;
  let c = (rng.next() * 4294967296) >>> 0,
    d = 1;
  for (let i = 0; i < plane.length; i++) {
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    const u = (t >>> 0) * (BINS / 4294967296);
    const k = u | 0;
    let z: number;
    if (k === 0 || k === BINS - 1) {
      const p = u / BINS;
      z = normalQuantile(p <= 0 ? 0.5 / 4294967296 : p);
    } else {
      z = TABLE[k] + (TABLE[k + 1] - TABLE[k]) * (u - k);
    }
    const f = plane[i];
    plane[i] = f + (f > 0 ? Math.sqrt(s2 + f * ig) : skySigma) * z;
  }
}

/**
 * Effective gain (photons per nanomaggy) implied by a sky of `skyMag`
 * mag/arcsec² and a per-pixel sky noise of skySigma: N_sky = (sky/σ)².
 */
export function effectiveGain(skyMag: number, skySigma: number, pixscale: number): number {
  const skyPerPix = 10 ** ((22.5 - skyMag) / 2.5) * pixscale * pixscale;
  return skyPerPix / (skySigma * skySigma);
}
