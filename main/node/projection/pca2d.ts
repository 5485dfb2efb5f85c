/** 2-D PCA layout of the (unit-normalised) embeddings, streamed in chunks. */
import { AppError } from '@app/core/errors';
import { CovarianceAccumulator, pcaFromAccumulator, pcaTransform } from '@app/ml/pca';
import type { PcaParams, ProgressFn } from './types';

const CHUNK = 8192;

export function pca2d(
  rows: Float32Array,
  dim: number,
  p: PcaParams,
  onProgress?: ProgressFn,
  signal?: AbortSignal,
): { xy: Float32Array; explainedVarianceRatio: number[] } {
  const n = rows.length / dim;
  const stride = Math.max(1, Math.ceil(n / p.maxFitRows));
  const acc = new CovarianceAccumulator(dim);
  for (let s = 0; s < n; s += CHUNK) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'PCA cancelled');
    const e = Math.min(n, s + CHUNK);
    // keep the stride phase global so the fitted rows are every stride-th row of all N
    const first = Math.ceil(s / stride) * stride;
    if (first < e) acc.add(rows.subarray(first * dim, e * dim), stride);
    onProgress?.({ stage: 'fit', done: e, total: n });
  }
  const model = pcaFromAccumulator(acc, 2);
  const xy = new Float32Array(n * 2);
  for (let s = 0; s < n; s += CHUNK) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'PCA cancelled');
    const e = Math.min(n, s + CHUNK);
    pcaTransform(model, rows.subarray(s * dim, e * dim), xy.subarray(s * 2, e * 2));
    onProgress?.({ stage: 'project', done: e, total: n });
  }
  return { xy, explainedVarianceRatio: Array.from(model.explainedVarianceRatio) };
}
