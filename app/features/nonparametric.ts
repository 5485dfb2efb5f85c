/**
 * The standard non-parametric morphology numbers of one sky-subtracted band,
 * following statmorph's conventions (Rodriguez-Gomez et al. 2019,
 * statmorph.readthedocs.io) with the simplifications noted:
 *  - Petrosian radius (circular): the r where μ(annulus r−0.5..r+0.5 px) /
 *    μ(<r) = η = 0.2 (statmorph's default annulus width of 1 px), found on a
 *    0.5-px grid of radii and interpolated linearly. Apertures include pixels
 *    whose centre lies inside (statmorph uses exact photutils apertures).
 *  - total flux: within 1.5 r_petro (statmorph's `petro_extent_cas`), capped
 *    to the stamp.
 *  - concentration (Bershady et al. 2000; Conselice 2003):
 *    C = 5 log10(r80 / r20), radii of the curve of growth holding 20 / 80 %
 *    of the total flux.
 *  - asymmetry (Conselice 2003): A = Σ|I − I180| / Σ|I| − A_bkg within the
 *    total aperture, rotated about the stamp's central pixel (statmorph
 *    minimises A over the centre; we keep the catalogue position).
 *    A_bkg = (2/√π)·n/Σ|I|: the expected Σ|n1 − n2| of unit Gaussian noise
 *    (the image is noise-normalised), instead of statmorph's sky patch.
 *  - smoothness (Conselice 2003; Lotz et al. 2004): S = Σ(I − I_s)₊ / ΣI −
 *    S_bkg over 0.25 r_p ≤ r < 1.5 r_p, I_s a box of odd width
 *    max(3, 2⌊r_p/8⌋+1) ≈ 0.25 r_p; S_bkg = n·√(1 − 1/w²)/√(2π) / ΣI, the
 *    expected positive residual of unit noise.
 *  - Gini (Lotz et al. 2004): G = Σ(2i − n − 1)|X_i| / (|X̄| n (n − 1)) over
 *    the pixels (sorted by |X|, i from 1) of the segmentation map: within
 *    1.5 r_p and brighter than μ(r_p) (floored at 0), as Lotz et al. define it.
 *  - M20 (Lotz et al. 2004): log10(Σ_i M_i / M_tot), M_i = f_i·r_i² about the
 *    flux-weighted centroid of the map, summing the brightest pixels until
 *    they hold 20 % of the flux: every pixel at least as bright as the one
 *    that crosses 20 % (statmorph's threshold, ties included).
 * Degenerate stamps (no positive flux) give 0 for every number.
 */
import { GROWTH_STEP, type Geometry } from './geometry';
import { boxFilter } from './box';

export interface NonParametric {
  rPetro: number;
  r20: number;
  r80: number;
  concentration: number;
  asymmetry: number;
  smoothness: number;
  gini: number;
  m20: number;
}

export const ETA = 0.2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export interface NpScratch {
  growth: Float64Array;
  smooth: Float64Array;
  sat: Float64Array;
  seg: Float64Array;
  segIdx: Int32Array;
}

export function npScratch(g: Geometry): NpScratch {
  return {
    growth: new Float64Array(g.growthCounts.length),
    smooth: new Float64Array(g.n),
    sat: new Float64Array((g.width + 1) * (g.height + 1)),
    seg: new Float64Array(g.n),
    segIdx: new Int32Array(g.n),
  };
}

function radiusAt(F: Float64Array, target: number): number {
  for (let k = 1; k < F.length; k++) {
    if (F[k] >= target) {
      const d = F[k] - F[k - 1];
      const t = d > 0 ? (target - F[k - 1]) / d : 0;
      return (k - 1 + t) * GROWTH_STEP;
    }
  }
  return (F.length - 1) * GROWTH_STEP;
}

