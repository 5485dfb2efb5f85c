/**
 * The vectors facade of the Engine: embedding runs (which set the active
 * model), the discovery view, the HNSW index, 2-D projections and k-NN
 * queries, all on the engine's open workspace and its one active-model
 * policy. The CLI commands and the contract adapters both call these.
 */
import { AppError } from '@app/core/errors';
import { metricOf, type EmbeddingView } from '../discovery/embedding-view';
import { l2NormalizeRows } from '@app/ml/matrix';
import type { Workspace } from '../workspace';
import { loadScores } from '../discovery/scores-cache';
import { runEmbedJob, type EmbedJobOptions, type EmbedReport } from '../encoder/embed-job';
import { compileFilter, type NeighbourFilter, type SkyBox, type SkyCone } from '../index/filters';
import { ensureIndex, openIndex, type EnsureIndexOptions, type EnsureIndexResult, type IndexSubject } from '../index/index-service';
import { findNeighbours, queryVector, type NeighbourResult, type NeighbourSource } from '../index/neighbours';
import type { VectorIndex } from '../index/vector-index';
import { resolveModel } from '../models/registry';
import { computeProjection, type ProjectOptions } from '../projection/projection-service';
import type { ProjectionParams } from '../projection/types';
import { activeView } from './active-view';
import type { EngineContext } from '../session/context';
import { labelCode, type Label } from '@app/core/labels';
import { requireModel, setActiveModel } from './active-model';

export interface EmbedRequest extends Omit<EmbedJobOptions, 'workspace' | 'model'> {
  /** a model folder or an installed model name; default: the bundled model */
  model?: string | null;
}

export interface NeighbourRequest {
  idx: number;
  k: number;
  model?: string;
  /** HNSW search breadth (query time) */
  ef?: number;
  box?: SkyBox;
  cone?: SkyCone;
  /** restrict to objects of this search with these label codes / score range */
  search?: string;
  labels?: (Label | 'none')[];
  minScore?: number;
  maxScore?: number;
}

export interface NeighbourAnswer extends NeighbourResult {
  /** the model whose embeddings answered */
  modelKey: string;
  /** objects that pass the filter (every embedded one without a filter) */
  passing: number;
  /** the query itself (index search and exact re-order, or the exact scan) */
  ms: number;
  /** opening (memory-mapping and warming) the index for this call, when it was not given one */
  openMs?: number;
}

export function vectorsFacade(ctx: EngineContext) {
  return {
    /** the active model (or the requested one, checked) */
    modelKey: (requested?: string): string => requireModel(ctx.ws(), requested),
    view: (requested?: string): EmbeddingView => activeView(ctx, requested),

    /** encodes what is not embedded yet; a finished run makes its model the active one */
    async embed(req: EmbedRequest): Promise<EmbedReport> {
      const ws = ctx.ws();
      const model = await resolveModel(req.model ?? undefined);
      const report = await runEmbedJob({ ...req, workspace: ws.dir, model });
      // a shard's rows are not the workspace's matrix yet: merge makes them so
      if (!report.cancelled && !req.shard) setActiveModel(ws, report.info.modelKey);
      ctx.invalidate('view:');
      return report;
    },

    async index(opts: EnsureIndexOptions & { model?: string } = {}): Promise<EnsureIndexResult & { model: string }> {
      const view = activeView(ctx, opts.model);
      ctx.invalidate(`index:${view.modelKey}`);
      const r = await ensureIndex(ctx.ws(), view, opts);
      return { ...r, model: view.modelKey };
    },

    async project(params: ProjectionParams, opts: ProjectOptions & { model?: string } = {}) {
      const view = activeView(ctx, opts.model);
      const r = await computeProjection(ctx.ws(), view, params, opts);
      return { ...r, model: view.modelKey, path: ctx.ws().path('projections', `${r.meta.key}.f32`) };
    },

    /**
     * k-NN of an object; `index` (default: the saved index, opened for this call) or an exact scan.
     * Rows are read from the embedding matrix one at a time (the query, the hits' exact
     * similarities, the index's warm-up), so a query through the index never loads the N x dim
     * view: only the exact scan does (the session's cached view).
     */
    neighbours(q: NeighbourRequest, index?: VectorIndex | null): NeighbourAnswer {
      const ws = ctx.ws();
      const modelKey = requireModel(ws, q.model);
      const rows = matrixRows(ws, modelKey, () => activeView(ctx, modelKey).rows);
      if (!rows.isDone(q.idx)) throw new AppError('NO_EMBEDDINGS', `object '${ws.getObject(q.idx).id}' has no '${modelKey}' embedding yet`);
      const f: NeighbourFilter = { box: q.box, cone: q.cone };
      if ((q.labels || q.minScore !== undefined || q.maxScore !== undefined) && !q.search)
        throw new AppError('BAD_INPUT', 'a label or score filter needs a search');
      if (q.search) {
        if (!ws.labels.hasSearch(q.search)) throw new AppError('UNKNOWN_SEARCH', `no search named '${q.search}' in ${ws.manifest.name}`);
        if (q.labels) f.labels = { column: ws.labels.column(q.search), accept: q.labels.map((l) => labelCode(l === 'none' ? null : l)) };
        if (q.minScore !== undefined || q.maxScore !== undefined) {
          const s = loadScores(ws, q.search, modelKey);
          if (!s) throw new AppError('NOT_FOUND', `search '${q.search}' has no scores for model '${modelKey}' yet: run a probe round first`);
          f.score = { scores: s.scores, min: q.minScore ?? -Infinity, max: q.maxScore ?? Infinity };
        }
      }
      const filter = compileFilter(f, () => ({ ra: ws.column('ra'), dec: ws.column('dec') }), rows.n);
      // an index opened for this one query is released after it (a cached one is the session's)
      const tOpen = performance.now();
      const opened = index === undefined ? openIndex(ws, rows, q.ef) : null;
      const openMs = index === undefined ? performance.now() - tOpen : undefined;
      const src: NeighbourSource = { ...rows, index: index === undefined ? opened : index };
      try {
        const t0 = performance.now();
        const r = findNeighbours(src, queryVector(src, q.idx), { k: q.k, exclude: q.idx, filter });
        return { ...r, modelKey, passing: filter?.passing ?? rows.doneCount, ms: performance.now() - t0, ...(openMs !== undefined ? { openMs } : {}) };
      } finally {
        opened?.release();
      }
    },
  };
}

/** a model's rows read from its embedding matrix one at a time (unit norm for cosine, as in the view); `allRows` for the exact scan */
function matrixRows(ws: Workspace, modelKey: string, allRows: () => Float32Array): IndexSubject & Omit<NeighbourSource, 'index'> {
  const m = ws.embeddings(modelKey);
  const metric = metricOf(ws, modelKey);
  const dim = m.dim;
  // one snapshot of the done bitmap for the query (isDone() reads the disk on every call)
  const bits = m.doneBits();
  const isDone = (i: number) => ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
  const n = m.rows();
  let doneCount = 0;
  for (let i = 0; i < n; i++) if (isDone(i)) doneCount++;
  return {
    modelKey,
    dim,
    n,
    metric,
    doneCount,
    isDone,
    // the same arithmetic as the view's in-place normalisation, so both give the same answers
    row: (i) => {
      if (!isDone(i)) throw new AppError('NO_EMBEDDINGS', `object ${i} has no '${modelKey}' embedding yet`);
      const r = m.readUnchecked(i);
      return metric === 'l2' ? r : l2NormalizeRows(r, dim, r);
    },
    allRows,
  };
}

export type VectorsFacade = ReturnType<typeof vectorsFacade>;
