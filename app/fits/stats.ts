/** Summary statistics of image data: NaN pixels are counted and excluded from min / max / mean. */
export interface ImageStats {
  /** number of pixels */
  count: number;
  nanCount: number;
  /** null when every pixel is NaN (or there are none) */
  min: number | null;
  max: number | null;
  mean: number | null;
}

export function imageStats(data: ArrayLike<number>): ImageStats {
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    nan = 0;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v !== v) {
      nan++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const good = n - nan;
  return { count: n, nanCount: nan, min: good ? min : null, max: good ? max : null, mean: good ? sum / good : null };
}