export function nonParametric(x: Float64Array, g: Geometry, s: NpScratch): NonParametric {
  const zero: NonParametric = { rPetro: 0, r20: 0, r80: 0, concentration: 0, asymmetry: 0, smoothness: 0, gini: 0, m20: 0 };
  const F = s.growth,
    counts = g.growthCounts,
    K = counts.length - 1;
  // curve of growth on the 0.5-px grid: F[k] = Σ x over dist < k·step
  let acc = 0,
    j = 0;
  for (let k = 0; k <= K; k++) {
    while (j < counts[k]) acc += x[g.byDistance[j++]];
    F[k] = acc;
  }
  // Petrosian radius
  let rPetro = -1,
    prevR = -1,
    prevEta = 0;
  for (let k = 2; k < K; k++) {
    const nAnn = counts[k + 1] - counts[k - 1];
    if (counts[k] === 0 || nAnn === 0) continue;
    const muAp = F[k] / counts[k];
    if (!(muAp > 0)) continue;
    const eta = (F[k + 1] - F[k - 1]) / nAnn / muAp;
    const r = k * GROWTH_STEP;
    if (eta < ETA) {
      rPetro = prevR < 0 ? r : prevR + ((prevEta - ETA) / (prevEta - eta)) * (r - prevR);
      break;
    }
    prevR = r;
    prevEta = eta;
  }
  if (rPetro < 0) rPetro = g.rmax / 1.5;
  const kt = Math.min(K, Math.floor((1.5 * rPetro) / GROWTH_STEP + 0.5));
  const rTot = kt * GROWTH_STEP;
  const fTot = F[kt];
  if (!(fTot > 0) || kt < 1) return { ...zero, rPetro };
  const r20 = radiusAt(F, 0.2 * fTot),
    r80 = radiusAt(F, 0.8 * fTot);
  const concentration = r20 > 0 ? 5 * Math.log10(r80 / r20) : 0;

  // asymmetry and smoothness over the total aperture
  const w = Math.max(3, 2 * Math.floor(rPetro / 8) + 1);
  boxFilter(x, g.width, g.height, w, s.smooth, s.sat);
  const rIn = 0.25 * rPetro;
  let absSum = 0,
    diffSum = 0,
    nAp = 0,
    sPos = 0,
    sFlux = 0,
    nS = 0;
  for (let p = 0; p < g.n; p++) {
    const d = g.dist[p];
    if (d >= rTot) continue;
    const v = x[p];
    absSum += Math.abs(v);
    const q = g.rot[p];
    if (q >= 0) {
      diffSum += Math.abs(v - x[q]);
      nAp++;
    }
    if (d >= rIn) {
      const r = v - s.smooth[p];
      if (r > 0) sPos += r;
      sFlux += v;
      nS++;
    }
  }
  const asymmetry = absSum > 0 ? (diffSum - TWO_OVER_SQRT_PI * nAp) / absSum : 0;
  const smoothness = sFlux > 0 ? (sPos - nS * Math.sqrt(1 - 1 / (w * w)) * INV_SQRT_2PI) / sFlux : 0;

  // Gini and M20 on the segmentation map
  const kp = Math.max(1, Math.min(K - 1, Math.floor(rPetro / GROWTH_STEP + 0.5)));
  const nRing = counts[kp + 1] - counts[kp - 1];
  const thr = Math.max(0, nRing > 0 ? (F[kp + 1] - F[kp - 1]) / nRing : 0);
  let m = 0;
  for (let p = 0; p < g.n; p++) if (g.dist[p] < rTot && x[p] > thr) s.segIdx[m++] = p;
  if (m < 2) return { rPetro, r20, r80, concentration, asymmetry, smoothness, gini: 0, m20: 0 };
  const vals = s.seg.subarray(0, m);
  let sum = 0,
    xc = 0,
    yc = 0;
  for (let i = 0; i < m; i++) {
    const p = s.segIdx[i],
      v = x[p];
    vals[i] = v;
    sum += v;
    xc += v * (p % g.width);
    yc += v * Math.floor(p / g.width);
  }
  xc /= sum;
  yc /= sum;
  const sorted = Float64Array.from(vals).sort();
  let gsum = 0;
  for (let i = 0; i < m; i++) gsum += (2 * (i + 1) - m - 1) * sorted[i];
  const gini = gsum / ((sum / m) * m * (m - 1));
  // M20: the brightest pixels holding 20 % of the flux are those >= the value where the running sum crosses it
  let cum = 0,
    thr20 = sorted[m - 1];
  for (let i = m - 1; i >= 0; i--) {
    cum += sorted[i];
    if (cum >= 0.2 * sum) {
      thr20 = sorted[i];
      break;
    }
  }
  let mTot = 0,
    m20sum = 0;
  for (let i = 0; i < m; i++) {
    const p = s.segIdx[i];
    const dx = (p % g.width) - xc,
      dy = Math.floor(p / g.width) - yc;
    const mi = vals[i] * (dx * dx + dy * dy);
    mTot += mi;
    if (vals[i] >= thr20) m20sum += mi;
  }
  const m20 = mTot > 0 && m20sum > 0 ? Math.log10(m20sum / mTot) : 0;
  return { rPetro, r20, r80, concentration, asymmetry, smoothness, gini, m20 };
}
