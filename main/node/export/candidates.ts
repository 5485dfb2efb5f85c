/**
 * The candidate list of a search as a table: every labelled object plus the
 * top-scored unlabelled ones, by decreasing score, with columns ra, dec, id,
 * score, label, search, model, round, rank and idx. Unlabelled objects are ranked by
 * discovery/ranking.ts (the ranking every view uses). Scores come from the search's last
 * round (scores cache) or, if it was never scored, from a fresh unrecorded fit.
 */
import type { TableColumn } from '@app/tables';
import { labelOfCode } from '@app/core/labels';
import type { Workspace } from '../workspace';
import type { EmbeddingView } from '../discovery/embedding-view';
import { labelledSet } from '../discovery/labelled';
import { runProbeRound } from '../discovery/probe-round';
import { rankUnlabelled } from '../discovery/ranking';
import { loadScores } from '../discovery/scores-cache';

export interface CandidateTable {
  columns: TableColumn[];
  rows: number;
  /** round the scores come from (0 = computed for this export) */
  round: number;
  model: string;
  search: string;
}

export function candidateTable(ws: Workspace, view: EmbeddingView, search: string, top = 1000): CandidateTable {
  const set = labelledSet(ws, search, view);
  let scores: Float32Array;
  let round = 0;
  const cached = loadScores(ws, search, view.modelKey);
  if (cached && cached.scores.length === view.n) {
    scores = cached.scores;
    round = cached.meta.round;
  } else if (set.positives.length > 0) {
    scores = runProbeRound(ws, view, search, { record: false }).scores;
  } else {
    scores = new Float32Array(view.n).fill(NaN);
  }
  const labelledIdx: number[] = [];
  for (let i = 0; i < set.column.length; i++) if (set.column[i] !== 0) labelledIdx.push(i);
  const rows = [...labelledIdx, ...rankUnlabelled(scores, set.column, top)].sort((a, b) => {
    const sa = Number.isNaN(scores[a]) ? -Infinity : scores[a];
    const sb = Number.isNaN(scores[b]) ? -Infinity : scores[b];
    return sb - sa || a - b;
  });
  const ra = ws.column('ra');
  const dec = ws.column('dec');
  const columns: TableColumn[] = [
    { name: 'ra', values: Float64Array.from(rows, (i) => ra[i]), unit: 'deg', ucd: 'pos.eq.ra;meta.main', description: 'right ascension (ICRS)' },
    { name: 'dec', values: Float64Array.from(rows, (i) => dec[i]), unit: 'deg', ucd: 'pos.eq.dec;meta.main', description: 'declination (ICRS)' },
    { name: 'id', values: rows.map((i) => ws.getObject(i).id), ucd: 'meta.id', description: 'survey object id' },
    {
      name: 'score',
      values: Float32Array.from(rows, (i) => scores[i]),
      ucd: 'stat.probability',
      description: 'probe probability or zero-shot similarity, in [0, 1]',
    },
    { name: 'label', values: rows.map((i) => labelOfCode(set.column[i]) ?? ''), description: 'positive, negative, unsure or empty (unlabelled)' },
    { name: 'search', values: rows.map(() => search), description: 'name of the search' },
    { name: 'model', values: rows.map(() => view.modelKey), description: 'embedding model key' },
    { name: 'round', values: Int32Array.from(rows, () => round), ucd: 'meta.number', description: 'probe round of the scores (0: computed for this export)' },
    { name: 'rank', values: Int32Array.from(rows, (_, r) => r + 1), ucd: 'meta.number', description: 'rank by score' },
    { name: 'idx', values: Int32Array.from(rows), description: 'Latent Sky object index' },
  ];
  return { columns, rows: rows.length, round, model: view.modelKey, search };
}
