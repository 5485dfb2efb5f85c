/**
 * The 10M case of the scale bench (`npm run bench -- scale --10m`): a 10,000,000 × 128 float32 .npy
 * and a CSV are imported and indexed by the real CLI as processes (writeInputs streams the .npy:
 * it is over the 4 GB a typed array holds), then, in this process, on the saved workspace:
 * the embedding view's load, the f16 index memory-mapped and warmed (openIndex), k-NN latency and
 * recall@10 against brute force, the resident memory before and after the index, the catalogue's
 * ra/dec columns loaded and range-filtered (app/tables/range-mask, what the app's filters run), a
 * sky-box-filtered k-NN; and `search --like ID --json` as processes. `measureHuge` also runs on a
 * workspace built by hand (the README's run: the same CLI steps one by one).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRng } from '@app/core/rng';
import { exactKnn } from '@app/ml/knn';
import { rangeMask, maskCount } from '@app/tables/range-mask';
import { loadEmbeddingView } from '@main/node/discovery/embedding-view';
import { compileFilter } from '@main/node/index/filters';
import { openIndex } from '@main/node/index/index-service';
import { findNeighbours, viewSource } from '@main/node/index/neighbours';
import { Workspace } from '@main/node/workspace';
import type { BenchContext, BenchRow } from './types';

const bin = fileURLToPath(new URL('../../main/cli/bin.mjs', import.meta.url));
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** the k-NN latency row: p50 of `lat` (ms), recall@10 against brute force over `bruteN` queries of `bruteMs` each */
export function knnRow(operation: string, size: string, lat: number[], recall: number, bruteN: number, bruteMs: number): BenchRow {
  return {
    operation,
    size,
    timeMs: pct(lat, 0.5),
    throughput: 1000 / pct(lat, 0.5),
    unit: 'queries/s',
    baseline: { name: 'brute force', throughput: 1000 / bruteMs },
    note: `recall@10 ${recall.toFixed(3)} vs brute force over ${bruteN} queries; p99 ${pct(lat, 0.99).toFixed(3)} ms`,
  };
}
const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GB`;

export async function measureHuge(wsDir: string, ctx: Pick<BenchContext, 'log' | 'quick'>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const ws = Workspace.open(wsDir, { readonly: true });
  const n = ws.count();
  try {
    const size = `${n.toLocaleString('en')} x 128`;
    const rss0 = process.memoryUsage().rss;
    let t = performance.now();
    const view = loadEmbeddingView(ws);
    const viewMs = performance.now() - t;
    const rss1 = process.memoryUsage().rss;
    rows.push({
      operation: 'embedding view load (read + normalise, in-process)',
      size,
      timeMs: viewMs,
      throughput: n / (viewMs / 1000),
      unit: 'objects/s',
      note: `resident +${gb(rss1 - rss0)}`,
    });
    t = performance.now();
    const index = openIndex(ws, view);
    const openMs = performance.now() - t;
    if (!index) throw new Error('no index: run build-index first');
    const rss2 = process.memoryUsage().rss;
    ctx.log(`index open + warm-up ${openMs.toFixed(0)} ms`);
    const d = view.dim;
    const rng = createRng(11);
    const nq = ctx.quick ? 100 : 1000;
    const queries = Array.from({ length: nq }, () => rng.int(n));
    const lat: number[] = [];
    const answers = queries.map((q) => {
      const s = performance.now();
      const a = index.search(view.unit.subarray(q * d, (q + 1) * d), 11).indices;
      lat.push(performance.now() - s);
      return a;
    });
    const bruteN = ctx.quick ? 5 : 50;
    let hits = 0;
    const tb = performance.now();
    for (let j = 0; j < bruteN; j++) {
      const q = queries[j];
      const truth = new Set(exactKnn(view.unit, d, view.unit.subarray(q * d, (q + 1) * d), 10).indices);
      for (const i of answers[j].slice(0, 10)) if (truth.has(i)) hits++;
    }
    const bruteMs = (performance.now() - tb) / bruteN;
    const rss3 = process.memoryUsage().rss;
    rows.push({
      operation: 'f16 index memory-mapped: open + warm-up (target < 5 s)',
      size,
      timeMs: openMs,
      throughput: 1000 / openMs,
      unit: 'opens/s',
      note: `resident +${gb(rss2 - rss1)} at open, +${gb(rss3 - rss1)} after ${nq} queries (mapped file pages)`,
    });
    rows.push(knnRow('k-NN k10 ef64 p50 (index view, 1 thread; target < 10 ms)', size, lat, hits / (bruteN * 10), bruteN, bruteMs));
    // the catalogue: columns the app's range filters and the sky box read
    t = performance.now();
    const ra = ws.column('ra'),
      dec = ws.column('dec');
    const colMs = performance.now() - t;
    rows.push({
      operation: 'catalogue columns ra + dec loaded (SQLite, once per session)',
      size,
      timeMs: colMs,
      throughput: (2 * n) / (colMs / 1000),
      unit: 'values/s',
    });
    const filters = [
      { column: 'ra', min: 100, max: 160 },
      { column: 'dec', min: -10, max: 30 },
    ];
    const maskMs: number[] = [];
    let shown = 0;
    for (let r = 0; r < 5; r++) {
      t = performance.now();
      shown = maskCount(rangeMask(n, filters, { ra, dec }), n);
      maskMs.push(performance.now() - t);
    }
    rows.push({
      operation: 'range filters on 2 columns (the app’s mask, app/tables/range-mask)',
      size,
      timeMs: pct(maskMs, 0.5),
      throughput: n / (pct(maskMs, 0.5) / 1000),
      unit: 'objects/s',
      note: `${shown.toLocaleString('en')} pass; p50 of 5`,
    });
    const box = compileFilter({ box: { raMin: 100, raMax: 160, decMin: -10, decMax: 30 } }, { ra, dec }, n);
    const src = viewSource(view, index);
    const boxMs: number[] = [];
    let method = '';
    for (let r = 0; r < 20; r++) {
      const q = queries[r];
      t = performance.now();
      method = findNeighbours(src, view.unit.subarray(q * d, (q + 1) * d), { k: 10, exclude: q, filter: box }).method;
      boxMs.push(performance.now() - t);
    }
    rows.push({
      operation: 'k-NN with a sky-box filter (over-fetch)',
      size,
      timeMs: pct(boxMs, 0.5),
      throughput: 1000 / pct(boxMs, 0.5),
      unit: 'queries/s',
      note: `${method}; ${box!.passing.toLocaleString('en')} pass`,
    });
    rows.push({
      operation: 'peak resident memory of this process',
      size,
      timeMs: 0,
      throughput: process.resourceUsage().maxRSS / 2 ** 20,
      unit: 'GB',
      note: 'embedding view + mapped index + columns',
    });
    index.release();
  } finally {
    ws.close();
  }
  // whole processes
  const procMs: number[] = [],
    openMs: number[] = [],
    wallMs: number[] = [];
  const rng = createRng(12);
  for (let q = 0; q < (ctx.quick ? 2 : 5); q++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'search', wsDir, '--like', `#${rng.int(n)}`, '--k', '10', '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    wallMs.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`search failed: ${r.stderr.slice(-400)}`);
    const j = JSON.parse(r.stdout);
    procMs.push(j.ms);
    openMs.push(j.indexOpenMs);
  }
  rows.push({
    operation: 'search --like ID --json: ms field p50 (process)',
    size: 'the same',
    timeMs: pct(procMs, 0.5),
    throughput: 1000 / pct(procMs, 0.5),
    unit: 'queries/s',
    note: `index open + warm-up p50 ${pct(openMs, 0.5).toFixed(0)} ms; whole process p50 ${(pct(wallMs, 0.5) / 1000).toFixed(1)} s (a query through the index reads only the rows it needs)`,
  });
  return rows;
}
