/**
 * One model's embeddings as the discovery engine uses them: N × dim rows,
 * L2-normalised (cosine geometry), with a mask of the objects that have a
 * vector (rows not embedded yet are zero and never returned as neighbours or
 * candidates), and per-column statistics for standardising the probe.
 * Embeddings imported with `--metric l2` also keep their rows as imported:
 * neighbours are then by euclidean distance on those; the probe, PCA and
 * UMAP stay on the unit rows.
 */
import { AppError } from '@app/core/errors';
import { columnStats, l2NormalizeRows } from '@app/ml/matrix';
import type { IndexMetric } from '../index/vector-index';
import type { Workspace } from '../workspace';
import { requireModel } from '../vectors/active-model';

export interface EmbeddingView {
  modelKey: string;
  modelName: string;
  dim: number;
  n: number;
  /** N × dim unit rows; zero where not embedded */
  unit: Float32Array;
  /** the neighbour metric recorded with the embeddings (default cosine) */
  metric: IndexMetric;
  /** the rows neighbours are measured on: `unit` for cosine, the rows as imported (zero where not embedded) for l2 */
  rows: Float32Array;
  /** 1 where the object has an embedding */
  done: Uint8Array;
  doneCount: number;
  isDone(i: number): boolean;
  /** row i of `rows` (a view, not a copy) */
  row(i: number): Float32Array;
  /** column mean / std of the unit rows over embedded objects (computed on first use: only the probe needs them) */
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export function loadEmbeddingView(ws: Workspace, modelKey?: string): EmbeddingView {
  const key = requireModel(ws, modelKey);
  const m = ws.embeddings(key);
  const raw = m.readAll();
  const dim = m.dim;
  const n = raw.length / dim;
  const done = new Uint8Array(n);
  let doneCount = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(raw[i * dim])) raw.fill(0, i * dim, (i + 1) * dim);
    else {
      done[i] = 1;
      doneCount++;
    }
  }
  // in place: a second N x dim copy would double the view's memory at survey scale
  // l2 keeps the rows as imported (a second copy: only for embeddings imported with --metric l2)
  const metric = metricOf(ws, key);
  const asImported = metric === 'l2' ? raw.slice() : null;
  const unit = l2NormalizeRows(raw, dim, raw);
  let stats: { mean: Float64Array; std: Float64Array } | null = null;
  // ~0.6 s at 1M x 128, paid by every view's first probe round rather than by every k-NN query
  const columns = () => (stats ??= columnStats(doneCount === n ? unit : compact(unit, dim, done, doneCount), dim));
  return {
    modelKey: key,
    modelName: m.modelName,
    dim,
    n,
    unit,
    metric,
    rows: asImported ?? unit,
    done,
    doneCount,
    isDone: (i) => done[i] === 1,
    row: (i) => (asImported ?? unit).subarray(i * dim, (i + 1) * dim),
    get mean() {
      return columns().mean;
    },
    get std() {
      return columns().std;
    },
  };
}

/** the metric recorded for a model's embeddings (ingest --from embeddings --metric), cosine when none was */
export function metricOf(ws: Workspace, modelKey: string): IndexMetric {
  const meta = ws.embeddingModels().find((m) => m.modelKey === modelKey)?.meta as { metric?: string } | null | undefined;
  return meta?.metric === 'l2' ? 'l2' : 'cosine';
}

function compact(unit: Float32Array, dim: number, done: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count * dim);
  let r = 0;
  for (let i = 0; i < done.length; i++) if (done[i]) out.set(unit.subarray(i * dim, (i + 1) * dim), r++ * dim);
  return out;
}

/** idx of an object given as an external id or as '#idx'; UNKNOWN_OBJECT otherwise. */
export function objectIdx(ws: Workspace, ref: string): number {
  const byId = ws.findById(ref);
  if (byId !== undefined) return byId;
  const m = /^#(\d+)$/.exec(ref.trim());
  if (m && Number(m[1]) < ws.count()) return Number(m[1]);
  throw new AppError('UNKNOWN_OBJECT', `no object with id '${ref}' in ${ws.dir}`);
}
