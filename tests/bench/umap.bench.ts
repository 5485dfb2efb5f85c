/**
 * UMAP at survey scale, as a whole process of the real CLI: an N x 128
 * clustered `.npy` + CSV imported with `ingest --from embeddings`, then
 * `project --method umap` (a 20k seeded subsample fitted by umap-js on a
 * usearch k-NN graph, every other object placed from its nearest fitted
 * neighbours; main/node/projection/umap2d.ts). Stage times come from the
 * progress lines the command prints. Sizes: 200k (and 1M with `--full` or
 * LATENT_SKY_BENCH_FULL=1); quick: 20k. Target: < 5 min at 1M on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScaleInputs } from '../e2e/scale-inputs';
import type { BenchContext, BenchRow, BenchSuite } from './types';

const bin = fileURLToPath(new URL('../../main/cli/bin.mjs', import.meta.url));

/** runs `latent-sky project WS --method umap --json`, timing each progress stage by when its first line arrived */
function projectUmap(ws: string): Promise<{ ms: number; stages: Record<string, number> }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'project', ws, '--method', 'umap', '--force', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first: [string, number][] = [];
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      for (const m of String(d).matchAll(/progress umap (.+?) \d+\/\d+/g)) if (!first.some(([s]) => s === m[1])) first.push([m[1], performance.now()]);
    });
    child.stdout.resume();
    child.once('exit', (code) => {
      const end = performance.now();
      if (code !== 0) return fail(new Error(`project failed (${code}): ${err.slice(-400)}`));
      const stages: Record<string, number> = {};
      first.forEach(([s, t], i) => (stages[s] = (i + 1 < first.length ? first[i + 1][1] : end) - t));
      ok({ ms: end - t0, stages });
    });
  });
}

async function umapRow(n: number, ctx: BenchContext): Promise<BenchRow> {
  const dir = join(ctx.tmpDir, String(n));
  spawnSync('mkdir', ['-p', dir]);
  const { npy, csv } = writeScaleInputs(dir, n);
  const ws = join(dir, 'ws');
  const imp = spawnSync(
    process.execPath,
    [bin, 'ingest', ws, '--from', 'embeddings', '--vectors', npy, '--catalog', csv, '--model-name', 'bench-128', '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (imp.status !== 0) throw new Error(`ingest failed: ${imp.stderr.slice(-400)}`);
  ctx.log(`${n}: imported; projecting`);
  const r = await projectUmap(ws);
  const stages = Object.entries(r.stages)
    .map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  ctx.log(`${n}: UMAP ${(r.ms / 1000).toFixed(1)} s (${stages})`);
  return {
    operation: 'UMAP 20k subsample fit + placement (project --method umap, process; target < 5 min at 1M)',
    size: `${n.toLocaleString('en')} x 128`,
    timeMs: r.ms,
    throughput: n / (r.ms / 1000),
    unit: 'objects/s',
    note: `each stage from its first progress line to the next stage's (process start and loading the view come before, in the total only): ${stages}`,
  };
}

const suite: BenchSuite = {
  name: 'umap',
  async run(ctx) {
    const full = process.argv.includes('--full') || process.env.LATENT_SKY_BENCH_FULL === '1';
    const sizes = ctx.quick ? [20_000] : full ? [200_000, 1_000_000] : [200_000];
    const rows: BenchRow[] = [];
    for (const n of sizes) rows.push(await umapRow(n, ctx));
    return rows;
  },
};

export default suite;
