/**
 * Runs a projection off the main thread. The embedding rows are shared with
 * the worker (copied once into a SharedArrayBuffer unless they already live
 * in one). Abort terminates the worker at once.
 */
import { AppError, fromErrorData } from '@app/core/errors';
import { spawnTsWorker } from '../workers/spawn';
import type { WorkerMessage } from './projection-worker';
import type { ProgressFn, ProjectionParams } from './types';

export interface ProjectionOutput {
  xy: Float32Array;
  info: Record<string, unknown>;
}

function shared(rows: Float32Array): SharedArrayBuffer {
  if (rows.buffer instanceof SharedArrayBuffer && rows.byteOffset === 0 && rows.byteLength === rows.buffer.byteLength) return rows.buffer;
  const sab = new SharedArrayBuffer(rows.byteLength);
  new Float32Array(sab).set(rows);
  return sab;
}

export function runProjection(
  rows: Float32Array,
  dim: number,
  params: ProjectionParams,
  opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<ProjectionOutput> {
  if (opts.signal?.aborted) return Promise.reject(new AppError('CANCELLED', `${params.method} projection cancelled`));
  const worker = spawnTsWorker(new URL('./projection-worker.ts', import.meta.url), { rows: shared(rows), dim, params });
  return new Promise<ProjectionOutput>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      finish(() => reject(new AppError('CANCELLED', `${params.method} projection cancelled`)));
      void worker.terminate();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve({ xy: m.xy, info: m.info }));
      else finish(() => reject(fromErrorData(m.error)));
      if (m.type !== 'progress') void worker.terminate();
    });
    worker.once('error', (e) => finish(() => reject(new AppError('INTERNAL', `projection worker failed: ${e.message}`))));
    worker.once('exit', (code) => finish(() => reject(new AppError('INTERNAL', `projection worker exited (code ${code}) without a result`))));
  });
}
