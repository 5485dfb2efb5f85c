/**
 * Scores every object for a search from its labels: the linear probe when
 * there are positives and at least MIN_NEGATIVES negatives, else zero-shot
 * similarity to the positives ("more like these"). Objects without an
 * embedding score NaN (never ranked or suggested).
 *
 * Rare-object prior: the probe also sees a seeded random sample of unlabelled
 * objects as low-weight negatives ("background"). In a survey where the
 * target is a few per cent or less, nearly all of them are true negatives, and
 * they keep the first rounds (few labels, negatives that all resemble the
 * positives) from learning a direction that ranks ordinary objects first.
 * The held-out estimate uses the astronomer's labels only.
 */
import { AppError } from '@app/core/errors';
import type { Rng } from '@app/core/rng';
import { gatherRows } from '@app/ml/matrix';
import { fitProbe, probeScores, type ProbeModel } from '@app/ml/probe';
import { crossValidateProbe, type ProbeCvResult } from '@app/ml/probe-cv';
import { similarityScores } from '@app/ml/similarity';
import type { EmbeddingView } from './embedding-view';
import type { ProbeRows } from './representation';

export const MIN_NEGATIVES = 3;

export type ScoreMode = 'probe' | 'similarity';

export interface ScoreOptions {
  /** λ of the probe's L2 penalty (standardised features); default 1 */
  l2?: number;
  /** compute the cross-validated estimate (costs k extra fits); default true */
  crossValidate?: boolean;
  /** unlabelled objects sampled as assumed negatives (default min(1000, 5% of embedded); 0 = none) */
  background?: number;
  /** weight of each background negative relative to a labelled one (default 0.2) */
  backgroundWeight?: number;
  /** objects that may not be drawn as background (labelled in this search) */
  labelled?: Uint8Array;
  /** rows the probe is fitted on (representation.ts); default the embedding view. Similarity always uses the embedding. */
  rows?: ProbeRows;
}

export interface Scored {
  mode: ScoreMode;
  scores: Float32Array;
  model: ProbeModel | null;
  cv: ProbeCvResult | null;
  fitMs: number;
  scoreMs: number;
}

export function scoreObjects(view: EmbeddingView, positives: number[], negatives: number[], rng: Rng, opts: ScoreOptions = {}): Scored {
  if (positives.length === 0) throw new AppError('BAD_INPUT', 'a search needs at least one positive example to score objects');
  const t0 = performance.now();
  let scores: Float32Array;
  let model: ProbeModel | null = null;
  let cv: ProbeCvResult | null = null;
  let mode: ScoreMode;
  let fitMs = 0;
  if (negatives.length >= MIN_NEGATIVES) {
    mode = 'probe';
    const rows = [...positives, ...negatives];
    const y = rows.map((_, r) => (r < positives.length ? 1 : 0));
    const X = opts.rows ?? { unit: view.unit, dim: view.dim, mean: view.mean, std: view.std };
    const popts = { l2: opts.l2 ?? 1, center: X.mean, scale: X.std };
    const bg = backgroundSample(view, opts.background ?? Math.min(1000, Math.round(0.05 * view.doneCount)), rng, opts.labelled);
    const all = [...rows, ...bg];
    const weights = all.map((_, r) => (r < rows.length ? 1 : (opts.backgroundWeight ?? 0.2)));
    model = fitProbe(gatherRows(X.unit, X.dim, all), X.dim, [...y, ...bg.map(() => 0)], { ...popts, sampleWeights: weights });
    if (opts.crossValidate ?? true) cv = crossValidateProbe(gatherRows(X.unit, X.dim, rows), X.dim, y, rng, popts);
    fitMs = performance.now() - t0;
    scores = probeScores(model, X.unit);
  } else {
    mode = 'similarity';
    scores = similarityScores(view.unit, view.dim, positives, negatives);
  }
  for (let i = 0; i < view.n; i++) if (!view.done[i]) scores[i] = NaN;
  return { mode, scores, model, cv, fitMs, scoreMs: performance.now() - t0 - fitMs };
}

/** m distinct embedded objects, not labelled, drawn with the search's seeded stream */
function backgroundSample(view: EmbeddingView, m: number, rng: Rng, labelled?: Uint8Array): number[] {
  const out = new Set<number>();
  const cap = Math.min(m, view.doneCount);
  for (let tries = 0; out.size < cap && tries < cap * 20; tries++) {
    const i = rng.int(view.n);
    if (view.done[i] && !(labelled && labelled[i])) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
