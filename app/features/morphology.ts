/**
 * The morphology feature block of one cutout (columns.ts lists every column
 * with its meaning). Per band, after per-cutout sky subtraction and noise
 * normalisation (sky = median, σ = 1.4826·MAD of the pixels at r ≥ 26 px;
 * x = (I − sky)/σ; missing pixels count as sky):
 *  - azimuthal mean profile in 8 annuli, spread of 8 sector means, m=1 and
 *    m=2 Fourier amplitudes per annulus;
 *  - colours per annulus (asinh magnitudes, so faint annuli stay finite);
 *  - the positive residual after subtracting each annulus's mean, per band
 *    and annulus, and the area, S/N and colour of the > 2σ residual in the
 *    1.5–19 px zone: lensed arcs are blue residuals around a red deflector;
 *  - outer low-surface-brightness light: the positive part of the image
 *    minus its 180° rotation (a point-symmetric model removed), smoothed 5×5,
 *    in three outer zones, and the symmetric smoothed light there;
 *  - peak count (3×3-smoothed local maxima);
 *  - CAS, Gini, M20 of the middle band (nonparametric.ts).
 * Noise-driven terms are corrected by their expectation for unit Gaussian
 * noise (E max(z, 0) = 1/√(2π)), so empty sky reads ≈ 0.
 * Pure: typed arrays in, Float32Array out. tests/features checks it against
 * the independent numpy implementation in tests/features/morphology_ref.py.
 */
import { AppError } from '../core/errors';
import { MAD_TO_SIGMA, medianInPlace } from '../encoder/robust';
import { boxFilter } from './box';
import { morphologyColumns, type FeatureColumn } from './columns';
import { geometryFor, SECTORS, type Geometry } from './geometry';
import { nonParametric, npScratch, type NpScratch } from './nonparametric';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const MAG = 2.5 / Math.LN10;
const PEAK_EPS = 1e-6;

/** smallest stamp side the features are defined for (the annuli and sky ring need room) */
export const MIN_STAMP = 16;

export interface MorphologyInput {
  bands: readonly string[];
  width: number;
  height: number;
}

export class MorphologyExtractor {
  readonly columns: FeatureColumn[];
  readonly dim: number;
  private readonly g: Geometry;
  private readonly nb: number;
  private readonly x: Float64Array[];
  private readonly sigma: Float64Array;
  private readonly scratch: Float64Array;
  private readonly det: Float64Array;
  private readonly tmp: Float64Array;
  private readonly sm: Float64Array;
  private readonly sat: Float64Array;
  private readonly resid: Float64Array[];
  private readonly np: NpScratch;
  private readonly annSum: Float64Array;
  private readonly secSum: Float64Array;
  private readonly four: Float64Array;

  constructor(readonly input: MorphologyInput) {
    const { bands, width, height } = input;
    if (!bands.length || !Number.isInteger(width) || !Number.isInteger(height) || width < MIN_STAMP || height < MIN_STAMP)
      throw new AppError(
        'BAD_INPUT',
        `morphology features need at least one band and a ${MIN_STAMP}×${MIN_STAMP} stamp (got ${bands.length} bands, ${width}×${height})`,
      );
    this.g = geometryFor(width, height);
    this.nb = bands.length;
    this.columns = morphologyColumns(bands);
    this.dim = this.columns.length;
    const n = this.g.n;
    this.x = bands.map(() => new Float64Array(n));
    this.resid = bands.map(() => new Float64Array(n));
    this.sigma = new Float64Array(this.nb);
    this.scratch = new Float64Array(this.g.sky.length);
    this.det = new Float64Array(n);
    this.tmp = new Float64Array(n);
    this.sm = new Float64Array(n);
    this.sat = new Float64Array((width + 1) * (height + 1));
    this.np = npScratch(this.g);
    this.annSum = new Float64Array(this.g.annuli);
    this.secSum = new Float64Array(this.g.annuli * SECTORS);
    this.four = new Float64Array(this.g.annuli * 4);
  }

