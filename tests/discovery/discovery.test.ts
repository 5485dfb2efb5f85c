import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossValidateKnnRegression } from '@app/ml/knn-regression';
import { loadEmbeddingView, objectIdx, type EmbeddingView } from '@main/node/discovery/embedding-view';
import { requireModel } from '@main/node/vectors/active-model';
import { runProbeRound } from '@main/node/discovery/probe-round';
import { loadScores } from '@main/node/discovery/scores-cache';
import { simulateSearch } from '@main/node/discovery/simulate';
import { ensureIndex, indexState, openIndex } from '@main/node/index/index-service';
import { findNeighbours, viewSource } from '@main/node/index/neighbours';
import { Workspace } from '@main/node/workspace';
import { createRng } from '@app/core/rng';
import { gatherRows } from '@app/ml/matrix';
import { embedRows, makeFixtureWorkspace } from './fixture-workspace';

const root = mkdtempSync(join(tmpdir(), 'ls-disc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('index service on a workspace', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeFixtureWorkspace(join(root, 'inc'), 1500, { embedUpTo: 1000 });
  });
  afterAll(() => ws.close());

  it('builds, extends incrementally as embeddings appear, and rebuilds on request or changed vectors', async () => {
    let view = loadEmbeddingView(ws);
    expect(view.doneCount).toBe(1000);
    const a = await ensureIndex(ws, view);
    expect(a.rebuilt).toBe(true);
    expect(a.added).toBe(1000);
    expect(indexState(ws, 'test-model')!.size).toBe(1000);
    const again = await ensureIndex(ws, view);
    expect(again.added).toBe(0);
    expect(again.rebuilt).toBe(false);

    embedRows(ws, 1000, 1500);
    view = loadEmbeddingView(ws);
    const b = await ensureIndex(ws, view);
    expect(b.rebuilt).toBe(false);
    expect(b.added).toBe(500);
    const idx = openIndex(ws, view)!;
    expect(idx.size).toBe(1500);
    const nb = findNeighbours(viewSource(view, idx), view.unit.subarray(1200 * 32, 1201 * 32), { k: 5, exclude: 1200 });
    expect(nb.method).toBe('hnsw');
    expect(Array.from(nb.indices)).not.toContain(1200);

    const forced = await ensureIndex(ws, view, { rebuild: true });
    expect(forced.rebuilt).toBe(true);
    expect(forced.added).toBe(1500);
    // recomputed embeddings (different vectors under the same key) are detected
    embedRows(ws, 0, 1500, { seed: 2 });
    const c = await ensureIndex(ws, loadEmbeddingView(ws));
    expect(c.rebuilt).toBe(true);
    const p = await ensureIndex(ws, loadEmbeddingView(ws), { params: { connectivity: 8 } });
    expect(p.rebuilt).toBe(true);
    expect(p.state.params.connectivity).toBe(8);
  });
});

describe('few-shot search on a workspace', () => {
  let ws: Workspace;
  let view: EmbeddingView;
  let truth: (string | null)[];
  beforeAll(() => {
    ws = makeFixtureWorkspace(join(root, 'probe'), 3000);
    view = loadEmbeddingView(ws, 'test-model');
    truth = ws.truthColumn();
  });
  afterAll(() => ws.close());

  it('resolves models and object ids, with clear errors', () => {
    expect(requireModel(ws)).toBe('test-model');
    expect(() => requireModel(ws, 'nope')).toThrow(/no embeddings for model 'nope'/);
    expect(objectIdx(ws, 'obj-17')).toBe(17);
    expect(objectIdx(ws, '#18')).toBe(18);
    expect(() => objectIdx(ws, 'obj-x')).toThrow(/no object with id 'obj-x'/);
  });

  it('zero-shot with few negatives, the probe after; rounds are recorded with a held-out estimate', () => {
    ws.labels.createSearch('lenses');
    const lenses = truth.flatMap((t, i) => (t === 'lens' ? [i] : []));
    ws.labels.setMany(
      'lenses',
      lenses.slice(0, 3).map((idx) => ({ idx, label: 'positive' as const })),
    );
    const r0 = runProbeRound(ws, view, 'lenses', { top: 50, suggest: 20 });
    expect(r0.payload.mode).toBe('similarity');
    expect(r0.payload.cv).toBeNull();
    expect(r0.suggestions.reasons.every((r) => r === 'top')).toBe(true);
    const others = truth.flatMap((t, i) => (t !== 'lens' ? [i] : []));
    ws.labels.setMany('lenses', [
      ...lenses.slice(3, 12).map((idx) => ({ idx, label: 'positive' as const })),
      ...others.slice(0, 30).map((idx) => ({ idx, label: 'negative' as const })),
      { idx: others[40], label: 'unsure' as const },
    ]);
    const r1 = runProbeRound(ws, view, 'lenses', { top: 100, suggest: 20 });
    expect(r1.round).toBe(2);
    expect(r1.payload.mode).toBe('probe');
    expect(r1.payload.positives).toBe(12);
    expect(r1.payload.negatives).toBe(30);
    expect(r1.payload.unsure).toBe(1);
    expect(r1.payload.cv!.auc).toBeGreaterThan(0.9);
    const labelled = new Set([...lenses.slice(0, 12), ...others.slice(0, 30), others[40]]);
    for (const i of r1.ranked) expect(labelled.has(i)).toBe(false);
    for (const i of r1.suggestions.indices) expect(labelled.has(i)).toBe(false);
    expect(new Set(r1.suggestions.reasons)).toEqual(new Set(['top', 'uncertain']));
    const precision = Array.from(r1.ranked).filter((i) => truth[i] === 'lens').length / r1.ranked.length;
    expect(precision).toBeGreaterThan(0.8);
    const rounds = ws.rounds.list<{ top: { ids: string[] } }>('lenses');
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(rounds[1].payload.top.ids[0]).toBe(ws.getObject(r1.ranked[0]).id);
    const cached = loadScores(ws, 'lenses', 'test-model')!;
    expect(cached.meta.round).toBe(2);
    expect(Array.from(cached.scores.subarray(0, 50))).toEqual(Array.from(r1.scores.subarray(0, 50)));
  });

  it('the simulated astronomer finds most of a rare class in 5 rounds of 20 labels', () => {
    const res = simulateSearch(ws, view, truth, 'ring', 'demo: ring', { seed: 1 });
    expect(res.rows.map((r) => r.round)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(res.rows[5].labels).toBe(103);
    expect(res.rows[5].recallAt200).toBeGreaterThanOrEqual(res.rows[0].recallAt200);
    expect(res.rows[5].precisionAt100).toBeGreaterThan(0.8);
    expect(ws.labels.get('demo: ring').size).toBe(103);
  });

  it('k-NN regression of the redshift column from the embedding', () => {
    const z = ws.column('redshift');
    const labelled = Array.from({ length: 600 }, (_, i) => i * 5);
    const cv = crossValidateKnnRegression(
      gatherRows(view.unit, view.dim, labelled),
      view.dim,
      labelled.map((i) => z[i]),
      createRng(1),
      { k: 10 },
    );
    expect(cv.r2).toBeGreaterThan(0.5);
  });
});
