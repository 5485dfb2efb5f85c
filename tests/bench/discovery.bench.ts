/**
 * Discovery engine: HNSW index build and query (p50/p99 latency, recall@10
 * against brute force measured in the same run) on vectors with latent
 * structure (tests/discovery/structured.ts; random Gaussians are HNSW's worst
 * case and say nothing about embeddings); probe fit + scoring of every
 * object; PCA (vs numpy's SVD on the same matrix) and UMAP (subsample fit +
 * placement). Sizes: 100k (quick: 20k); `--full` in argv or
 * LATENT_SKY_BENCH_FULL=1 adds the index at 1M.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@app/core/rng';
import { exactKnn } from '@app/ml/knn';
import { pcaFit, pcaTransform } from '@app/ml/pca';
import { fitProbe, probeScores } from '@app/ml/probe';
import { columnStats, gatherRows } from '@app/ml/matrix';
import { VectorIndex } from '@main/node/index/vector-index';
import { npyFloat32 } from '@main/node/export/npy';
import { umap2d } from '@main/node/projection/umap2d';
import { DEFAULT_UMAP } from '@main/node/projection/types';
import { structuredVectors } from '../discovery/structured';
import type { BenchContext, BenchRow, BenchSuite } from './types';

const D = 128;
const PY = '/usr/bin/python3';
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function indexRows(n: number, ctx: BenchContext): BenchRow[] {
  ctx.log(`index: generating ${n} × ${D} structured vectors`);
  const { unit } = structuredVectors(n, D, 11);
  const index = VectorIndex.create(D);
  let t = performance.now();
  index.add(unit, 0, { batch: 8192 });
  const buildMs = performance.now() - t;
  const path = join(ctx.tmpDir, `bench-${n}.usearch`);
  index.save(path);
  t = performance.now();
  const viewed = VectorIndex.view(path, D);
  const viewMs = performance.now() - t;
  const nq = 1000;
  const rng = createRng(5);
  const queries = Array.from({ length: nq }, () => rng.int(n));
  const lat: number[] = [];
  const answers: Int32Array[] = [];
  for (const q of queries) {
    const s = performance.now();
    answers.push(viewed.search(unit.subarray(q * D, (q + 1) * D), 10).indices);
    lat.push(performance.now() - s);
  }
  const annMs = lat.reduce((a, b) => a + b, 0);
  const bruteN = Math.min(nq, n >= 1_000_000 ? 100 : 300);
  let hits = 0;
  t = performance.now();
  for (let j = 0; j < bruteN; j++) {
    const q = queries[j];
    const truth = new Set(exactKnn(unit, D, unit.subarray(q * D, (q + 1) * D), 10).indices);
    for (const i of answers[j]) if (truth.has(i)) hits++;
  }
  const bruteMs = performance.now() - t;
  const recall = hits / (bruteN * 10);
  const size = `${n} × ${D}`;
  return [
    {
      operation: 'HNSW build (usearch, M16 efC128, all cores)',
      size,
      timeMs: buildMs,
      throughput: n / (buildMs / 1000),
      unit: 'vectors/s',
      note: `view() of the saved index: ${viewMs.toFixed(1)} ms`,
    },
    {
      operation: 'k-NN query k=10 (HNSW ef64, 1 thread)',
      size,
      timeMs: annMs,
      throughput: nq / (annMs / 1000),
      unit: 'queries/s',
      baseline: { name: `brute force (exact dot products, ${bruteN} queries)`, throughput: bruteN / (bruteMs / 1000) },
      note: `p50 ${pct(lat, 0.5).toFixed(3)} ms, p99 ${pct(lat, 0.99).toFixed(3)} ms, recall@10 ${recall.toFixed(3)} vs brute force`,
    },
  ];
}

function probeRow(n: number, ctx: BenchContext): BenchRow {
  ctx.log(`probe: ${n} × ${D}`);
  const { unit, cluster } = structuredVectors(n, D, 12);
  const pos = [],
    neg = [];
  for (let i = 0; i < n && (pos.length < 100 || neg.length < 200); i++) {
    if (cluster[i] === 3 && pos.length < 100) pos.push(i);
    else if (cluster[i] !== 3 && neg.length < 200) neg.push(i);
  }
  const rows = [...pos, ...neg];
  const { mean, std } = columnStats(unit.subarray(0, Math.min(n, 100_000) * D), D);
  const t = performance.now();
  const model = fitProbe(
    gatherRows(unit, D, rows),
    D,
    rows.map((_, r) => (r < pos.length ? 1 : 0)),
    { center: mean, scale: std },
  );
  const fitMs = performance.now() - t;
  const t2 = performance.now();
  const scores = probeScores(model, unit);
  const scoreMs = performance.now() - t2;
  const ms = performance.now() - t;
  const base = JSON.parse(
    execFileSync(PY, [
      '-c',
      `
import json, time, numpy as np
n, d = ${n}, ${D}
X = np.random.default_rng(0).standard_normal((n, d), dtype=np.float32); w = np.ones(d, np.float32)
t = time.perf_counter(); s = 1 / (1 + np.exp(-(X @ w + 0.1))); dt = time.perf_counter() - t
print(json.dumps({'s': dt}))`,
    ]).toString(),
  );
  return {
    operation: 'probe: score all objects (after a 300-label Newton fit)',
    size: `${n} × ${D}`,
    timeMs: scoreMs,
    throughput: n / (scoreMs / 1000),
    unit: 'objects/s',
    baseline: { name: 'numpy (X @ w, sigmoid)', throughput: n / base.s },
    note: `fit ${fitMs.toFixed(1)} ms, fit + score ${ms.toFixed(0)} ms; ${scores.length} scores`,
  };
}

function pcaRow(n: number, ctx: BenchContext): BenchRow {
  const { unit } = structuredVectors(n, D, 13);
  const f = join(ctx.tmpDir, 'pca.npy');
  writeFileSync(f, npyFloat32(unit, [n, D]));
  const t = performance.now();
  const xy = pcaTransform(pcaFit(unit, D, 2), unit);
  const ms = performance.now() - t;
  const base = JSON.parse(
    execFileSync(PY, [
      '-c',
      `
import json, sys, time, numpy as np
X = np.load(sys.argv[1]).astype(np.float64)
t = time.perf_counter(); Xc = X - X.mean(0); U, s, Vt = np.linalg.svd(Xc, full_matrices=False); P = Xc @ Vt[:2].T; dt = time.perf_counter() - t
print(json.dumps({'s': dt}))`,
      f,
    ]).toString(),
  );
  return {
    operation: 'PCA to 2-D (covariance + eigen, streaming)',
    size: `${n} × ${D}`,
    timeMs: ms,
    throughput: n / (ms / 1000),
    unit: 'objects/s',
    baseline: { name: 'numpy SVD (float64)', throughput: n / base.s },
    note: `${xy.length / 2} points`,
  };
}

function umapRow(n: number, ctx: BenchContext): BenchRow {
  const { unit } = structuredVectors(n, D, 14);
  const sub = Math.min(20_000, n);
  const t = performance.now();
  const r = umap2d(unit, D, { ...DEFAULT_UMAP, subsample: sub }, (p) => p.done === p.total && ctx.log(`umap ${p.stage} ${p.done}/${p.total}`));
  const ms = performance.now() - t;
  return {
    operation: 'UMAP to 2-D (umap-js fit on subsample + kNN placement)',
    size: `${n} × ${D}`,
    timeMs: ms,
    throughput: n / (ms / 1000),
    unit: 'objects/s',
    note: `fitted on ${r.fitted}, default epochs; no baseline (umap-js alone needs hours at this size)`,
  };
}

const suite: BenchSuite = {
  name: 'discovery',
  async run(ctx) {
    const full = process.argv.includes('--full') || process.env.LATENT_SKY_BENCH_FULL === '1';
    const n = ctx.quick ? 20_000 : 100_000;
    const rows: BenchRow[] = [...indexRows(n, ctx)];
    if (full && !ctx.quick) rows.push(...indexRows(1_000_000, ctx));
    rows.push(probeRow(ctx.quick ? 100_000 : 1_000_000, ctx));
    rows.push(pcaRow(n, ctx));
    rows.push(umapRow(n, ctx));
    return rows;
  },
};

export default suite;
