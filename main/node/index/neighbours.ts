/**
 * k-NN queries by object idx or raw vector, with optional filters, by cosine
 * similarity of unit rows or (embeddings imported with `--metric l2`) by
 * euclidean distance of the rows as imported. Without a
 * filter: the HNSW index. With one: over-fetch from the index (k divided by
 * the filter's pass rate, doubled until enough hits pass), or an exact scan
 * of the passing objects when they are few (a very selective filter would
 * otherwise need most of the graph).
 */
import { exactKnn, type Neighbours } from '@app/ml/knn';
import { normalizeVector } from '@app/ml/matrix';
import { topK } from '@app/ml/topk';
import type { EmbeddingView } from '../discovery/embedding-view';
import type { CompiledFilter } from './filters';
import { similarityToDistance, type IndexMetric, type VectorIndex } from './vector-index';

/**
 * One model's rows as k-NN reads them: the rows of a loaded view (viewSource), or read from the
 * embedding matrix one at a time (matrixRows in vectors/facade.ts: a query through the index then
 * never loads the N x dim view; only the exact scan does).
 */
export interface NeighbourSource {
  dim: number;
  /** rows, embedded or not */
  n: number;
  /** default cosine; an index built with another metric is not used */
  metric?: IndexMetric;
  /** the ANN index; null = exact search only */
  index: VectorIndex | null;
  /** row i as neighbours are measured on it: unit norm for cosine, as imported for l2 */
  row(i: number): Float32Array;
  /** every row (N x dim, zero where not embedded), for the exact scan */
  allRows(): Float32Array;
  /** false where a row holds no vector (absent = all rows do) */
  isDone?(i: number): boolean;
  /** rows with a vector; an index holding fewer is out of step and not used */
  doneCount?: number;
}

export interface NeighbourResult {
  indices: Int32Array;
  /** higher = nearer: cosine similarity, or minus the euclidean distance (l2) */
  similarities: Float32Array;
  /** what people are shown: cosine distance (1 − similarity) or euclidean distance (l2) */
  distances: Float32Array;
  metric: IndexMetric;
  /** how the answer was found */
  method: 'hnsw' | 'hnsw-overfetch' | 'exact';
}

export interface NeighbourQuery {
  k: number;
  /** drop the query object itself from the answer (idx queries) */
  exclude?: number;
  filter?: CompiledFilter | null;
  /** exact search when at most this many objects pass the filter; default max(20k, 2% of N) */
  exactBelow?: number;
}

export function queryVector(src: NeighbourSource, idx: number): Float32Array {
  return src.row(idx);
}

/** the neighbour source of rows in memory (N x dim) */
export function rowsSource(
  rows: Float32Array,
  dim: number,
  index: VectorIndex | null,
  more: Pick<NeighbourSource, 'metric' | 'isDone' | 'doneCount'> = {},
): NeighbourSource {
  return { dim, n: rows.length / dim, index, row: (i) => rows.subarray(i * dim, (i + 1) * dim), allRows: () => rows, ...more };
}

/** the neighbour source of an embedding view (its metric's rows) with an index, or null for exact search only */
export function viewSource(view: EmbeddingView, index: VectorIndex | null): NeighbourSource {
  return rowsSource(view.rows, view.dim, index, { metric: view.metric, isDone: view.isDone, doneCount: view.doneCount });
}

/** exact k-NN by euclidean distance; similarities = minus the distance (higher = nearer, as for cosine) */
function exactL2(rows: Float32Array, d: number, query: ArrayLike<number>, k: number, accept: (i: number) => boolean): Neighbours {
  const n = rows.length / d;
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0, o = i * d; j < d; j++) {
      const x = rows[o + j] - query[j];
      s += x * x;
    }
    score[i] = -Math.sqrt(s);
  }
  const t = topK(score, k, accept);
  return { indices: t.indices, similarities: t.scores };
}

export function findNeighbours(src: NeighbourSource, vector: ArrayLike<number>, q: NeighbourQuery): NeighbourResult {
  const metric = src.metric ?? 'cosine';
  const r = search(src, metric, metric === 'l2' ? Float32Array.from(vector) : normalizeVector(vector), q);
  return { ...r, distances: Float32Array.from(r.similarities, (s) => similarityToDistance(metric, s)), metric };
}

function search(src: NeighbourSource, metric: IndexMetric, query: Float32Array, q: NeighbourQuery): Omit<NeighbourResult, 'distances' | 'metric'> {
  const n = src.n;
  const filter = q.filter ?? null;
  const accept = (i: number) => i !== q.exclude && (!src.isDone || src.isDone(i)) && (!filter || filter.accept(i));
  const passing = filter ? filter.passing : n;
  const exactBelow = q.exactBelow ?? Math.max(20_000, Math.ceil(0.02 * n));
  const exact = (): Neighbours =>
    metric === 'l2' ? exactL2(src.allRows(), src.dim, query, q.k, accept) : exactKnn(src.allRows(), src.dim, query, q.k, { accept });
  if (!src.index || src.index.metric !== metric || src.index.size < (src.doneCount ?? n) || (filter && passing <= exactBelow)) {
    const r = exact();
    return { indices: r.indices, similarities: r.similarities, method: 'exact' };
  }
  const rate = Math.max(passing / n, 1e-6);
  let fetch = Math.ceil((q.k + 1) / rate) * (filter ? 2 : 1);
  for (;;) {
    const hit = src.index.search(query, Math.min(fetch, n));
    const idx: number[] = [];
    for (let j = 0; j < hit.indices.length && idx.length < q.k; j++) if (accept(hit.indices[j])) idx.push(hit.indices[j]);
    if (idx.length >= Math.min(q.k, passing - (q.exclude !== undefined && (!filter || filter.accept(q.exclude)) ? 1 : 0)) || fetch >= n) {
      return { ...exactOrder(src, metric, query, idx), method: filter ? 'hnsw-overfetch' : 'hnsw' };
    }
    if (fetch * 4 > n / 4) {
      const r = exact();
      return { indices: r.indices, similarities: r.similarities, method: 'exact' };
    }
    fetch *= 4;
  }
}

/**
 * The index's hits with their similarity recomputed from the float32 rows: the graph stores
 * vectors as f16 (vector-index.ts), so its distances are off by ~1e-4; the k answers are re-ordered
 * by the exact value (ties to the smaller index), as an exact scan would order them. For l2 the
 * value is minus the euclidean distance, as exactL2 gives it.
 */
function exactOrder(src: NeighbourSource, metric: IndexMetric, query: Float32Array, idx: number[]): { indices: Int32Array; similarities: Float32Array } {
  const d = src.dim;
  const sim = idx.map((i) => {
    const row = src.row(i);
    let s = 0;
    if (metric === 'l2') {
      for (let j = 0; j < d; j++) {
        const x = row[j] - query[j];
        s += x * x;
      }
      return -Math.sqrt(s);
    }
    for (let j = 0; j < d; j++) s += row[j] * query[j];
    return s;
  });
  const order = idx.map((_, r) => r).sort((a, b) => sim[b] - sim[a] || idx[a] - idx[b]);
  return { indices: Int32Array.from(order, (r) => idx[r]), similarities: Float32Array.from(order, (r) => sim[r]) };
}
