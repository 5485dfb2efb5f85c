/**
 * Long jobs (demo build, embedding, projection): each runs with a progress
 * callback and an AbortSignal; progress is published as 'job' events at most
 * ~10 times a second, plus every state change. Finished jobs stay listed.
 * Cancelling aborts the signal; a body that then throws CANCELLED or returns
 * (a resumable report) ends the job 'cancelled' (app/core/errors.ts: the
 * cancellation convention).
 */
import { randomUUID } from 'node:crypto';
import { AppError, throwIfCancelled, toErrorData } from '@app/core/errors';
import type { JobInfo, JobKind } from '@app/contracts';
import type { EventBus } from './events';

export type Progress = (done: number, total: number, stage?: string) => void;
export type JobBody = (progress: Progress, signal: AbortSignal) => Promise<void>;

interface Running {
  info: JobInfo;
  ac: AbortController;
  promise: Promise<void>;
}

/** jobs that add objects or embeddings to the workspace: one at a time */
const WORKSPACE_WRITERS: ReadonlySet<JobKind> = new Set<JobKind>(['demo', 'embed', 'ingest']);

export class JobRunner {
  #jobs = new Map<string, Running>();

  constructor(
    private readonly bus: EventBus,
    private readonly keep = 20,
  ) {}

  start(kind: JobKind, label: string, body: JobBody): JobInfo {
    for (const r of this.#jobs.values()) {
      if (r.info.state !== 'running') continue;
      if (r.info.kind === kind) throw new AppError('BUSY', `a ${kind} job is already running: ${r.info.label}`);
      if (WORKSPACE_WRITERS.has(kind) && WORKSPACE_WRITERS.has(r.info.kind)) {
        throw new AppError('BUSY', `wait for '${r.info.label}' to finish (or cancel it) first: both write the workspace`);
      }
    }
    const info: JobInfo = {
      id: randomUUID(),
      kind,
      label,
      state: 'running',
      done: 0,
      total: 0,
      stage: 'starting',
      startedAt: Date.now(),
      endedAt: null,
      error: null,
    };
    const ac = new AbortController();
    let last = 0;
    const progress: Progress = (done, total, stage) => {
      info.done = done;
      info.total = total;
      if (stage) info.stage = stage;
      const now = Date.now();
      if (now - last > 100 || done === total) {
        last = now;
        this.bus.emit({ type: 'job', job: { ...info } });
      }
    };
    const run: Running = { info, ac, promise: Promise.resolve() };
    this.#jobs.set(info.id, run);
    this.bus.emit({ type: 'job', job: { ...info } });
    run.promise = (async () => {
      try {
        await body(progress, ac.signal);
        throwIfCancelled(ac.signal, `${label}: cancelled`);
        info.state = 'done';
        info.stage = 'done';
      } catch (e) {
        const d = toErrorData(e);
        info.state = d.code === 'CANCELLED' || ac.signal.aborted ? 'cancelled' : 'failed';
        info.stage = info.state;
        info.error = info.state === 'failed' ? d : null;
      }
      info.endedAt = Date.now();
      this.bus.emit({ type: 'job', job: { ...info } });
      this.#prune();
    })();
    return { ...info };
  }

  list(): JobInfo[] {
    return [...this.#jobs.values()].map((r) => ({ ...r.info }));
  }

  cancel(id: string): JobInfo {
    const r = this.#jobs.get(id);
    if (!r) throw new AppError('NOT_FOUND', `no job '${id}'`);
    r.ac.abort();
    return { ...r.info };
  }

  /** resolves when the job has ended (tests, shutdown) */
  async wait(id: string): Promise<JobInfo> {
    const r = this.#jobs.get(id);
    if (!r) throw new AppError('NOT_FOUND', `no job '${id}'`);
    await r.promise;
    return { ...r.info };
  }

  async cancelAll(): Promise<void> {
    for (const r of this.#jobs.values()) r.ac.abort();
    await Promise.all([...this.#jobs.values()].map((r) => r.promise));
  }

  #prune(): void {
    const done = [...this.#jobs.values()].filter((r) => r.info.state !== 'running');
    for (const r of done.slice(0, Math.max(0, done.length - this.keep))) this.#jobs.delete(r.info.id);
  }
}