  /** Features of one cutout (bands × height × width, band-major) into out[offset..offset+dim). */
  run(data: Float32Array, out: Float32Array = new Float32Array(this.dim), offset = 0): Float32Array {
    const g = this.g,
      n = g.n,
      nb = this.nb,
      A = g.annuli;
    if (data.length !== nb * n) throw new AppError('BAD_INPUT', `morphology features: ${data.length} pixels, expected ${nb}×${g.height}×${g.width}`);
    let o = offset;
    const put = (v: number) => {
      out[o++] = Number.isFinite(v) ? v : 0;
    };
    // 1. sky subtraction and noise normalisation per band
    for (let b = 0; b < nb; b++) {
      const plane = data.subarray(b * n, (b + 1) * n);
      let m = 0;
      for (let i = 0; i < g.sky.length; i++) {
        const v = plane[g.sky[i]];
        if (Number.isFinite(v)) this.scratch[m++] = v;
      }
      const sky = m ? medianInPlace(this.scratch, m) : 0;
      for (let i = 0; i < m; i++) this.scratch[i] = Math.abs(this.scratch[i] - sky);
      let sigma = m ? MAD_TO_SIGMA * medianInPlace(this.scratch, m) : 0;
      if (!(sigma > 0)) sigma = 1;
      this.sigma[b] = sigma;
      const x = this.x[b];
      for (let p = 0; p < n; p++) {
        const v = plane[p];
        x[p] = Number.isFinite(v) ? (v - sky) / sigma : 0;
      }
    }
    // 2. annulus statistics per band: profile, sector spread, m=1, m=2
    const prof: number[][] = [],
      sums: number[][] = [];
    const spread: number[] = [],
      m1: number[] = [],
      m2: number[] = [];
    for (let b = 0; b < nb; b++) {
      const x = this.x[b];
      this.annSum.fill(0);
      this.secSum.fill(0);
      this.four.fill(0);
      for (let p = 0; p < n; p++) {
        const a = g.annulus[p];
        if (a < 0) continue;
        const v = x[p];
        this.annSum[a] += v;
        this.secSum[a * SECTORS + g.sector[p]] += v;
        const f = a * 4;
        this.four[f] += v * g.cos1[p];
        this.four[f + 1] += v * g.sin1[p];
        this.four[f + 2] += v * g.cos2[p];
        this.four[f + 3] += v * g.sin2[p];
      }
      const pm: number[] = [],
        ps: number[] = [];
      for (let a = 0; a < A; a++) {
        const N = g.annulusCount[a],
          S = this.annSum[a],
          mean = S / N;
        pm.push(mean);
        ps.push(S);
        let k = 0,
          mu = 0,
          m2s = 0;
        for (let s = 0; s < SECTORS; s++) {
          const c = g.sectorCount[a * SECTORS + s];
          if (c > 0) {
            const v = this.secSum[a * SECTORS + s] / c;
            k++;
            mu += v;
            m2s += v * v;
          }
        }
        mu /= k;
        const sd = Math.sqrt(Math.max(0, m2s / k - mu * mu));
        spread.push(sd / (Math.abs(mean) + 1 / Math.sqrt(N / SECTORS)));
        const den = Math.abs(S) + Math.sqrt(N),
          f = a * 4;
        m1.push(Math.hypot(this.four[f], this.four[f + 1]) / den);
        m2.push(Math.hypot(this.four[f + 2], this.four[f + 3]) / den);
      }
      prof.push(pm);
      sums.push(ps);
    }
    for (let b = 0; b < nb; b++) for (let a = 0; a < A; a++) put(Math.asinh(prof[b][a]));
    spread.forEach(put);
    m1.forEach(put);
    m2.forEach(put);
    // 3. colours per annulus (asinh magnitudes of the annulus flux over its noise)
    const colour = (Sb: number, Sc: number, Nn: number, b: number) =>
      -MAG * (Math.asinh(Sb / (2 * Math.sqrt(Nn))) - Math.asinh(Sc / (2 * Math.sqrt(Nn)))) - 2.5 * Math.log10(this.sigma[b] / this.sigma[b + 1]);
    for (let b = 0; b + 1 < nb; b++) for (let a = 0; a < A; a++) put(colour(sums[b][a], sums[b + 1][a], g.annulusCount[a], b));
    // 4. residual from the azimuthal mean, smoothed 3×3 (×3: unit noise)
    this.det.fill(0);
    const resPos = new Float64Array(A);
    for (let b = 0; b < nb; b++) {
      const x = this.x[b],
        r = this.resid[b];
      for (let p = 0; p < n; p++) {
        const a = g.annulus[p];
        r[p] = a >= 0 ? x[p] - prof[b][a] : 0;
      }
      boxFilter(r, g.width, g.height, 3, this.sm, this.sat);
      resPos.fill(0);
      for (let p = 0; p < n; p++) {
        const v = 3 * this.sm[p];
        this.det[p] += v / Math.sqrt(nb);
        const a = g.annulus[p];
        if (a >= 0 && v > 0) resPos[a] += v;
      }
      for (let a = 0; a < A; a++) put(resPos[a] / g.annulusCount[a] - INV_SQRT_2PI);
    }
    let mArc = 0,
      dSum = 0;
    const arcFlux = new Float64Array(nb);
    for (let p = 0; p < n; p++) {
      if (!g.arcZone[p] || !(this.det[p] > 2)) continue;
      mArc++;
      dSum += this.det[p];
      for (let b = 0; b < nb; b++) arcFlux[b] += this.resid[b][p];
    }
    put(mArc / g.arcZoneCount);
    put(Math.asinh(mArc ? dSum / Math.sqrt(mArc) : 0));
    for (let b = 0; b + 1 < nb; b++) put(mArc ? colour(arcFlux[b], arcFlux[b + 1], mArc, b) : 0);
    // 5. outer light: asymmetric residual and symmetric light, smoothed 5×5 (×5: unit noise)
    this.det.fill(0);
    for (let b = 0; b < nb; b++) {
      const x = this.x[b];
      for (let p = 0; p < n; p++) this.det[p] += x[p] / Math.sqrt(nb);
    }
    const det = this.det;
    for (let p = 0; p < n; p++) {
      const q = g.rot[p];
      this.tmp[p] = q >= 0 ? (det[p] - det[q]) / Math.SQRT2 : 0;
    }
    boxFilter(this.tmp, g.width, g.height, 5, this.sm, this.sat);
    const Z = g.zoneCount.length;
    const zPos = new Float64Array(Z),
      zFrac = new Float64Array(Z),
      zLsb = new Float64Array(Z);
    for (let p = 0; p < n; p++) {
      const z = g.zone[p];
      if (z < 0) continue;
      const v = 5 * this.sm[p];
      if (v > 0) zPos[z] += v;
      if (v > 2) zFrac[z]++;
    }
    boxFilter(det, g.width, g.height, 5, this.sm, this.sat);
    for (let p = 0; p < n; p++) {
      const z = g.zone[p];
      if (z >= 0) zLsb[z] += 5 * this.sm[p];
    }
    for (let z = 0; z < Z; z++) put(zPos[z] / g.zoneCount[z] - INV_SQRT_2PI);
    for (let z = 0; z < Z; z++) put(zFrac[z] / g.zoneCount[z]);
    for (let z = 0; z < Z; z++) put(Math.asinh(zLsb[z] / g.zoneCount[z]));
    // 6. peaks of the 3×3-smoothed detection image
    boxFilter(det, g.width, g.height, 3, this.sm, this.sat);
    let p5 = 0,
      p15 = 0;
    const W = g.width,
      sm = this.sm;
    for (let y = 1; y < g.height - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        const p = y * W + x,
          v = 3 * sm[p];
        if (v <= 5 || g.dist[p] >= g.peakRadius) continue;
        // strictly above every neighbour by more than rounding (saturated plateaus are not peaks)
        const c = sm[p] - PEAK_EPS;
        if (
          c > sm[p - 1] &&
          c > sm[p + 1] &&
          c > sm[p - W] &&
          c > sm[p + W] &&
          c > sm[p - W - 1] &&
          c > sm[p - W + 1] &&
          c > sm[p + W - 1] &&
          c > sm[p + W + 1]
        ) {
          p5++;
          if (v > 15) p15++;
        }
      }
    }
    put(p5);
    put(p15);
    // 7. CAS, Gini, M20 of the middle band
    const np = nonParametric(this.x[Math.floor(nb / 2)], g, this.np);
    put(np.rPetro);
    put(np.r20);
    put(np.r80);
    put(np.concentration);
    put(np.asymmetry);
    put(np.smoothness);
    put(np.gini);
    put(np.m20);
    if (o - offset !== this.dim) throw new AppError('INTERNAL', `morphology features: wrote ${o - offset} of ${this.dim} columns`);
    return out;
  }
}

/** Features of `count` cutouts in one block (count × bands × H × W) → count × dim. */
export function morphologyBlock(ex: MorphologyExtractor, block: Float32Array, count: number): Float32Array {
  const px = block.length / count;
  const out = new Float32Array(count * ex.dim);
  for (let i = 0; i < count; i++) ex.run(block.subarray(i * px, (i + 1) * px), out, i * ex.dim);
  return out;
}
