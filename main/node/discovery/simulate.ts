/**
 * The simulated astronomer of `latent-sky demo`: for one class of the
 * synthetic survey, start a search from a few known examples, then run
 * active-learning rounds in which the suggested objects are "inspected" and
 * labelled from the ground truth. After each round it measures what the
 * astronomer would see: the list of confirmed finds followed by the
 * unlabelled candidates by score (labelled negatives dropped), and reports
 * precision in its first 100 and the share of the class in its first 200.
 * The same on the model's score alone (every object ranked, labels ignored)
 * is reported too.
 */
import { AppError } from '@app/core/errors';
import { createRng } from '@app/core/rng';
import { precisionAtK, recallAtK } from '@app/ml/metrics';
import { topK } from '@app/ml/topk';
import type { FeatureSet } from '@app/ml/representation';
import { LABEL_NONE, LABEL_POSITIVE } from '@app/core/labels';
import type { Workspace } from '../workspace';
import type { EmbeddingView } from './embedding-view';
import { labelledSet } from './labelled';
import { runProbeRound, type RoundResult } from './probe-round';

export interface SimulationOptions {
  /** known examples to start from (default 3) */
  seeds?: number;
  rounds?: number;
  /** labels per round (default 20) */
  perRound?: number;
  seed?: number;
  /** the probe's representation (default the search's setting, 'both') */
  features?: FeatureSet;
  /** share of suggestions from the top of the ranking (default the search's setting) */
  exploit?: number;
  /** the probe's cross-validated estimate each round (default true; it does not change the ranking) */
  crossValidate?: boolean;
  /** members one could see at all (visibility columns); recall of those is reported too */
  visible?: (i: number) => boolean;
  onRound?: (row: SimulationRow) => void;
  signal?: AbortSignal;
}

export interface SimulationRow {
  round: number;
  labels: number;
  positivesFound: number;
  mode: string;
  /** precision of the first 100 of (confirmed finds + candidates by score) */
  precisionAt100: number;
  /** share of the class in the first 200 of that list */
  recallAt200: number;
  /** the same over what 200 places can hold: hits / min(members, 200) */
  recallAt200Possible: number;
  /** the same two on the model score alone */
  modelPrecisionAt100: number;
  modelRecallAt200: number;
  /** share of the visible members in the first 200 of the list (null without a visibility rule) */
  recallAt200Visible: number | null;
  cvAuc: number | null;
}

export interface SimulationResult {
  className: string;
  search: string;
  members: number;
  /** members that pass the visibility rule (null without one) */
  visibleMembers: number | null;
  /** representation the probe used in the last round, and the suggestions' exploit share */
  features: FeatureSet | null;
  exploit: number | null;
  rows: SimulationRow[];
}

export function searchListMetrics(scores: Float32Array, column: Uint8Array, isPos: (i: number) => boolean, members: number) {
  const confirmed: number[] = [];
  for (let i = 0; i < column.length; i++) if (column[i] === LABEL_POSITIVE) confirmed.push(i);
  const rest = topK(scores, 200, (i) => column[i] === LABEL_NONE).indices;
  const list = [...confirmed, ...rest];
  const model = topK(scores, 200).indices;
  return {
    precisionAt100: precisionAtK(list, isPos, 100),
    recallAt200: recallAtK(list, isPos, 200, members),
    recallAt200Possible: recallAtK(list, isPos, 200, Math.min(members, 200)),
    modelPrecisionAt100: precisionAtK(model, isPos, 100),
    modelRecallAt200: recallAtK(model, isPos, 200, members),
  };
}

export function simulateSearch(
  ws: Workspace,
  view: EmbeddingView,
  truth: (string | null)[],
  className: string,
  search: string,
  opts: SimulationOptions = {},
): SimulationResult {
  const seeds = opts.seeds ?? 3;
  const rounds = opts.rounds ?? 5;
  const perRound = opts.perRound ?? 20;
  const isPos = (i: number) => truth[i] === className;
  const members = truth.filter((t, i) => t === className && view.done[i]).length;
  if (members < seeds) throw new AppError('BAD_INPUT', `class '${className}' has ${members} embedded members, fewer than the ${seeds} starting examples`);
  const rng = createRng((opts.seed ?? 1) * 7919 + className.length);
  const pool = truth.flatMap((t, i) => (t === className && view.done[i] ? [i] : []));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  if (ws.labels.hasSearch(search)) ws.labels.deleteSearch(search);
  ws.labels.createSearch(search, { description: `demo: simulated search for '${className}' from ${seeds} known examples` });
  ws.labels.setMany(
    search,
    pool.slice(0, seeds).map((idx) => ({ idx, label: 'positive' as const })),
    'simulated',
  );
  const rows: SimulationRow[] = [];
  const ro = { suggest: perRound, seed: opts.seed, features: opts.features, exploit: opts.exploit, crossValidate: opts.crossValidate };
  const visible = opts.visible;
  const isVis = (i: number) => isPos(i) && visible!(i);
  const visibleMembers = visible ? pool.filter((i) => visible(i)).length : null;
  let res: RoundResult = runProbeRound(ws, view, search, ro);
  const measure = (round: number, r: RoundResult) => {
    const set = labelledSet(ws, search, view);
    const m = searchListMetrics(r.scores, set.column, isPos, members);
    const row: SimulationRow = {
      round,
      labels: set.positives.length + set.negatives.length,
      positivesFound: set.positives.length,
      mode: r.payload.mode,
      ...m,
      recallAt200Visible: visibleMembers ? searchListMetrics(r.scores, set.column, isVis, visibleMembers).recallAt200 : null,
      cvAuc: r.payload.cv ? r.payload.cv.auc : null,
    };
    rows.push(row);
    opts.onRound?.(row);
  };
  measure(0, res);
  for (let round = 1; round <= rounds; round++) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', `demo search '${search}' cancelled at round ${round}`);
    const answers = Array.from(res.suggestions.indices, (idx) => ({ idx, label: isPos(idx) ? ('positive' as const) : ('negative' as const) }));
    ws.labels.setMany(search, answers, 'simulated');
    res = runProbeRound(ws, view, search, ro);
    measure(round, res);
  }
  return { className, search, members, visibleMembers, features: res.payload.features ?? null, exploit: res.payload.exploit ?? null, rows };
}
