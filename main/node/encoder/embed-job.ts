/**
 * An embedding job as seen from the main thread: starts the worker
 * (embed-worker.ts), turns its counts into progress with a rate and an ETA,
 * forwards cancellation (AbortSignal → the worker stops after the batch in
 * flight, whose rows are still written), and returns the report.
 *
 * Why one worker owning session + preprocessing + I/O: the Electron main
 * process must never block on preprocessing (JS, CPU-bound) or fsync; the
 * worker overlaps preprocessing of the next batch with ONNX Runtime's
 * asynchronous run of the current one (ORT computes on its own threads), so
 * no second worker or transfer of pixel buffers between threads is needed.
 */
import { AppError, fromErrorData } from '@app/core/errors';
import { spawnTsWorker } from '../workers/spawn';
import type { EmbedCounts, EmbedRunResult, EmbedStartInfo, WorkerMessage } from './embed-messages';
import type { EmbedWorkerInput } from './embed-pipeline';
import { parseProviders } from './providers';

export interface EmbedProgress extends EmbedCounts {
  /** images per second encoded by this run so far */
  rate: number;
  /** seconds left at the current rate, null before the first batch */
  etaSeconds: number | null;
}

export interface EmbedJobOptions {
  workspace: string;
  /** model folder (resolve names with models/registry resolveModel) */
  model: string;
  /** preference order, e.g. 'cuda,cpu'; default: the platform's order */
  providers?: string | string[];
  batch?: number;
  /** ONNX Runtime intra-op threads; 0 = one per core */
  threads?: number;
  force?: boolean;
  /** embed only shard k of n (cluster array tasks); see main/node/cluster */
  shard?: { k: number; n: number };
  signal?: AbortSignal;
  onStart?(info: EmbedStartInfo): void;
  onProgress?(p: EmbedProgress): void;
}

export interface EmbedReport extends EmbedRunResult {
  info: EmbedStartInfo;
  /** images per second over this run */
  rate: number;
}

export const DEFAULT_BATCH = 32;

export function runEmbedJob(opts: EmbedJobOptions): Promise<EmbedReport> {
  const input: EmbedWorkerInput = {
    workspace: opts.workspace,
    model: opts.model,
    providers: opts.providers === undefined ? undefined : parseProviders(opts.providers),
    batch: opts.batch ?? DEFAULT_BATCH,
    threads: opts.threads ?? 0,
    force: Boolean(opts.force),
    ...(opts.shard ? { shard: opts.shard } : {}),
  };
  if (!Number.isInteger(input.batch) || input.batch < 1) throw new AppError('BAD_INPUT', `batch size must be a positive integer, got ${input.batch}`);
  if (opts.signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'embedding cancelled before it started'));
  const worker = spawnTsWorker(new URL('./embed-worker.ts', import.meta.url), input as unknown as Record<string, unknown>);
  return new Promise<EmbedReport>((resolvePromise, reject) => {
    let info: EmbedStartInfo | null = null;
    let settled = false;
    let t0 = 0;
    const onAbort = () => worker.postMessage({ type: 'cancel' });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      f();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'started') {
        info = m.info;
        t0 = performance.now();
        opts.onStart?.(m.info);
      } else if (m.type === 'progress') {
        const secs = (performance.now() - t0) / 1000;
        const rate = secs > 0 ? m.progress.encoded / secs : 0;
        const left = (info?.toDo ?? 0) - m.progress.encoded - m.progress.skipped;
        opts.onProgress?.({ ...m.progress, rate, etaSeconds: rate > 0 ? left / rate : null });
      } else if (m.type === 'finished') {
        const r = m.report;
        settle(() => resolvePromise({ ...r, info: info!, rate: r.seconds > 0 ? r.encoded / r.seconds : 0 }));
      } else if (m.type === 'failed') {
        settle(() => reject(fromErrorData(m.error)));
      }
    });
    worker.once('error', (e) => settle(() => reject(new AppError('INTERNAL', `embedding worker crashed: ${e.message}`))));
    worker.once('exit', (code) => settle(() => reject(new AppError('INTERNAL', `embedding worker exited (code ${code}) without a report`))));
  });
}
