/**
 * 2-D UMAP layout (umap-js) that scales to a million objects: the k-NN graph
 * comes from a usearch HNSW index (much faster than umap-js's NN-descent),
 * UMAP is fitted on a seeded subsample (default 20k), and every other object
 * is placed at the membership-weighted mean of its nearest fitted neighbours
 * — the initialisation umap-js's own `transform` uses, without its refinement
 * epochs, which would cost far more than the fit for 1M points. The graph is
 * built on one thread so the layout is reproducible for a seed; it is searched
 * on every core (each query's answer does not depend on the thread count).
 */
import { UMAP } from 'umap-js';
import { AppError } from '@app/core/errors';
import { createRng } from '@app/core/rng';
import { gatherRows } from '@app/ml/matrix';
import { VectorIndex } from '../index/vector-index';
import type { ProgressFn, UmapParams } from './types';

/** seeded sample of m of n indices, sorted */
function sampleIndices(n: number, m: number, seed: number): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const pick = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = pick[i];
    pick[i] = pick[j];
    pick[j] = t;
  }
  return pick.slice(0, m).sort();
}

/** cosine similarity → euclidean distance between unit vectors */
const chord = (sim: number) => Math.sqrt(Math.max(0, 2 - 2 * sim));

export function umap2d(rows: Float32Array, dim: number, p: UmapParams, onProgress?: ProgressFn, signal?: AbortSignal): { xy: Float32Array; fitted: number } {
  const n = rows.length / dim;
  const k = p.nNeighbors;
  if (n <= k + 1) throw new AppError('BAD_INPUT', `UMAP needs more than ${k + 1} objects, got ${n}`);
  const cancelled = () => {
    if (signal?.aborted) throw new AppError('CANCELLED', 'UMAP cancelled');
  };
  const sample = sampleIndices(n, Math.min(p.subsample, n), p.seed);
  const m = sample.length;
  const sub = gatherRows(rows, dim, sample);
  const index = VectorIndex.create(dim);
  // the stage's progress: m insertions, then m searches (the sample's own k-NN)
  index.add(sub, 0, { threads: 1, signal, onProgress: (done) => onProgress?.({ stage: 'neighbour graph', done, total: 2 * m }) });
  index.widenSearch();
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  const BATCH = 2048;
  for (let s = 0; s < m; s += BATCH) {
    cancelled();
    const e = Math.min(m, s + BATCH);
    const res = index.searchBatch(sub.subarray(s * dim, e * dim), k + 1, 0);
    for (let r = 0; r < e - s; r++) {
      const self = s + r;
      const ids: number[] = [self];
      const ds: number[] = [0];
      for (let j = 0; j < res.k && ids.length < k; j++) {
        const i = res.indices[r * res.k + j];
        if (i >= 0 && i !== self) {
          ids.push(i);
          ds.push(chord(res.similarities[r * res.k + j]));
        }
      }
      while (ids.length < k) {
        ids.push(self);
        ds.push(0);
      }
      knnIndices.push(ids);
      knnDistances.push(ds);
    }
    onProgress?.({ stage: 'neighbour graph', done: m + e, total: 2 * m });
  }
  const rng = createRng(p.seed);
  const umap = new UMAP({ nComponents: 2, nNeighbors: k, minDist: p.minDist, nEpochs: p.nEpochs || undefined, random: () => rng.next() });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  const X: number[][] = new Array(m);
  for (let i = 0; i < m; i++) X[i] = Array.from(sub.subarray(i * dim, (i + 1) * dim));
  const epochs = umap.initializeFit(X);
  for (let e = 0; e < epochs; e++) {
    if (e % 10 === 0) {
      cancelled();
      onProgress?.({ stage: 'fit', done: e, total: epochs });
    }
    umap.step();
  }
  onProgress?.({ stage: 'fit', done: epochs, total: epochs });
  const emb = umap.getEmbedding();
  const xy = new Float32Array(n * 2);
  const inSample = new Int32Array(n).fill(-1);
  sample.forEach((i, r) => {
    inSample[i] = r;
    xy[i * 2] = emb[r][0];
    xy[i * 2 + 1] = emb[r][1];
  });
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (inSample[i] < 0) rest.push(i);
  for (let s = 0; s < rest.length; s += BATCH) {
    cancelled();
    const chunk = rest.slice(s, s + BATCH);
    const res = index.searchBatch(gatherRows(rows, dim, chunk), k, 0);
    chunk.forEach((obj, r) => {
      const base = r * res.k;
      const d0 = chord(res.similarities[base]);
      let dm = 0,
        cnt = 0;
      for (let j = 0; j < res.k; j++)
        if (res.indices[base + j] >= 0) {
          dm += chord(res.similarities[base + j]);
          cnt++;
        }
      const sigma = Math.max(1e-6, dm / Math.max(1, cnt) - d0);
      let sw = 0,
        x = 0,
        y = 0;
      for (let j = 0; j < res.k; j++) {
        const nb = res.indices[base + j];
        if (nb < 0) continue;
        const w = Math.exp(-(chord(res.similarities[base + j]) - d0) / sigma);
        sw += w;
        x += w * emb[nb][0];
        y += w * emb[nb][1];
      }
      xy[obj * 2] = x / sw;
      xy[obj * 2 + 1] = y / sw;
    });
    onProgress?.({ stage: 'place', done: Math.min(rest.length, s + BATCH), total: rest.length });
  }
  return { xy, fitted: m };
}
