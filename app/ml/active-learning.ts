/**
 * Which objects to show the astronomer next. A mix of exploitation (the
 * highest-scored unlabelled objects: likely finds) and exploration (the
 * unlabelled objects the probe is least sure about, |p − 0.5| smallest: the
 * labels that move the decision boundary most). Labelled objects are never
 * suggested; no object is suggested twice.
 */
import { topK } from './topk';

export type SuggestionReason = 'top' | 'uncertain';

/**
 * Default share of suggestions from the top of the ranking: exploit-heavy.
 * For rare objects the astronomer's goal is finds, and in the demo's 5 × 20
 * loop a top-heavy mix found more members than the 50/50 mix (measured per
 * feature set in native-models/ls-vit-tiny/REPORT.md); a few most-uncertain
 * objects per round still move the boundary.
 */
export const DEFAULT_EXPLOIT = 0.8;

export interface Suggestions {
  indices: Int32Array;
  reasons: SuggestionReason[];
  scores: Float32Array;
}

export interface SuggestOptions {
  /** how many to return */
  count: number;
  /** fraction of `count` taken from the top scores (rest: most uncertain); default DEFAULT_EXPLOIT */
  exploit?: number;
  /** score at which the model is least sure; default 0.5 (probabilities) */
  boundary?: number;
  /** objects that may not be suggested besides the labelled ones (e.g. outside a filter) */
  exclude?: (i: number) => boolean;
}

/**
 * `labelled[i]` is non-zero for objects already labelled in this search.
 * Interleaves the two kinds (top, uncertain, top, ...) so a truncated list
 * still mixes them.
 */
export function suggestLabels(scores: Float32Array, labelled: ArrayLike<number>, opts: SuggestOptions): Suggestions {
  const count = opts.count;
  const nTop = Math.round(count * (opts.exploit ?? DEFAULT_EXPLOIT));
  const boundary = opts.boundary ?? 0.5;
  const free = (i: number) => !labelled[i] && !(opts.exclude && opts.exclude(i));
  const top = topK(scores, count, free);
  const uncertainty = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) uncertainty[i] = -Math.abs(scores[i] - boundary);
  const chosen = new Set<number>();
  const topTake: number[] = [];
  for (let r = 0; r < top.indices.length && topTake.length < nTop; r++) topTake.push(top.indices[r]);
  topTake.forEach((i) => chosen.add(i));
  const unc = topK(uncertainty, count, (i) => free(i) && !chosen.has(i));
  const uncTake: number[] = [];
  for (let r = 0; r < unc.indices.length && topTake.length + uncTake.length < count; r++) uncTake.push(unc.indices[r]);
  // top up from the ranking when there were too few uncertain candidates
  for (let r = topTake.length; r < top.indices.length && topTake.length + uncTake.length < count; r++) {
    const i = top.indices[r];
    if (!uncTake.includes(i)) topTake.push(i);
  }
  const indices: number[] = [];
  const reasons: SuggestionReason[] = [];
  for (let r = 0; r < Math.max(topTake.length, uncTake.length); r++) {
    if (r < topTake.length) {
      indices.push(topTake[r]);
      reasons.push('top');
    }
    if (r < uncTake.length) {
      indices.push(uncTake[r]);
      reasons.push('uncertain');
    }
  }
  return { indices: Int32Array.from(indices), reasons, scores: Float32Array.from(indices, (i) => scores[i]) };
}
