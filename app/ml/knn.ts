/**
 * Exact nearest neighbours by cosine similarity on L2-normalised rows (a dot
 * product): the reference the HNSW index is measured against, and the
 * fallback when a filter leaves few candidates.
 */
import { rowDot, type Floats } from './matrix';
import { topK } from './topk';

export interface Neighbours {
  indices: Int32Array;
  /** cosine similarity, best first */
  similarities: Float32Array;
}

/**
 * The k rows of `unitRows` (N×d, unit norm) most similar to `query` (unit
 * norm). `accept(i)` restricts the candidates; `candidates` (when given)
 * lists the only rows to look at.
 */
export function exactKnn(
  unitRows: Floats,
  d: number,
  query: ArrayLike<number>,
  k: number,
  opts: { accept?: (i: number) => boolean; candidates?: ArrayLike<number> } = {},
): Neighbours {
  const n = unitRows.length / d;
  if (opts.candidates) {
    const c = opts.candidates;
    const sims = new Float32Array(c.length);
    for (let j = 0; j < c.length; j++) sims[j] = opts.accept && !opts.accept(c[j]) ? NaN : rowDot(unitRows, d, c[j], query);
    const t = topK(sims, k);
    return { indices: Int32Array.from(t.indices, (j) => c[j]), similarities: t.scores };
  }
  const sims = new Float32Array(n);
  for (let i = 0; i < n; i++) sims[i] = rowDot(unitRows, d, i, query);
  const t = topK(sims, k, opts.accept);
  return { indices: t.indices, similarities: t.scores };
}
