/**
 * Percentiles of pixel data, ignoring NaN/±Inf, with numpy's default
 * ('linear') interpolation between order statistics.
 */

/** Finite values of `data` sorted ascending (a new array). */
export function sortedFinite(data: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out.sort();
}

/** p in [0, 100] of an ascending array; NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(pos),
    hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Percentiles ps (each in [0, 100]) of the finite values of data; NaN when there are none. */
export function percentiles(data: ArrayLike<number>, ps: number[]): number[] {
  const s = sortedFinite(data);
  return ps.map((p) => percentileOfSorted(s, p));
}
