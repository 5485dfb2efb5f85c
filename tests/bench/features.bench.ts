/**
 * Morphology features (app/features): the features job over a synthetic
 * workspace with 2 worker threads (target: 20,000 objects in < 30 s on 2
 * cores), and one core in-process. Baseline measured in the same run: the
 * independent numpy/scipy implementation (tests/features/morphology_ref.py)
 * on the same cutouts.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MorphologyExtractor } from '@app/features';
import { runFeaturesJob } from '@main/node/features/features-job';
import { Workspace } from '@main/node/workspace';
import { fillSynthetic } from '@main/node/workspace/synth-fill';
import type { BenchRow, BenchSuite } from './types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const suite: BenchSuite = {
  name: 'features',
  async run(ctx) {
    const n = ctx.quick ? 2000 : 20_000;
    const dir = join(ctx.tmpDir, 'ws');
    const ws = Workspace.create(dir, { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
    await fillSynthetic(ws, { count: n, seed: 1 });
    const sample = ws.readCutoutBlock(0, 500);
    ws.close();
    const rows: BenchRow[] = [];

    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
    const px = 3 * 64 * 64,
      out = new Float32Array(ex.dim);
    for (let i = 0; i < 100; i++) ex.run(sample.subarray(i * px, (i + 1) * px), out); // warm up
    const t1 = performance.now();
    for (let i = 0; i < 500; i++) ex.run(sample.subarray(i * px, (i + 1) * px), out);
    const oneCore = 500 / ((performance.now() - t1) / 1000);

    const inp = join(ctx.tmpDir, 'sample.f32');
    writeFileSync(inp, new Uint8Array(sample.buffer, sample.byteOffset, 200 * px * 4));
    const t2 = performance.now();
    const py = spawnSync('/usr/bin/python3', [join(root, 'tests/features/morphology_ref.py'), inp, '200', '3', '64', '64', join(ctx.tmpDir, 'ref.f32')]);
    const numpyRate = py.status === 0 ? 200 / ((performance.now() - t2) / 1000) : 0;
    const baseline = numpyRate > 0 ? { name: 'numpy/scipy reference, 1 core', throughput: numpyRate } : undefined;
    rows.push({
      operation: 'morphology features (1 core, in-process)',
      size: `500 × 3×64×64 → ${ex.dim}`,
      timeMs: 500_000 / oneCore,
      throughput: oneCore,
      unit: 'objects/s',
      baseline,
    });

    const t0 = performance.now();
    const r = await runFeaturesJob({ workspace: dir, workers: 2 });
    const ms = performance.now() - t0;
    rows.push({
      operation: 'morphology features job (2 workers, read + compute + fsync)',
      size: `${n} × 3×64×64 → ${r.dim}`,
      timeMs: ms,
      throughput: n / (ms / 1000),
      unit: 'objects/s',
      baseline,
      note: `${(ms / 1000).toFixed(1)} s for ${n} (target: 20,000 in < 30 s on 2 cores)`,
    });
    return rows;
  },
};
export default suite;
