import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcaFit, pcaTransform } from '@app/ml/pca';
import { loadEmbeddingView, type EmbeddingView } from '@main/node/discovery/embedding-view';
import { computeProjection, loadProjection } from '@main/node/projection/projection-service';
import { DEFAULT_PCA, DEFAULT_UMAP } from '@main/node/projection/types';
import type { Workspace } from '@main/node/workspace';
import { makeFixtureWorkspace } from './fixture-workspace';

const root = mkdtempSync(join(tmpdir(), 'ls-proj-'));
let ws: Workspace;
let view: EmbeddingView;
beforeAll(() => {
  ws = makeFixtureWorkspace(join(root, 'ws'), 1200, { embedUpTo: 1100 });
  view = loadEmbeddingView(ws);
});
afterAll(() => {
  ws.close();
  rmSync(root, { recursive: true, force: true });
});

/** share of each placed point's 5 nearest 2-D neighbours that have its class */
function classAgreement(xy: Float32Array, truth: (string | null)[], limit = 400): number {
  let same = 0,
    total = 0;
  for (let i = 0; i < limit; i++) {
    if (Number.isNaN(xy[2 * i])) continue;
    const d: [number, number][] = [];
    for (let j = 0; j < truth.length; j++)
      if (j !== i && !Number.isNaN(xy[2 * j])) d.push([(xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2, j]);
    d.sort((a, b) => a[0] - b[0]);
    for (const [, j] of d.slice(0, 5)) {
      total++;
      if (truth[j] === truth[i]) same++;
    }
  }
  return same / total;
}

describe('projections (worker thread, cached in the workspace)', () => {
  it('PCA in the worker equals PCA in process; objects without embeddings are NaN; second call is cached', async () => {
    const progress: string[] = [];
    const r = await computeProjection(ws, view, DEFAULT_PCA, { onProgress: (p) => progress.push(p.stage) });
    expect(r.cached).toBe(false);
    expect(progress).toContain('fit');
    expect(progress).toContain('project');
    const compact = view.unit.subarray(0, 1100 * view.dim);
    const ref = pcaTransform(pcaFit(compact, view.dim, 2), compact);
    for (let i = 0; i < 1100 * 2; i++) expect(r.xy[i]).toBeCloseTo(ref[i], 4);
    expect(Number.isNaN(r.xy[1150 * 2])).toBe(true);
    const again = await computeProjection(ws, view, DEFAULT_PCA);
    expect(again.cached).toBe(true);
    expect(loadProjection(ws, view.modelKey, 'pca')!.meta.key).toBe(r.meta.key);
  });

  it('UMAP fitted on a subsample places the rest near their neighbours; seeded and reproducible', async () => {
    const params = { ...DEFAULT_UMAP, subsample: 500, nEpochs: 100 };
    const a = await computeProjection(ws, view, params);
    expect(a.meta.info.fitted).toBe(500);
    const truth = ws.truthColumn();
    expect(classAgreement(a.xy, truth)).toBeGreaterThan(0.85);
    const b = await computeProjection(ws, view, params, { force: true });
    expect(Array.from(b.xy)).toEqual(Array.from(a.xy));
  });

  it('cancels a running projection', async () => {
    const ac = new AbortController();
    const p = computeProjection(
      ws,
      view,
      { ...DEFAULT_UMAP, nEpochs: 500, seed: 9 },
      { signal: ac.signal, onProgress: (q) => q.stage === 'fit' && ac.abort() },
    );
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
