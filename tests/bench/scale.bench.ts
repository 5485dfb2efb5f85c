/**
 * Survey scale, as whole processes of the real CLI: an N x 128 float32 .npy
 * plus a CSV of id, ra, dec imported with `ingest --from embeddings`, then
 * `index`, `search --like ID --json` (its `ms` field), `probe --create`
 * over every object, `project --method pca|umap`; recall@10 of the saved
 * index vs brute force (app/ml/knn) on the same vectors, in-process. Vectors
 * have latent structure (tests/discovery/structured.ts). Sizes: 1,000,000
 * with `--full` (or LATENT_SKY_BENCH_FULL=1), else 100k (quick: 20k); `--10m`:
 * 10,000,000, import and index, then the measurements of ./scale-10m.ts
 * (hours on 2 cores: the index build is ~1 h).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@app/core/rng';
import { exactKnn } from '@app/ml/knn';
import { npyFloat32 } from '@main/node/export/npy';
import { VectorIndex } from '@main/node/index/vector-index';
import { structuredVectors } from '../discovery/structured';
import { knnRow, measureHuge, pct } from './scale-10m';
import type { BenchContext, BenchRow, BenchSuite } from './types';

const D = 128;
const bin = fileURLToPath(new URL('../../main/cli/bin.mjs', import.meta.url));

function cli(args: string[], ctx: BenchContext): { ms: number; out: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`latent-sky ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  ctx.log(`${args[0]} ${(ms / 1000).toFixed(1)} s`);
  return { ms, out: r.stdout };
}

function writeInputs(n: number, ctx: BenchContext): { npy: string; csv: string; unit: Float32Array } {
  ctx.log(`generating ${n} x ${D} structured vectors`);
  const { unit } = structuredVectors(n, D, 17);
  const npy = join(ctx.tmpDir, 'vectors.npy'),
    csv = join(ctx.tmpDir, 'catalog.csv');
  // the header, then the rows in slices: 10M x 128 is over the 4 GB one typed array can view
  const fd = openSync(npy, 'w');
  writeSync(fd, npyFloat32(new Float32Array(0), [n, D]));
  for (let at = 0; at < unit.length; at += 16 << 20)
    writeSync(fd, new Uint8Array(unit.buffer, unit.byteOffset + at * 4, Math.min(unit.length - at, 16 << 20) * 4));
  closeSync(fd);
  const rng = createRng(3);
  const cfd = openSync(csv, 'w');
  writeSync(cfd, 'id,ra,dec\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += `LS${i},${rng.uniform(0, 360).toFixed(6)},${((Math.asin(rng.uniform(-1, 1)) * 180) / Math.PI).toFixed(6)}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(cfd, chunk);
      chunk = '';
    }
  }
  writeSync(cfd, chunk);
  closeSync(cfd);
  return { npy, csv, unit };
}

async function scaleRows(n: number, ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const size = `${n.toLocaleString('en')} x ${D}`;
  const { npy, csv, unit } = writeInputs(n, ctx);
  const ws = join(ctx.tmpDir, 'ws');
  const imp = cli(['ingest', ws, '--from', 'embeddings', '--vectors', npy, '--catalog', csv, '--model-name', 'bench-128', '--json'], ctx);
  const added = JSON.parse(imp.out).added as number;
  if (added !== n) throw new Error(`imported ${added} of ${n}`);
  rows.push({ operation: 'import .npy + CSV (ingest --from embeddings, process)', size, timeMs: imp.ms, throughput: n / (imp.ms / 1000), unit: 'objects/s' });
  const idx = cli(['build-index', ws, '--json'], ctx);
  rows.push({
    operation: 'HNSW index build f16 M16 efC128 (build-index, process, all cores)',
    size,
    timeMs: idx.ms,
    throughput: n / (idx.ms / 1000),
    unit: 'vectors/s',
  });
  rows.push({ operation: 'import + index (target < 10 min)', size, timeMs: imp.ms + idx.ms, throughput: n / ((imp.ms + idx.ms) / 1000), unit: 'objects/s' });
  if (n >= 10_000_000) return [...rows, ...(await measureHuge(ws, ctx))];
  // search --like ID --json as processes: the ms field
  const rng = createRng(9);
  const procMs: number[] = [],
    wallMs: number[] = [],
    openMs: number[] = [];
  for (let q = 0; q < (ctx.quick ? 3 : 7); q++) {
    const r = cli(['search', ws, '--like', `LS${rng.int(n)}`, '--k', '10', '--json'], ctx);
    const j = JSON.parse(r.out);
    if (j.method !== 'hnsw') throw new Error(`search used ${j.method}`);
    procMs.push(j.ms);
    openMs.push(j.indexOpenMs);
    wallMs.push(r.ms);
  }
  rows.push({
    operation: 'search --like ID --json: ms field p50 (process)',
    size,
    timeMs: pct(procMs, 0.5),
    throughput: 1000 / pct(procMs, 0.5),
    unit: 'queries/s',
    note:
      `ms field ${procMs.map((x) => x.toFixed(2)).join(', ')}; index open + warm-up p50 ${pct(openMs, 0.5).toFixed(0)} ms; ` +
      `whole process p50 ${(pct(wallMs, 0.5) / 1000).toFixed(1)} s (a query through the index reads only the rows it needs)`,
  });
  // recall@10 of the saved index vs brute force, same vectors (in-process, 1 thread)
  const view = VectorIndex.view(join(ws, 'index', 'bench-128.usearch'), D);
  const nq = 1000,
    lat: number[] = [],
    queries = Array.from({ length: nq }, () => rng.int(n));
  const answers = queries.map((q) => {
    const t = performance.now();
    const a = view.search(unit.subarray(q * D, (q + 1) * D), 10).indices;
    lat.push(performance.now() - t);
    return a;
  });
  const bruteN = 100;
  let hits = 0;
  const tb = performance.now();
  for (let j = 0; j < bruteN; j++) {
    const q = queries[j];
    const truth = new Set(exactKnn(unit, D, unit.subarray(q * D, (q + 1) * D), 10).indices);
    for (const i of answers[j]) if (truth.has(i)) hits++;
  }
  const bruteMs = (performance.now() - tb) / bruteN;
  rows.push(knnRow('k-NN k10 ef64 p50 (index view, 1 thread)', size, lat, hits / (bruteN * 10), bruteN, bruteMs));
  const pos = [0, 1, 2].map(() => `LS${rng.int(n)}`),
    neg = Array.from({ length: 6 }, () => `LS${rng.int(n)}`);
  const probe = cli(['probe', ws, '--search', 'bench', '--create', '--pos', pos.join(','), '--neg', neg.join(','), '--top', '100', '--json'], ctx);
  const p = JSON.parse(probe.out);
  rows.push({
    operation: 'probe round, every object scored (probe --create, process; target < 10 s)',
    size,
    timeMs: probe.ms,
    throughput: n / (probe.ms / 1000),
    unit: 'objects/s',
    note: `fit ${p.fitMs} ms, scoring ${p.scoreMs} ms inside the process`,
  });
  const pca = cli(['project', ws, '--method', 'pca', '--json'], ctx);
  rows.push({ operation: 'PCA (project --method pca, process; target < 30 s)', size, timeMs: pca.ms, throughput: n / (pca.ms / 1000), unit: 'objects/s' });
  const um = cli(['project', ws, '--method', 'umap', '--json'], ctx);
  rows.push({
    operation: 'UMAP 20k subsample fit + placement (project, process; target < 5 min)',
    size,
    timeMs: um.ms,
    throughput: n / (um.ms / 1000),
    unit: 'objects/s',
  });
  return rows;
}

const suite: BenchSuite = {
  name: 'scale',
  async run(ctx) {
    if (process.argv.includes('--10m')) return scaleRows(10_000_000, ctx);
    const full = process.argv.includes('--full') || process.env.LATENT_SKY_BENCH_FULL === '1';
    return scaleRows(full && !ctx.quick ? 1_000_000 : ctx.quick ? 20_000 : 100_000, ctx);
  },
};

export default suite;
