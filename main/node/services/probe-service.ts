/**
 * Rare-object searches: labels per search (the workspace's LabelStore), a
 * probe round of the discovery module (linear probe with ≥ 3 negatives, else
 * similarity to the positives) on the active embeddings, ranked candidates,
 * active-learning suggestions and the history of rounds.
 */
import { AppError } from '@app/core/errors';
import type { ProbeService, SearchInfo } from '@app/contracts';
import { discoveryFacade } from '../discovery/facade';
import type { EngineContext } from '../session/context';
import { labelCodes, latestResult, resultOfRound, roundHistory, SUGGESTIONS } from '../discovery/probe-results';
import { setSearchSettings } from '../discovery/search-settings';
import { exportCandidatesTo } from './export-adapter';

function searchInfo(ctx: EngineContext, name: string): SearchInfo {
  const ws = ctx.ws();
  const s = ws.labels.searches().find((x) => x.name === name);
  if (!s) throw new AppError('UNKNOWN_SEARCH', `no search named '${name}' in ${ws.manifest.name}`);
  return {
    name,
    description: s.description ?? '',
    positives: s.counts.positive,
    negatives: s.counts.negative,
    unsure: s.counts.unsure,
    rounds: ws.rounds.list(name).length,
  };
}

export function probeService(ctx: EngineContext): ProbeService {
  return {
    async searches() {
      return ctx
        .ws()
        .labels.searches()
        .map((s) => searchInfo(ctx, s.name));
    },
    async create({ name, description }) {
      discoveryFacade(ctx).createSearch(name, description);
      return searchInfo(ctx, name);
    },
    async setLabel({ search, idx, label }) {
      discoveryFacade(ctx).setLabels(search, [{ idx, label }]);
      return searchInfo(ctx, search);
    },
    async setLabels({ search, indices, label }) {
      discoveryFacade(ctx).setLabels(
        search,
        Array.from(indices, (idx) => ({ idx, label })),
      );
      return searchInfo(ctx, search);
    },
    async labels({ search }) {
      searchInfo(ctx, search);
      return { search, codes: labelCodes(ctx, search) };
    },
    async history({ search, limit }) {
      return discoveryFacade(ctx).labelChanges(search).slice(-limit).reverse();
    },
    async undo({ search, seq }) {
      const changes = discoveryFacade(ctx).undoLabel(search, seq);
      return { changes, info: searchInfo(ctx, search) };
    },
    async retrain({ search, features, exploit }) {
      searchInfo(ctx, search);
      if (features !== undefined || exploit !== undefined) setSearchSettings(ctx.ws(), search, { features, exploit });
      const result = resultOfRound(ctx, search, discoveryFacade(ctx).round(search, { top: 200, suggest: SUGGESTIONS }));
      ctx.bus.emit({ type: 'probe', search, round: result.round });
      return result;
    },
    async result({ search }) {
      searchInfo(ctx, search);
      return latestResult(ctx, search);
    },
    async rounds({ search }) {
      searchInfo(ctx, search);
      return roundHistory(ctx, search);
    },
    async exportRanked({ search, top }) {
      const result = latestResult(ctx, search);
      if (!result) throw new AppError('NOT_FOUND', `search '${search}' has no ranked candidates yet: retrain it first`);
      const path = ctx.ws().path('exports', `search-${search.replace(/[^\w.-]+/g, '_')}-round${result.round}.csv`);
      const { rows } = discoveryFacade(ctx).exportCandidates(search, path, 'csv', top);
      return { path, rows };
    },
    async exportCandidates(input) {
      searchInfo(ctx, input.search);
      return exportCandidatesTo(ctx, input);
    },
  };
}
