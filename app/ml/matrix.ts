/**
 * Row-major dense matrices as flat typed arrays (N rows × D columns), and the
 * few operations the discovery maths needs on them. Pure: no allocation
 * beyond the result, no I/O.
 */
export type Floats = Float32Array | Float64Array;

/** A row view (no copy). */
export function row(m: Floats, d: number, i: number): Floats {
  return m.subarray(i * d, (i + 1) * d);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Dot product of row i of m (dimension d) with v. */
export function rowDot(m: Floats, d: number, i: number, v: ArrayLike<number>): number {
  const o = i * d;
  let s = 0;
  for (let j = 0; j < d; j++) s += m[o + j] * v[j];
  return s;
}

/** m with every row scaled to unit L2 norm (zero rows stay zero), into a new array or `out` (which may be m itself). */
export function l2NormalizeRows(m: Floats, d: number, out: Float32Array = new Float32Array(m.length)): Float32Array {
  const n = m.length / d;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += m[o + j] * m[o + j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) out[o + j] = m[o + j] * inv;
  }
  return out;
}

export function normalizeVector(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const s = Math.sqrt(dot(out, out));
  if (s > 0) for (let j = 0; j < out.length; j++) out[j] /= s;
  return out;
}

/** Mean of the selected rows (all rows when `rows` is omitted). */
export function meanRows(m: Floats, d: number, rows?: ArrayLike<number>): Float64Array {
  const mean = new Float64Array(d);
  const n = rows ? rows.length : m.length / d;
  for (let r = 0; r < n; r++) {
    const o = (rows ? rows[r] : r) * d;
    for (let j = 0; j < d; j++) mean[j] += m[o + j];
  }
  if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** Per-column mean and standard deviation (population), streaming in float64. */
export function columnStats(m: Floats, d: number): { mean: Float64Array; std: Float64Array } {
  const n = m.length / d;
  const mean = meanRows(m, d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const x = m[o + j] - mean[j];
      v[j] += x * x;
    }
  }
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) std[j] = n > 0 ? Math.sqrt(v[j] / n) : 0;
  return { mean, std };
}

/** Gather rows into a new dense matrix. */
export function gatherRows(m: Floats, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(m.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return out;
}

/** m · v for every row: one number per row (the scores of a linear model). */
export function matVec(m: Floats, d: number, v: ArrayLike<number>, bias = 0, out?: Float32Array): Float32Array {
  const n = m.length / d;
  const res = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) res[i] = rowDot(m, d, i, v) + bias;
  return res;
}

/**
 * Solve A x = b for symmetric positive definite A (n×n, row-major, float64)
 * by Cholesky. A is not modified. Returns null when A is not positive definite.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}
