/**
 * Zero-shot "more like these": cosine similarity of every object to the mean
 * direction of the positive examples, optionally pushed away from the
 * negatives' mean (Rocchio-style). Rows must be L2-normalised.
 */
import { matVec, meanRows, normalizeVector, type Floats } from './matrix';

/** Scores in [0, 1] ((cos + 1) / 2) for every row of unitRows (N × dim). */
export function similarityScores(
  unitRows: Floats,
  dim: number,
  positives: ArrayLike<number>,
  negatives: ArrayLike<number> = [],
  negativeWeight = 0.5,
): Float32Array {
  const q = queryDirection(unitRows, dim, positives, negatives, negativeWeight);
  const s = matVec(unitRows, dim, q);
  for (let i = 0; i < s.length; i++) s[i] = (s[i] + 1) / 2;
  return s;
}

/** Unit query vector: normalised mean of positives minus a share of the negatives' mean. */
export function queryDirection(
  unitRows: Floats,
  dim: number,
  positives: ArrayLike<number>,
  negatives: ArrayLike<number> = [],
  negativeWeight = 0.5,
): Float32Array {
  const p = normalizeVector(meanRows(unitRows, dim, positives));
  if (negatives.length === 0) return p;
  const n = normalizeVector(meanRows(unitRows, dim, negatives));
  const q = new Float64Array(dim);
  for (let j = 0; j < dim; j++) q[j] = p[j] - negativeWeight * n[j];
  return normalizeVector(q);
}
