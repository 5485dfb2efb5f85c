/**
 * Workspace store throughput: filling a workspace with the synthetic survey
 * (2 render workers, f16 cutouts, fsync'ed batches), reading cutouts back
 * sequentially (encoder access pattern) and at random (inspector), and
 * durable label writes. Baselines run in the same session: the same fill on
 * one worker, numpy reading the same shard files, and Python's sqlite3 doing
 * the same committed single-row upserts with the same pragmas.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@app/core/rng';
import { Workspace } from '@main/node/workspace';
import { fillSynthetic } from '@main/node/workspace/synth-fill';
import type { BenchContext, BenchRow, BenchSuite } from './types';

const PY_READ = `
import sys, glob, time, numpy as np
files = sorted(glob.glob(sys.argv[1] + '/shard-*.bin'))
t = time.perf_counter(); n = 0
for f in files:
    a = np.fromfile(f, dtype='<f2').astype(np.float32)
    n += a.size
print((time.perf_counter() - t) * 1000, n)
`;

const PY_LABELS = `
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=FULL')
db.execute('CREATE TABLE IF NOT EXISTS l (search TEXT, idx INTEGER, label INTEGER, PRIMARY KEY (search, idx)) WITHOUT ROWID')
n = int(sys.argv[2]); t = time.perf_counter()
for i in range(n):
    db.execute('BEGIN IMMEDIATE')
    db.execute('INSERT INTO l VALUES (?, ?, ?) ON CONFLICT(search, idx) DO UPDATE SET label = excluded.label', ('s', i * 7 % 20000, 1))
    db.execute('COMMIT')
print((time.perf_counter() - t) * 1000)
`;

const ms = (t0: number) => performance.now() - t0;

const suite: BenchSuite = {
  name: 'workspace',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const root = ctx.tmpDir;
    const rows: BenchRow[] = [];
    {
      // 1. synth + write, 2 workers vs 1 worker
      const N = ctx.quick ? 2_000 : 20_000,
        N1 = ctx.quick ? 500 : 4_000;
      ctx.log(`filling ${N1} objects on 1 worker, then ${N} on 2 workers`);
      const base = Workspace.create(join(root, 'one'), { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
      let t0 = performance.now();
      await fillSynthetic(base, { count: N1, seed: 1, workers: 1 });
      const oneRate = N1 / (ms(t0) / 1000);
      base.close();
      const ws = Workspace.create(join(root, 'two'), { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
      t0 = performance.now();
      await fillSynthetic(ws, { count: N, seed: 1, workers: 2 });
      const tFill = ms(t0);
      rows.push({
        operation: 'synth + write cutouts (2 workers, f16, fsync per 256)',
        size: `${N} x 3x64x64`,
        timeMs: tFill,
        throughput: N / (tFill / 1000),
        unit: 'cutouts/s',
        baseline: { name: `same, 1 worker (${N1})`, throughput: oneRate },
        ratio: N / (tFill / 1000) / oneRate,
      });

      // 2. sequential read (encoder batches of 256) vs numpy reading the same shards
      ws.close();
      const ro = Workspace.open(join(root, 'two'), { readonly: true });
      t0 = performance.now();
      for (let s = 0; s < N; s += 256) ro.readCutoutBlock(s, Math.min(256, N - s));
      const tRead = ms(t0);
      const shardDir = join(root, 'two', 'cutouts');
      const [pyMs] = execFileSync('/usr/bin/python3', ['-c', PY_READ, shardDir]).toString().trim().split(' ').map(Number);
      rows.push({
        operation: 'read cutouts sequentially (f16 -> f32, batches of 256)',
        size: `${N} x 3x64x64`,
        timeMs: tRead,
        throughput: N / (tRead / 1000),
        unit: 'cutouts/s',
        baseline: { name: 'numpy fromfile + astype(float32), same shards', throughput: N / (pyMs / 1000) },
        ratio: N / (tRead / 1000) / (N / (pyMs / 1000)),
        note: `${readdirSync(shardDir).length} shard files`,
      });

      // 3. random single-cutout reads (inspector / gallery)
      const rng = createRng(3);
      const R = ctx.quick ? 1_000 : 5_000;
      t0 = performance.now();
      for (let k = 0; k < R; k++) ro.getCutout(rng.int(N));
      const tRand = ms(t0);
      rows.push({ operation: 'read single cutouts at random', size: `${R} of ${N}`, timeMs: tRand, throughput: R / (tRand / 1000), unit: 'cutouts/s' });
      ro.close();

      // 4. durable label writes vs Python sqlite3 with the same pragmas
      const lw = Workspace.open(join(root, 'two'));
      lw.labels.createSearch('bench');
      const L = ctx.quick ? 100 : 500;
      t0 = performance.now();
      for (let k = 0; k < L; k++) lw.labels.set('bench', (k * 7) % N, k % 2 ? 'positive' : 'negative');
      const tLab = ms(t0);
      lw.close();
      const pyLab = Number(
        execFileSync('/usr/bin/python3', ['-c', PY_LABELS, join(root, 'py.sqlite'), String(L)])
          .toString()
          .trim(),
      );
      rows.push({
        operation: 'label writes (each committed, WAL, synchronous=FULL)',
        size: `${L} labels`,
        timeMs: tLab,
        throughput: L / (tLab / 1000),
        unit: 'labels/s',
        baseline: { name: 'Python sqlite3, same pragmas, one commit per label', throughput: L / (pyLab / 1000) },
        ratio: L / (tLab / 1000) / (L / (pyLab / 1000)),
        note: 'ours also appends to the label history',
      });
    }
    return rows;
  },
};

export default suite;
