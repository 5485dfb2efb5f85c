/**
 * Assembles the shards of a sharded embed (shards.ts) into the workspace's
 * one embedding matrix: checks that the plan is whole (shards 0..N-1 of one
 * N, contiguous ranges covering every object, same model, dim and object
 * count) and that every shard row is written, then copies the rows in
 * blocks through EmbeddingMatrix.write (fsync'ed, then marked done).
 * Idempotent: merging again rewrites the same bytes.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import { Workspace } from '../workspace';
import { MODEL_KEY_RE } from '../workspace/embeddings';
import { ShardMatrix, shardDir, type ShardMeta } from './shards';

export interface MergeOptions {
  /** model key (default: the only model with shards) */
  model?: string;
  /** merge what is there even when rows are missing (they stay not done) */
  partial?: boolean;
  /** delete the shard files after a complete merge */
  clean?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface MergeReport {
  modelKey: string;
  shards: number;
  rows: number;
  merged: number;
  missing: number;
  seconds: number;
}

const BLOCK = 16384;

/** models with shard files (a model's matrix may not exist yet: shards write only their own files) */
export function modelsWithShards(ws: Workspace): string[] {
  const root = join(ws.dir, 'embeddings');
  return existsSync(root)
    ? readdirSync(root)
        .filter((k) => MODEL_KEY_RE.test(k) && ShardMatrix.list(ws.dir, k).length > 0)
        .sort()
    : [];
}

function checkPlan(metas: ShardMeta[], objects: number, key: string): ShardMeta[] {
  const n = metas[0].n;
  if (metas.some((m) => m.n !== n))
    throw new AppError(
      'CONFLICT',
      `shards of '${key}' come from different plans (${[...new Set(metas.map((m) => m.n))].join(' and ')} tasks): remove the stale ones`,
    );
  const byK = new Map(metas.map((m) => [m.k, m]));
  const absent = Array.from({ length: n }, (_, k) => k).filter((k) => !byK.has(k));
  if (absent.length)
    throw new AppError(
      'CONFLICT',
      `shards ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ', …' : ''} of ${n} never ran: run those array tasks (embed ` +
        `--shard K/${n}) before merging`,
    );
  const ordered = Array.from({ length: n }, (_, k) => byK.get(k)!);
  let at = 0;
  for (const m of ordered) {
    if (m.objects !== objects)
      throw new AppError('CONFLICT', `shard ${m.k}/${n} was planned over ${m.objects} objects, the workspace now holds ${objects}: run the shards again`);
    if (m.lo !== at || m.dim !== ordered[0].dim)
      throw new AppError('WORKSPACE_INVALID', `shard ${m.k}/${n} covers rows ${m.lo}..${m.hi}, expected to start at ${at} (dim ${m.dim})`);
    at = m.hi;
  }
  if (at !== objects) throw new AppError('WORKSPACE_INVALID', `shards of '${key}' cover rows 0..${at}, the workspace holds ${objects}`);
  return ordered;
}

export function mergeShards(wsDir: string, opts: MergeOptions = {}): MergeReport {
  const t0 = performance.now();
  const ws = Workspace.open(wsDir);
  try {
    let key = opts.model;
    if (!key) {
      const keys = modelsWithShards(ws);
      if (keys.length !== 1)
        throw new AppError(
          keys.length ? 'BAD_INPUT' : 'NOT_FOUND',
          keys.length
            ? `shards of several models (${keys.join(', ')}): name one with ` + `--model`
            : `${ws.dir} has no embedding shards to merge (run embed --shard K/N first)`,
        );
      key = keys[0];
    }
    const metas = ShardMatrix.list(ws.dir, key);
    if (!metas.length) throw new AppError('NOT_FOUND', `${ws.dir} has no shards of model '${key}'`);
    const ordered = checkPlan(metas, ws.count(), key);
    const shards = ordered.map((m) => ShardMatrix.openExisting(ws.dir, m));
    try {
      const missing = shards.flatMap((s) => s.missing());
      if (missing.length && !opts.partial) {
        const per = shards.map((s) => [s.meta.k, s.missing().length] as const).filter(([, c]) => c > 0);
        throw new AppError(
          'CONFLICT',
          `not complete: ${missing.length} rows not embedded (${per
            .slice(0, 8)
            .map(([k, c]) => `shard ${k}: ${c}`)
            .join(', ')}); rerun those tasks, ` + `or merge with --partial`,
        );
      }
      const first = ordered[0];
      const matrix = ws.embeddings(key, first.dim, { modelName: first.modelName, meta: first.meta });
      const total = ws.count();
      let merged = 0;
      for (const s of shards) {
        const miss = new Set(s.missing());
        for (let r = 0; r < s.hi - s.lo; r += BLOCK) {
          const count = Math.min(BLOCK, s.hi - s.lo - r);
          const rows = s.readRows(r, count);
          const idxs: number[] = [];
          const keep = new Float32Array(count * first.dim);
          for (let i = 0; i < count; i++) {
            const idx = s.lo + r + i;
            if (miss.has(idx)) continue;
            keep.set(rows.subarray(i * first.dim, (i + 1) * first.dim), idxs.length * first.dim);
            idxs.push(idx);
          }
          if (idxs.length) matrix.write(idxs, keep.subarray(0, idxs.length * first.dim));
          merged += idxs.length;
          opts.onProgress?.(merged, total);
        }
      }
      if (opts.clean && missing.length === 0) {
        for (const s of shards) s.close();
        rmSync(shardDir(ws.dir, key), { recursive: true, force: true });
      }
      return { modelKey: key, shards: ordered.length, rows: total, merged, missing: missing.length, seconds: (performance.now() - t0) / 1000 };
    } finally {
      for (const s of shards) s.close();
    }
  } finally {
    ws.close();
  }
}
