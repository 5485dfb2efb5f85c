/**
 * Probe results in the contract's shape, from the discovery module's scores
 * cache and round history: full ranking of the unlabelled objects and
 * active-learning suggestions against the CURRENT labels.
 */
import type { ProbeResult, RoundInfo } from '@app/contracts';
import type { RoundPayload, RoundResult } from './probe-round';
import { rankUnlabelled, suggestNext } from './ranking';
import { loadScores } from './scores-cache';
import { searchSettings } from './search-settings';
import { MIN_NEGATIVES } from './scorer';
import { activeModel } from '../vectors/active-view';
import type { EngineContext } from '../session/context';

export const SUGGESTIONS = 24;

/** the search's label column (app/core/labels.ts codes) */
export function labelCodes(ctx: EngineContext, search: string): Uint8Array {
  return ctx.ws().labels.column(search);
}

export function roundHistory(ctx: EngineContext, search: string): RoundInfo[] {
  return ctx
    .ws()
    .rounds.list<RoundPayload>(search)
    .map((r) => ({
      round: r.round,
      at: r.created,
      positives: r.payload.positives,
      negatives: r.payload.negatives,
      features: r.payload.features ?? null,
      metric: r.payload.cv?.averagePrecision ?? null,
      metricName: r.payload.cv
        ? 'CV average precision'
        : r.payload.mode === 'similarity'
          ? `similarity to positives (the probe needs ≥ ${MIN_NEGATIVES} negatives)`
          : null,
    }));
}

/** the result of a round just run, as computed (ranking and suggestions of the round) */
export function resultOfRound(ctx: EngineContext, search: string, r: RoundResult): ProbeResult {
  const settings = searchSettings(ctx.ws(), search);
  return {
    search,
    round: r.round,
    scores: r.scores,
    ranked: r.order,
    suggestions: r.suggestions.indices,
    history: roundHistory(ctx, search),
    features: settings.features,
    exploit: settings.exploit,
  };
}

/** ranked list (every unlabelled object) + suggestions from cached scores and the current labels */
export function resultFrom(ctx: EngineContext, search: string, scores: Float32Array, mode: string): ProbeResult {
  const labels = labelCodes(ctx, search);
  const history = roundHistory(ctx, search);
  const settings = searchSettings(ctx.ws(), search);
  const suggestions = suggestNext(scores, labels, mode, SUGGESTIONS, settings.exploit).indices;
  return {
    search,
    round: history.at(-1)?.round ?? 0,
    scores,
    ranked: rankUnlabelled(scores, labels),
    suggestions,
    history,
    features: settings.features,
    exploit: settings.exploit,
  };
}

/** the latest result for the active model, or null before the first retrain */
export function latestResult(ctx: EngineContext, search: string): ProbeResult | null {
  const model = activeModel(ctx);
  const cached = model ? loadScores(ctx.ws(), search, model) : null;
  return cached && cached.meta.n === ctx.ws().count() ? resultFrom(ctx, search, cached.scores, cached.meta.mode) : null;
}
