/**
 * Worker thread entry: computes one projection on rows shared with the
 * parent (SharedArrayBuffer, no copy) and posts progress, then the N×2
 * result (transferred) or an error as ErrorData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '@app/core/errors';
import { pca2d } from './pca2d';
import type { ProjectionParams, ProjectionProgress } from './types';
import { umap2d } from './umap2d';

export type WorkerMessage =
  | { type: 'progress'; progress: ProjectionProgress }
  | { type: 'done'; xy: Float32Array; info: Record<string, unknown> }
  | { type: 'error'; error: ReturnType<typeof toErrorData> };

const { rows, dim, params } = workerData as { rows: SharedArrayBuffer; dim: number; params: ProjectionParams };
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
const onProgress = (progress: ProjectionProgress) => post({ type: 'progress', progress });

try {
  const data = new Float32Array(rows);
  if (params.method === 'pca') {
    const r = pca2d(data, dim, params, onProgress);
    post({ type: 'done', xy: r.xy, info: { explainedVarianceRatio: r.explainedVarianceRatio } }, [r.xy.buffer as ArrayBuffer]);
  } else {
    const r = umap2d(data, dim, params, onProgress);
    post({ type: 'done', xy: r.xy, info: { fitted: r.fitted } }, [r.xy.buffer as ArrayBuffer]);
  }
} catch (e) {
  post({ type: 'error', error: toErrorData(e) });
}
