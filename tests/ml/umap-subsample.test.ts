/**
 * UMAP at scale (main/node/projection/umap2d.ts): fitted on a seeded
 * subsample, every other object placed from its nearest fitted neighbours.
 * The layout is the same on every run (graph built on one thread and
 * searched on every core, seeded optimiser), placed objects land among the fitted
 * members of their own cluster, progress reports each stage, and an abort
 * stops it with CANCELLED, in-process and in the worker.
 */
import { describe, expect, it } from 'vitest';
import { umap2d } from '@main/node/projection/umap2d';
import { runProjection } from '@main/node/projection/run-worker';
import type { UmapParams } from '@main/node/projection/types';
import { structuredVectors } from '../discovery/structured';

const N = 3000,
  D = 32;
const params: UmapParams = { method: 'umap', nNeighbors: 15, minDist: 0.1, nEpochs: 100, subsample: 800, seed: 3 };

describe('UMAP by subsample fit + placement', () => {
  const { unit, cluster } = structuredVectors(N, D, 11, { clusters: 6 });

  it('is reproducible, reports its stages, and places the rest among their own cluster', () => {
    const stages = new Set<string>();
    const a = umap2d(unit, D, params, (p) => stages.add(p.stage));
    const b = umap2d(unit, D, params);
    expect(a.fitted).toBe(800);
    expect(Array.from(a.xy)).toEqual(Array.from(b.xy));
    expect([...stages]).toEqual(['neighbour graph', 'fit', 'place']);
    expect(a.xy.every(Number.isFinite)).toBe(true);
    // each cluster's centroid in the layout; a placed point is nearer its own than any other, for most points
    const cx = new Float64Array(6),
      cy = new Float64Array(6),
      cn = new Float64Array(6);
    for (let i = 0; i < N; i++) {
      cx[cluster[i]] += a.xy[2 * i];
      cy[cluster[i]] += a.xy[2 * i + 1];
      cn[cluster[i]]++;
    }
    let own = 0;
    for (let i = 0; i < N; i++) {
      let best = -1,
        bd = Infinity;
      for (let c = 0; c < 6; c++) {
        const d = (a.xy[2 * i] - cx[c] / cn[c]) ** 2 + (a.xy[2 * i + 1] - cy[c] / cn[c]) ** 2;
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      if (best === cluster[i]) own++;
    }
    expect(own / N).toBeGreaterThan(0.9);
  }, 60_000);

  it('stops with CANCELLED when aborted, in-process and in its worker', async () => {
    const ctl = new AbortController();
    expect(() =>
      umap2d(
        unit,
        D,
        params,
        (p) => {
          if (p.stage === 'fit' && p.done >= 20) ctl.abort();
        },
        ctl.signal,
      ),
    ).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
    const ctl2 = new AbortController();
    const run = runProjection(unit, D, params, {
      signal: ctl2.signal,
      onProgress: (p) => {
        if (p.stage === 'fit') ctl2.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 60_000);
});
