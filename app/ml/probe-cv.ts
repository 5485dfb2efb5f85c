/**
 * Held-out estimate of a probe's quality from the labels alone: stratified
 * k-fold cross-validation, reporting ROC AUC, average precision and balanced
 * accuracy of the out-of-fold predictions.
 */
import type { Rng } from '../core/rng';
import { kFoldAssignment } from './folds';
import { gatherRows, type Floats } from './matrix';
import { averagePrecision, rocAuc } from './metrics';
import { fitProbe, probeScores, type ProbeOptions } from './probe';

export interface ProbeCvResult {
  folds: number;
  auc: number;
  averagePrecision: number;
  balancedAccuracy: number;
  /** out-of-fold probability of each labelled row */
  outOfFold: Float32Array;
}

/** null when there are fewer than 2 examples of either class. */
export function crossValidateProbe(X: Floats, dim: number, y: ArrayLike<number>, rng: Rng, opts: ProbeOptions & { folds?: number } = {}): ProbeCvResult | null {
  const n = y.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i]) nPos++;
  const k = Math.min(opts.folds ?? 5, nPos, n - nPos);
  if (k < 2) return null;
  const fold = kFoldAssignment(n, k, rng, y);
  const oof = new Float32Array(n);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const ty = train.map((i) => y[i]);
    const model = fitProbe(gatherRows(X, dim, train), dim, ty, opts);
    const s = probeScores(model, gatherRows(X, dim, test));
    test.forEach((i, r) => (oof[i] = s[r]));
  }
  let tp = 0,
    tn = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] && oof[i] >= 0.5) tp++;
    if (!y[i] && oof[i] < 0.5) tn++;
  }
  return {
    folds: k,
    auc: rocAuc(oof, y),
    averagePrecision: averagePrecision(oof, y),
    balancedAccuracy: 0.5 * (tp / nPos + tn / (n - nPos)),
    outOfFold: oof,
  };
}
