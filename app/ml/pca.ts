/**
 * Principal component analysis by exact eigen-decomposition of the
 * covariance matrix, accumulated in float64 over rows streamed in chunks (so
 * any N works; D up to ~512). Components are sign-fixed so that each one's
 * largest-magnitude loading is positive: results are reproducible and
 * comparable with numpy's SVD after the same convention.
 */
import { symmetricEigen } from './eigen';
import type { Floats } from './matrix';

export interface PcaModel {
  dim: number;
  nComponents: number;
  /** column means (length dim) */
  mean: Float64Array;
  /** nComponents × dim, row-major, unit rows */
  components: Float64Array;
  /** variance along each component (sample variance, n − 1) */
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  /** rows the model was fitted on */
  nSamples: number;
}

/** Streams rows into a shifted sum / sum-of-products (upper triangle only). */
export class CovarianceAccumulator {
  readonly dim: number;
  private n = 0;
  private shift: Float64Array | null = null;
  private readonly sum: Float64Array;
  private readonly prod: Float64Array;
  private readonly buf: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.sum = new Float64Array(dim);
    this.prod = new Float64Array(dim * dim);
    this.buf = new Float64Array(dim);
  }

  get count(): number {
    return this.n;
  }

  /** Add the rows of a chunk (rows × dim, row-major); `stride` keeps every stride-th row. */
  add(chunk: Floats, stride = 1): void {
    const d = this.dim;
    const rows = chunk.length / d;
    if (!this.shift && rows > 0) this.shift = Float64Array.from(chunk.subarray(0, d));
    const shift = this.shift!;
    const x = this.buf;
    for (let r = 0; r < rows; r += stride) {
      const o = r * d;
      for (let j = 0; j < d; j++) x[j] = chunk[o + j] - shift[j];
      for (let i = 0; i < d; i++) {
        const xi = x[i];
        this.sum[i] += xi;
        if (xi === 0) continue;
        const base = i * d;
        for (let j = i; j < d; j++) this.prod[base + j] += xi * x[j];
      }
      this.n++;
    }
  }

  /** Mean and sample covariance (dim × dim, full symmetric). */
  result(): { mean: Float64Array; cov: Float64Array; n: number } {
    const d = this.dim;
    const n = this.n;
    const mean = new Float64Array(d);
    const cov = new Float64Array(d * d);
    if (n === 0) return { mean, cov, n };
    const m = Float64Array.from(this.sum, (s) => s / n);
    for (let i = 0; i < d; i++) mean[i] = m[i] + this.shift![i];
    const denom = Math.max(1, n - 1);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const c = (this.prod[i * d + j] - n * m[i] * m[j]) / denom;
        cov[i * d + j] = c;
        cov[j * d + i] = c;
      }
    }
    return { mean, cov, n };
  }
}

/** PCA from an accumulator's covariance. */
export function pcaFromAccumulator(acc: CovarianceAccumulator, nComponents: number): PcaModel {
  const d = acc.dim;
  const k = Math.min(nComponents, d);
  const { mean, cov, n } = acc.result();
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (let i = 0; i < d; i++) total += Math.max(0, values[i]);
  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const v = vectors.subarray(c * d, (c + 1) * d);
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    const sign = v[big] < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components[c * d + j] = sign * v[j];
    explainedVariance[c] = Math.max(0, values[c]);
    explainedVarianceRatio[c] = total > 0 ? explainedVariance[c] / total : 0;
  }
  return { dim: d, nComponents: k, mean, components, explainedVariance, explainedVarianceRatio, nSamples: n };
}

/** Fit PCA on an in-memory matrix (N × dim). */
export function pcaFit(m: Floats, dim: number, nComponents: number, stride = 1): PcaModel {
  const acc = new CovarianceAccumulator(dim);
  acc.add(m, stride);
  return pcaFromAccumulator(acc, nComponents);
}

/** Project rows (N × dim) onto the components: N × nComponents float32. */
export function pcaTransform(model: PcaModel, m: Floats, out?: Float32Array): Float32Array {
  const d = model.dim;
  const k = model.nComponents;
  const n = m.length / d;
  const res = out ?? new Float32Array(n * k);
  const x = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) x[j] = m[o + j] - model.mean[j];
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += x[j] * model.components[co + j];
      res[r * k + c] = s;
    }
  }
  return res;
}
