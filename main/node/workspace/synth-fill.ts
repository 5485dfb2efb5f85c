/**
 * Fills a workspace with the synthetic survey (app/synth), rendering in
 * worker threads and appending in index order in batches. Resumable: the run
 * (seed, size, target count, first idx) is recorded in kv 'synth' before the
 * first object is written, and objects are deterministic by index, so a rerun
 * continues where a killed one stopped; a larger --count extends the survey.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError, fromErrorData, type ErrorData } from '@app/core/errors';
import type { NewObject } from '@app/domain/object';
import { resolveOptions, type SurveyOptions } from '@app/synth';
import { spawnTsWorker } from '../workers/spawn';
import type { Workspace } from './workspace';

export interface SynthRun {
  seed: number;
  size: number;
  pixscale: number;
  bands: string[];
  /** target number of synthetic objects */
  count: number;
  /** idx of synthetic object 0 (> 0 when appended after other objects) */
  firstIdx: number;
  /** sky patch (app/synth defaults when absent) */
  center?: { ra: number; dec: number };
  radiusDeg?: number;
}

export interface FillOptions {
  count: number;
  seed: number;
  /** sky patch centre and radius (app/synth defaults: ra 150, dec 2.2, 2 degrees) */
  center?: { ra: number; dec: number };
  radiusDeg?: number;
  /** allow adding to a workspace that holds other objects */
  append?: boolean;
  workers?: number;
  /** objects per worker task (default 32) */
  chunk?: number;
  /** objects per workspace transaction (default 256) */
  batch?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface FillResult {
  run: SynthRun;
  added: number;
  total: number;
  resumedFrom: number;
}

/** The run to continue or start in `ws` for these options (records it in kv 'synth'). */
export function planRun(ws: Workspace, o: FillOptions): { run: SynthRun; done: number } {
  const spec = ws.manifest.cutout;
  const want: Omit<SynthRun, 'count' | 'firstIdx'> = {
    seed: o.seed,
    size: spec.size,
    pixscale: spec.pixscale,
    bands: spec.bands,
    ...(o.center ? { center: o.center } : {}),
    ...(o.radiusDeg !== undefined ? { radiusDeg: o.radiusDeg } : {}),
  };
  resolveOptions({ count: o.count, ...want }); // validates size / bands / seed for the generator
  if (spec.unit !== 'nanomaggies') throw new AppError('BAD_INPUT', `${ws.dir} holds '${spec.unit}' cutouts; the synthetic survey is in nanomaggies`);
  const n = ws.count();
  const prev = ws.kv.get<SynthRun>('synth');
  const samePatch = JSON.stringify([prev?.center ?? null, prev?.radiusDeg ?? null]) === JSON.stringify([o.center ?? null, o.radiusDeg ?? null]);
  const same = prev && prev.seed === o.seed && prev.size === spec.size && samePatch && prev.firstIdx <= n;
  if (same) {
    const done = n - prev.firstIdx;
    if (o.count < done)
      throw new AppError('CONFLICT', `${ws.dir} already holds ${done} synthetic objects of seed ${o.seed}; --count ${o.count} would shrink it`);
    const run = { ...prev, count: o.count };
    ws.kv.set('synth', run);
    return { run, done };
  }
  if (n > 0 && !o.append)
    throw new AppError(
      'CONFLICT',
      `${ws.dir} already holds ${n} objects${prev ? ` (synthetic, seed ${prev.seed}${samePatch ? '' : ', another sky patch'})` : ''}; use --append to ` +
        `add a synthetic survey after them`,
    );
  const run: SynthRun = { ...want, count: o.count, firstIdx: n };
  ws.kv.set('synth', run);
  return { run, done: 0 };
}

interface Batch {
  start: number;
  end: number;
  objects?: NewObject[];
  data?: Float32Array;
  error?: ErrorData;
}

export async function fillSynthetic(ws: Workspace, o: FillOptions): Promise<FillResult> {
  const { run, done } = planRun(ws, o);
  const total = run.count;
  const chunk = o.chunk ?? 32;
  const batchSize = o.batch ?? 256;
  const pixels = run.bands.length * run.size * run.size;
  o.onProgress?.(done, total);
  if (done >= total) return { run, added: 0, total, resumedFrom: done };
  const options: SurveyOptions = {
    count: total,
    seed: run.seed,
    size: run.size,
    pixscale: run.pixscale,
    bands: run.bands,
    ...(run.center ? { center: run.center } : {}),
    ...(run.radiusDeg !== undefined ? { radiusDeg: run.radiusDeg } : {}),
  };
  const nWorkers = Math.max(1, Math.min(o.workers ?? Math.min(2, availableParallelism()), Math.ceil((total - done) / chunk)));
  const workers: Worker[] = [];
  const idOf = (id: string) => (run.firstIdx > 0 ? `${id}-s${run.seed}` : id);

  let next = done; // next synthetic index to hand out
  let written = done; // synthetic objects committed
  const ready = new Map<number, Batch>();
  let pending: { objects: NewObject[]; data: Float32Array[] } = { objects: [], data: [] };
  let resolveDone!: () => void, rejectDone!: (e: unknown) => void;
  const finished = new Promise<void>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  let failed = false;
  const fail = (e: unknown) => {
    if (!failed) {
      failed = true;
      rejectDone(e);
    }
  };

  const flush = () => {
    if (!pending.objects.length) return;
    const items = pending.objects.map((object, k) => ({
      object: { ...object, id: idOf(object.id) },
      cutout: { bands: run.bands, width: run.size, height: run.size, pixscale: run.pixscale, unit: 'nanomaggies' as const, data: pending.data[k] },
    }));
    ws.addObjects(items);
    written += items.length;
    pending = { objects: [], data: [] };
    o.onProgress?.(written, total);
  };

  const dispatch = (w: Worker) => {
    if (next >= total || o.signal?.aborted || failed) return;
    const start = next,
      end = Math.min(total, next + chunk);
    next = end;
    w.postMessage({ start, end });
  };

  const onBatch = (w: Worker, b: Batch) => {
    if (failed) return;
    if (b.error) return fail(fromErrorData(b.error));
    ready.set(b.start, b);
    try {
      // append strictly in index order
      for (let s = written + pending.objects.length; ready.has(s);) {
        const r = ready.get(s)!;
        ready.delete(s);
        r.objects!.forEach((obj, k) => {
          pending.objects.push(obj);
          pending.data.push(r.data!.subarray(k * pixels, (k + 1) * pixels));
        });
        s = r.end;
        if (pending.objects.length >= batchSize) flush();
      }
      if (o.signal?.aborted) {
        flush();
        return fail(new AppError('CANCELLED', `cancelled after ${written} of ${total} objects; run the same command again to continue`));
      }
      if (written + pending.objects.length >= total) {
        flush();
        return resolveDone();
      }
      dispatch(w);
    } catch (e) {
      fail(e);
    }
  };

  const onAbort = () => {
    try {
      flush(); // keep the rendered objects already in order
      fail(new AppError('CANCELLED', `cancelled after ${written} of ${total} objects; run the same command again to continue`));
    } catch (e) {
      fail(e);
    }
  };
  try {
    if (o.signal?.aborted) throw new AppError('CANCELLED', 'cancelled before it started');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    for (let k = 0; k < nWorkers; k++) {
      const w = spawnTsWorker(new URL('./synth-worker.ts', import.meta.url), { options });
      w.on('message', (b: Batch) => onBatch(w, b));
      w.on('error', (e) => fail(new AppError('INTERNAL', `synthetic survey worker failed: ${e.message}`)));
      w.on('exit', (code) => {
        if (code !== 0) fail(new AppError('INTERNAL', `synthetic survey worker exited with code ${code}`));
      });
      workers.push(w);
      // two tasks in flight per worker keep it busy while the main thread writes
      dispatch(w);
      dispatch(w);
    }
    await finished;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    for (const w of workers) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
  return { run, added: written - done, total, resumedFrom: done };
}
