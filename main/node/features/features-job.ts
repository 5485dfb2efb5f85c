/**
 * The morphology-features job: computes the feature rows (app/features) of
 * every object that has none yet, in worker threads (features-worker.ts, one
 * per core up to `workers`), and writes them to the workspace's feature
 * matrix (workspace/features.ts) in the main thread, each task durably
 * before its rows are marked done. Resumable (it computes what the done
 * bitmap says is missing) and kill -9 safe (the matrix format's guarantee).
 * Cancel: no new tasks start, the ones in flight are written, the report
 * says cancelled.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError, fromErrorData, type ErrorData } from '@app/core/errors';
import { MIN_STAMP } from '@app/features';
import { spawnTsWorker } from '../workers/spawn';
import { Workspace } from '../workspace';

export interface FeaturesJobOptions {
  workspace: string;
  /** worker threads (default min(2, cores)) */
  workers?: number;
  /** objects per task (default 256) */
  chunk?: number;
  /** recompute every row */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface FeaturesReport {
  key: string;
  dim: number;
  total: number;
  /** rows computed by this run */
  computed: number;
  cancelled: boolean;
  seconds: number;
  /** why nothing was computed for this workspace (e.g. stamps too small), absent otherwise */
  unsupported?: string;
}

/** runs of consecutive indices, each at most `chunk` long */
function tasksOf(missing: number[], chunk: number): { start: number; count: number }[] {
  const out: { start: number; count: number }[] = [];
  let i = 0;
  while (i < missing.length) {
    let j = i + 1;
    while (j < missing.length && missing[j] === missing[j - 1] + 1 && j - i < chunk) j++;
    out.push({ start: missing[i], count: j - i });
    i = j;
  }
  return out;
}

export async function runFeaturesJob(o: FeaturesJobOptions): Promise<FeaturesReport> {
  const t0 = performance.now();
  if (o.signal?.aborted) throw new AppError('CANCELLED', 'morphology features cancelled before they started');
  // no repair (workspace.ts): the job may run beside an ingest whose cutouts are ahead of its next commit
  const ws = Workspace.open(o.workspace, { repair: false });
  try {
    const size = ws.manifest.cutout.size;
    if (size < MIN_STAMP) {
      const set = ws.morphologySet();
      return {
        key: set.key,
        dim: set.columns.length,
        total: ws.count(),
        computed: 0,
        cancelled: false,
        seconds: 0,
        unsupported: `morphology features need stamps of at least ` + `${MIN_STAMP}×${MIN_STAMP} pixels; this workspace's are ${size}×${size}`,
      };
    }
    const m = ws.morphology(true)!;
    if (o.force) m.reset();
    const total = ws.count();
    const tasks = tasksOf(m.missing(), o.chunk ?? 256);
    let done = m.doneCount();
    o.onProgress?.(done, total);
    const report = (computed: number, cancelled: boolean): FeaturesReport => ({
      key: m.modelKey,
      dim: m.dim,
      total,
      computed,
      cancelled,
      seconds: (performance.now() - t0) / 1000,
    });
    if (tasks.length === 0) return report(0, false);
    const nWorkers = Math.max(1, Math.min(o.workers ?? Math.min(2, availableParallelism()), tasks.length));
    const workers: Worker[] = [];
    let next = 0,
      inFlight = 0,
      computed = 0;
    let failure: unknown = null;
    await new Promise<void>((resolveAll) => {
      const finish = () => {
        if (inFlight === 0 && (next >= tasks.length || failure || o.signal?.aborted)) resolveAll();
      };
      const dispatch = (w: Worker) => {
        if (next >= tasks.length || failure || o.signal?.aborted) return finish();
        inFlight++;
        w.postMessage(tasks[next++]);
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = spawnTsWorker(new URL('./features-worker.ts', import.meta.url), { workspace: ws.dir });
        w.on('message', (r: { start: number; count: number; data?: Float32Array; error?: ErrorData }) => {
          inFlight--;
          try {
            if (r.error) throw fromErrorData(r.error);
            m.write(
              Int32Array.from({ length: r.count }, (_, i) => r.start + i),
              r.data!,
            );
            computed += r.count;
            done += r.count;
            o.onProgress?.(done, total);
          } catch (e) {
            failure ??= e;
          }
          dispatch(w);
        });
        w.on('error', (e) => {
          failure ??= new AppError('INTERNAL', `morphology worker failed: ${e.message}`);
          inFlight = Math.max(0, inFlight - 1);
          finish();
        });
        workers.push(w);
        dispatch(w);
        dispatch(w);
      }
      o.signal?.addEventListener('abort', finish, { once: true });
    });
    for (const w of workers) await w.terminate();
    if (failure) throw failure;
    return report(computed, Boolean(o.signal?.aborted) && computed < tasks.reduce((s, t) => s + t.count, 0));
  } finally {
    ws.close();
  }
}
