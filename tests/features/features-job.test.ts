/**
 * The morphology-features job on a real synthetic workspace: worker threads
 * compute every row, the stored rows equal app/features run directly, a
 * cancelled run resumes where it stopped, and the features are catalogue
 * columns (morph_<name>).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MorphologyExtractor } from '@app/features';
import { runFeaturesJob } from '@main/node/features/features-job';
import { Workspace } from '@main/node/workspace';
import { fillSynthetic } from '@main/node/workspace/synth-fill';

const root = mkdtempSync(join(tmpdir(), 'ls-featjob-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('morphology features job', () => {
  const dir = join(root, 'ws');
  it('computes, resumes after a cancel, and exposes catalogue columns', async () => {
    const ws = Workspace.create(dir, { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
    await fillSynthetic(ws, { count: 600, seed: 3, workers: 1 });
    expect(ws.columns().some((c) => c.name.startsWith('morph_'))).toBe(false);
    ws.close();

    const ac = new AbortController();
    const first = await runFeaturesJob({
      workspace: dir,
      chunk: 50,
      workers: 1,
      signal: ac.signal,
      onProgress: (d) => {
        if (d >= 100) ac.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    expect(first.computed).toBeGreaterThanOrEqual(100);
    expect(first.computed).toBeLessThan(600);
    const progress: number[] = [];
    const second = await runFeaturesJob({ workspace: dir, chunk: 50, onProgress: (d) => progress.push(d) });
    expect(second.cancelled).toBe(false);
    expect(second.computed).toBe(600 - first.computed);
    expect(progress.at(-1)).toBe(600);
    expect((await runFeaturesJob({ workspace: dir })).computed).toBe(0);

    const w2 = Workspace.open(dir, { readonly: true });
    try {
      const m = w2.morphology()!;
      expect(m.doneCount()).toBe(600);
      expect(m.modelKey).toBe('morph1-grz');
      const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
      for (const idx of [0, 99, 100, 377, 599]) expect(Array.from(m.read(idx))).toEqual(Array.from(ex.run(w2.getCutout(idx).data)));
      const cols = w2.columns().filter((c) => c.name.startsWith('morph_'));
      expect(cols.length).toBe(ex.dim);
      const gini = w2.column('morph_gini');
      expect(gini.length).toBe(600);
      expect(gini[377]).toBeCloseTo(m.read(377)[ex.columns.findIndex((c) => c.name === 'gini')], 6);
    } finally {
      w2.close();
    }
  }, 60_000);
});
