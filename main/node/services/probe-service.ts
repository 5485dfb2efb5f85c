/**
 * Rare-object searches: labels per search (the workspace's LabelStore), a
 * probe round of the discovery module (linear probe with ≥ 3 negatives, else
 * similarity to the positives) on the active embeddings, ranked candidates,
 * active-learning suggestions and the history of rounds.
 */
import { writeFileSync } from 'node:fs';
import { AppError } from '../../../app/core/errors';
import type { ProbeService, SearchInfo } from '../../../app/contracts';
import { runProbeRound } from '../discovery/probe-round';
import { setSearchSettings } from '../discovery/search-settings';
import { activeView } from './active-model';
import type { EngineContext } from './context';
import { csvLine } from './csv';
import { labelCodes, latestResult, resultFrom, roundHistory, SUGGESTIONS } from './probe-results';

function searchInfo(ctx: EngineContext, name: string): SearchInfo {
  const ws = ctx.ws();
  const s = ws.labels.searches().find((x) => x.name === name);
  if (!s) throw new AppError('UNKNOWN_SEARCH', `no search named '${name}' in ${ws.manifest.name}`);
  return { name, description: s.description ?? '', positives: s.counts.positive, negatives: s.counts.negative, unsure: s.counts.unsure, rounds: ws.rounds.list(name).length };
}

export function probeService(ctx: EngineContext): ProbeService {
  return {
    async searches() {
      return ctx.ws().labels.searches().map((s) => searchInfo(ctx, s.name));
    },
    async create({ name, description }) {
      const ws = ctx.ws();
      if (ws.labels.hasSearch(name)) throw new AppError('BAD_INPUT', `a search named '${name}' already exists`);
      ws.labels.createSearch(name, { description });
      return searchInfo(ctx, name);
    },
    async setLabel({ search, idx, label }) {
      ctx.ws().labels.set(search, idx, label, 'user');
      ctx.bus.emit({ type: 'labels', search, idx, label });
      return searchInfo(ctx, search);
    },
    async labels({ search }) {
      searchInfo(ctx, search);
      return { search, codes: labelCodes(ctx, search) };
    },
    async retrain({ search, features, exploit }) {
      searchInfo(ctx, search);
      if (features !== undefined || exploit !== undefined) setSearchSettings(ctx.ws(), search, { features, exploit });
      const r = runProbeRound(ctx.ws(), activeView(ctx), search, { top: 200, suggest: SUGGESTIONS });
      const result = resultFrom(ctx, search, r.scores, r.payload.mode);
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
      const ws = ctx.ws();
      const labels = labelCodes(ctx, search);
      const name = ['', 'positive', 'negative', 'unsure'];
      const order = Int32Array.from({ length: result.scores.length }, (_, i) => i).sort((a, b) => result.scores[b] - result.scores[a]).subarray(0, top);
      const lines = [csvLine(['rank', 'idx', 'id', 'ra', 'dec', 'score', 'label'])];
      order.forEach((idx, r) => {
        const o = ws.getObject(idx);
        lines.push(csvLine([r + 1, idx, o.id, o.ra, o.dec, result.scores[idx].toFixed(6), name[labels[idx]]]));
      });
      const path = ws.path('exports', `search-${search.replace(/[^\w.-]+/g, '_')}-round${result.round}.csv`);
      writeFileSync(path, lines.join('\n') + '\n');
      return { path, rows: order.length };
    },
  };
}
