/**
 * The one candidate ranking of a search: unlabelled objects by decreasing
 * score, ties towards the smaller index, objects without a score (NaN) left
 * out. The probe round, the contract's result, the candidate export and the
 * SAMP table all rank with it.
 */
import { suggestLabels, type Suggestions } from '@app/ml/active-learning';
import { topK } from '@app/ml/topk';

/** the first `top` (default: all) unlabelled objects (labelled[i] == 0) by score */
export function rankUnlabelled(scores: Float32Array, labelled: ArrayLike<number>, top = scores.length): Int32Array {
  return topK(scores, Math.max(0, Math.min(top, scores.length)), (i) => !labelled[i]).indices;
}

/** objects to label next: top candidates and the least certain ones (only the top in similarity mode) */
export function suggestNext(scores: Float32Array, labelled: ArrayLike<number>, mode: string, count: number, exploit = 0.5): Suggestions {
  return suggestLabels(scores, labelled, { count, exploit: mode === 'similarity' ? 1 : exploit });
}
