/**
 * k-nearest-neighbour regression of a numeric catalogue column (e.g.
 * redshift) in embedding space: the prediction for an object is the
 * (similarity-weighted) mean of the values of its k most similar labelled
 * objects. Cosine similarity on L2-normalised rows. Cross-validated R² tells
 * the astronomer whether the embedding carries that quantity at all.
 */
import type { Rng } from '../core/rng';
import { kFoldAssignment } from './folds';
import { gatherRows, type Floats } from './matrix';
import { exactKnn } from './knn';
import { r2Score } from './metrics';

export type KnnWeighting = 'uniform' | 'similarity';

export interface KnnRegressionOptions {
  k?: number;
  weighting?: KnnWeighting;
}

/**
 * Predict from a neighbour table: row q of `indices` / `similarities`
 * (q × k, −1 = none) names neighbours whose values are `targets[index]`.
 */
export function predictFromNeighbours(
  indices: Int32Array,
  similarities: Float32Array,
  k: number,
  targets: ArrayLike<number>,
  weighting: KnnWeighting = 'similarity',
): Float64Array {
  const q = indices.length / k;
  const out = new Float64Array(q);
  for (let r = 0; r < q; r++) {
    let sw = 0,
      s = 0;
    for (let j = 0; j < k; j++) {
      const i = indices[r * k + j];
      if (i < 0) continue;
      const w = weighting === 'uniform' ? 1 : Math.max(1e-6, similarities[r * k + j]);
      sw += w;
      s += w * targets[i];
    }
    out[r] = sw > 0 ? s / sw : NaN;
  }
  return out;
}

/** Brute-force prediction for `queries` (q × dim) from labelled `train` rows (m × dim). */
export function knnRegress(train: Floats, targets: ArrayLike<number>, queries: Floats, dim: number, opts: KnnRegressionOptions = {}): Float64Array {
  const m = train.length / dim;
  const k = Math.min(opts.k ?? 10, m);
  const q = queries.length / dim;
  const idx = new Int32Array(q * k).fill(-1);
  const sim = new Float32Array(q * k);
  for (let r = 0; r < q; r++) {
    const nb = exactKnn(train, dim, queries.subarray(r * dim, (r + 1) * dim), k);
    idx.set(nb.indices, r * k);
    sim.set(nb.similarities, r * k);
  }
  return predictFromNeighbours(idx, sim, k, targets, opts.weighting);
}

export interface KnnRegressionCv {
  k: number;
  folds: number;
  r2: number;
  rmse: number;
  /** out-of-fold prediction of each labelled row */
  predictions: Float64Array;
}

/** k-fold cross-validated R² and RMSE on labelled rows (m × dim, unit norm). */
export function crossValidateKnnRegression(
  rows: Floats,
  dim: number,
  targets: ArrayLike<number>,
  rng: Rng,
  opts: KnnRegressionOptions & { folds?: number } = {},
): KnnRegressionCv {
  const m = targets.length;
  const folds = Math.min(opts.folds ?? 5, m);
  const fold = kFoldAssignment(m, folds, rng);
  const predictions = new Float64Array(m);
  let k = opts.k ?? 10;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < m; i++) (fold[i] === f ? test : train).push(i);
    k = Math.min(opts.k ?? 10, train.length);
    const pred = knnRegress(
      gatherRows(rows, dim, train),
      train.map((i) => targets[i]),
      gatherRows(rows, dim, test),
      dim,
      { ...opts, k },
    );
    test.forEach((i, r) => (predictions[i] = pred[r]));
  }
  let se = 0;
  for (let i = 0; i < m; i++) se += (targets[i] - predictions[i]) ** 2;
  return { k, folds, r2: r2Score(targets, predictions), rmse: Math.sqrt(se / m), predictions };
}
