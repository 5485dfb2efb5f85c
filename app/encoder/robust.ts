/**
 * Robust per-plane noise: sigma = 1.4826 * MAD, the median absolute deviation
 * from the median, over the finite pixels of a plane. Medians follow numpy
 * (mean of the two middle values for an even count) and are found by
 * quickselect in float64 (O(n), no full sort).
 */
export const MAD_TO_SIGMA = 1.4826;

/** k-th smallest (0-based) of a[0..n), partially reordering a. */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    // median-of-three pivot
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** numpy-style median of a[0..n) (reorders a); NaN when n = 0. */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const k = n >> 1;
  const hi = selectKth(a, n, k);
  if (n % 2 === 1) return hi;
  // after selecting k, a[0..k) holds the k smallest: the lower middle is their maximum
  let lo = -Infinity;
  for (let i = 0; i < k; i++) if (a[i] > lo) lo = a[i];
  return 0.5 * (lo + hi);
}

/**
 * 1.4826 * MAD of the finite values of `plane`; 0 when it has none.
 * `scratch` must hold at least plane.length values.
 */
export function madSigma(plane: ArrayLike<number>, scratch: Float64Array): number {
  let n = 0;
  for (let i = 0; i < plane.length; i++) {
    const v = plane[i];
    if (Number.isFinite(v)) scratch[n++] = v;
  }
  if (n === 0) return 0;
  const med = medianInPlace(scratch, n);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(scratch[i] - med);
  return MAD_TO_SIGMA * medianInPlace(scratch, n);
}
