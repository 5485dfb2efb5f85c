/**
 * Projections of a model's embeddings to 2-D, cached in the workspace by
 * (model, method, parameters): WS/projections/<key>.f32 holds N × 2 float32
 * (NaN for objects without an embedding), kv 'projections' the metadata.
 * Computed in a worker thread with progress and cancel; a cached result is
 * returned at once unless `force`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '@app/core/errors';
import { hashString } from '@app/core/rng';
import { gatherRows } from '@app/ml/matrix';
import type { EmbeddingView } from '../discovery/embedding-view';
import type { Workspace } from '../workspace';
import { writeFileAtomic } from '../workspace/fsutil';
import { runProjection } from './run-worker';
import type { ProgressFn, ProjectionMethod, ProjectionParams } from './types';

export interface ProjectionMeta {
  key: string;
  model: string;
  method: ProjectionMethod;
  params: ProjectionParams;
  /** objects (rows of the file) */
  n: number;
  /** objects with an embedding, i.e. placed */
  placed: number;
  createdAt: string;
  seconds: number;
  info: Record<string, unknown>;
}

export function projectionKey(model: string, params: ProjectionParams): string {
  return `${model}.${params.method}.${hashString(JSON.stringify(params)).toString(16)}`;
}

function allMeta(ws: Workspace): Record<string, ProjectionMeta> {
  return ws.kv.get<Record<string, ProjectionMeta>>('projections') ?? {};
}

function readXy(ws: Workspace, meta: ProjectionMeta): Float32Array | null {
  const file = ws.path('projections', `${meta.key}.f32`);
  if (!existsSync(file)) return null;
  const buf = readFileSync(file);
  if (buf.byteLength !== meta.n * 8) return null;
  const xy = new Float32Array(meta.n * 2);
  new Uint8Array(xy.buffer).set(buf);
  return xy;
}

/** The newest cached projection of `model` by `method` covering all N objects, or null. */
export function loadProjection(ws: Workspace, model: string, method: ProjectionMethod): { meta: ProjectionMeta; xy: Float32Array } | null {
  const n = ws.count();
  const metas = Object.values(allMeta(ws))
    .filter((m) => m.model === model && m.method === method && m.n === n)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const meta of metas) {
    const xy = readXy(ws, meta);
    if (xy) return { meta, xy };
  }
  return null;
}

export interface ProjectOptions {
  force?: boolean;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export async function computeProjection(
  ws: Workspace,
  view: EmbeddingView,
  params: ProjectionParams,
  opts: ProjectOptions = {},
): Promise<{ meta: ProjectionMeta; xy: Float32Array; cached: boolean }> {
  if (view.doneCount === 0) throw new AppError('NO_EMBEDDINGS', `cannot project 0 objects: model '${view.modelKey}' has no embedded objects in ${ws.dir}`);
  const key = projectionKey(view.modelKey, params);
  const prev = allMeta(ws)[key];
  if (prev && !opts.force && prev.n === view.n && prev.placed === view.doneCount) {
    const xy = readXy(ws, prev);
    if (xy) return { meta: prev, xy, cached: true };
  }
  const t0 = performance.now();
  const rows: number[] = [];
  for (let i = 0; i < view.n; i++) if (view.done[i]) rows.push(i);
  const data = rows.length === view.n ? view.unit : gatherRows(view.unit, view.dim, rows);
  const out = await runProjection(data, view.dim, params, { onProgress: opts.onProgress, signal: opts.signal });
  const xy = new Float32Array(view.n * 2).fill(NaN);
  rows.forEach((i, r) => {
    xy[i * 2] = out.xy[r * 2];
    xy[i * 2 + 1] = out.xy[r * 2 + 1];
  });
  writeFileAtomic(ws.path('projections', `${key}.f32`), new Uint8Array(xy.buffer));
  const meta: ProjectionMeta = {
    key,
    model: view.modelKey,
    method: params.method,
    params,
    n: view.n,
    placed: rows.length,
    createdAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    info: out.info,
  };
  ws.kv.set('projections', { ...allMeta(ws), [key]: meta });
  return { meta, xy, cached: false };
}
