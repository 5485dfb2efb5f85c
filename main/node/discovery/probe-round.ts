/**
 * One round of a few-shot search: score every object from the search's
 * labels (probe or zero-shot similarity), rank the unlabelled ones, pick the
 * next objects to label (active learning), and record the round (labels used,
 * held-out estimate, top candidates, suggestions) in the workspace.
 */
import { createRng, hashString } from '@app/core/rng';
import type { Suggestions } from '@app/ml/active-learning';
import type { FeatureSet } from '@app/ml/representation';
import type { Workspace } from '../workspace';
import type { EmbeddingView } from './embedding-view';
import { labelledSet } from './labelled';
import { rankUnlabelled, suggestNext } from './ranking';
import { probeRepresentation } from './representation';
import { searchSettings } from './search-settings';
import { saveScores } from './scores-cache';
import { scoreObjects, type ScoreMode } from './scorer';

export interface RoundPayload {
  model: string;
  mode: ScoreMode;
  /** the representation the probe was fitted on (absent in rounds recorded before feature sets existed = embedding) */
  features?: FeatureSet;
  /** the feature matrix used besides the embedding, e.g. morph1-grz */
  featureKey?: string | null;
  /** the share of suggestions taken from the top of the ranking */
  exploit?: number;
  note?: string;
  positives: number;
  negatives: number;
  unsure: number;
  /** labels the model was fitted on */
  labelsUsed: { positives: number[]; negatives: number[] };
  /** held-out estimate (stratified k-fold) of the probe; null in similarity mode or with < 2 per class */
  cv: { folds: number; auc: number; averagePrecision: number; balancedAccuracy: number } | null;
  /** unlabelled objects by decreasing score (first `top`) */
  top: { idx: number[]; ids: string[]; scores: number[] };
  suggestions: { idx: number[]; reasons: string[] };
  l2: number;
  fitMs: number;
  scoreMs: number;
}

export interface RoundOptions {
  /** ranked candidates to keep (default 100) */
  top?: number;
  /** suggestions for the next labels (default 20) */
  suggest?: number;
  /** share of suggestions from the top of the ranking (default: the search's setting, search-settings.ts; 1 in similarity mode) */
  exploit?: number;
  /** representation of the probe (default: the search's setting, 'both'; k-NN and similarity always use the embedding) */
  features?: FeatureSet;
  l2?: number;
  seed?: number;
  /** record in the round history and the scores cache (default true) */
  record?: boolean;
  crossValidate?: boolean;
  /** assumed-negative background sample size (see scorer.ts); 0 = none */
  background?: number;
}

export interface RoundResult {
  round: number;
  payload: RoundPayload;
  scores: Float32Array;
  /** the first `top` of `order` */
  ranked: Int32Array;
  /** every unlabelled object with a score, best first (ranking.ts) */
  order: Int32Array;
  suggestions: Suggestions;
}

export function runProbeRound(ws: Workspace, view: EmbeddingView, search: string, opts: RoundOptions = {}): RoundResult {
  const set = labelledSet(ws, search, view);
  const rng = createRng(hashString(search) ^ (opts.seed ?? 1));
  const settings = searchSettings(ws, search);
  const rep = probeRepresentation(ws, view, opts.features ?? settings.features);
  const s = scoreObjects(view, set.positives, set.negatives, rng, {
    l2: opts.l2,
    crossValidate: opts.crossValidate,
    background: opts.background,
    labelled: set.labelled,
    rows: rep.rows,
  });
  const order = rankUnlabelled(s.scores, set.labelled);
  const ranked = order.slice(0, opts.top ?? 100);
  const exploit = s.mode === 'similarity' ? 1 : (opts.exploit ?? settings.exploit);
  const suggestions = suggestNext(s.scores, set.labelled, s.mode, opts.suggest ?? 20, exploit);
  const payload: RoundPayload = {
    model: view.modelKey,
    mode: s.mode,
    features: rep.features,
    featureKey: rep.featureKey,
    exploit,
    ...(rep.note ? { note: rep.note } : {}),
    positives: set.positives.length,
    negatives: set.negatives.length,
    unsure: set.unsure,
    labelsUsed: { positives: set.positives, negatives: set.negatives },
    cv: s.cv ? { folds: s.cv.folds, auc: s.cv.auc, averagePrecision: s.cv.averagePrecision, balancedAccuracy: s.cv.balancedAccuracy } : null,
    top: {
      idx: Array.from(ranked),
      ids: Array.from(ranked, (i) => ws.getObject(i).id),
      scores: Array.from(ranked, (i) => s.scores[i]),
    },
    suggestions: { idx: Array.from(suggestions.indices), reasons: suggestions.reasons },
    l2: opts.l2 ?? 1,
    fitMs: Math.round(s.fitMs * 10) / 10,
    scoreMs: Math.round(s.scoreMs * 10) / 10,
  };
  let round = 0;
  if (opts.record ?? true) {
    round = ws.rounds.add(search, payload);
    saveScores(ws, { search, model: view.modelKey, round, mode: s.mode, n: view.n }, s.scores);
  }
  return { round, payload, scores: s.scores, ranked, order, suggestions };
}
