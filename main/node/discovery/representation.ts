/**
 * The rows a search's probe is fitted on, for its feature set (app/ml/
 * representation.ts): the embedding view as before, or the morphology
 * feature matrix of the workspace (workspace/features.ts) standardised and,
 * for `both`, concatenated with the embedding. `both` (the default) falls
 * back to the embedding while the features are not computed, and says so;
 * `morphology` asked for explicitly is UNAVAILABLE then.
 */
import { AppError } from '@app/core/errors';
import { buildRepresentation, type FeatureSet } from '@app/ml/representation';
import type { Workspace } from '../workspace';
import type { EmbeddingView } from './embedding-view';

export interface ProbeRows {
  unit: Float32Array;
  dim: number;
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

export interface ProbeRepresentation {
  /** the set really used */
  features: FeatureSet;
  /** the feature matrix used (morph1-grz), null for the embedding alone */
  featureKey: string | null;
  rows: ProbeRows;
  note?: string;
}

const embeddingRows = (view: EmbeddingView): ProbeRows => ({ unit: view.unit, dim: view.dim, mean: view.mean, std: view.std });

export function probeRepresentation(ws: Workspace, view: EmbeddingView, set: FeatureSet): ProbeRepresentation {
  if (set === 'embedding') return { features: set, featureKey: null, rows: embeddingRows(view) };
  const m = ws.morphology();
  const present = m ? m.doneMask() : null;
  let missing = 0;
  for (let i = 0; i < view.n; i++) if (view.done[i] && !(present && present[i])) missing++;
  if (!m || missing > 0) {
    const why = ws.hasPixels
      ? `morphology features are missing for ${missing} of ${view.doneCount} embedded objects`
      : `${ws.manifest.name} holds no pixels (an embedding catalogue), so it has no morphology features`;
    if (set === 'morphology') throw new AppError('UNAVAILABLE', `${why}: compute them first (the embed job or latent-sky probe --features morphology does)`);
    return { features: 'embedding', featureKey: null, rows: embeddingRows(view), note: `${why}; used the embedding alone` };
  }
  const raw = m.readBlock(0, view.n);
  for (let i = 0; i < raw.length; i++) if (Number.isNaN(raw[i])) raw[i] = 0;
  const both = buildRepresentation(set, view.n, { data: view.unit, dim: view.dim, present: view.done }, { data: raw, dim: m.dim, present: present! });
  return {
    features: set,
    featureKey: m.modelKey,
    rows: { unit: both.data, dim: both.dim, mean: new Float64Array(both.dim), std: new Float64Array(both.dim).fill(1) },
  };
}
