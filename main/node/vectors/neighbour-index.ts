/**
 * The active model's HNSW index (index/index-service.ts) as the engine uses it:
 * built or brought up to date by an 'index' job when a workspace is opened
 * and at the end of every embedding job (in a worker thread, index-worker.ts,
 * so the event loop keeps answering), memory-mapped once ready. Until the
 * job has checked the index against the embeddings in this session (missing,
 * out of step, being rebuilt) neighbour queries fall back to the exact scan.
 */
import type { IndexInfo } from '@app/contracts';
import type { EmbeddingView } from '../discovery/embedding-view';
import { AppError, fromErrorData } from '@app/core/errors';
import { indexState, openIndex } from '../index/index-service';
import { spawnTsWorker } from '../workers/spawn';
import type { IndexWorkerMessage } from './index-worker';
import type { VectorIndex } from '../index/vector-index';
import { activeModel, activeView } from './active-view';
import type { EngineContext } from '../session/context';
import type { Progress } from '../session/jobs';

interface Slot {
  /** model keys whose index was verified / built in this session */
  ready: Set<string>;
  building: string | null;
  /** serialises builds (two ensureIndex on one model would race on its files) */
  chain: Promise<unknown>;
}

const slots = new WeakMap<EngineContext, Slot>();

function slot(ctx: EngineContext): Slot {
  let s = slots.get(ctx);
  if (!s) slots.set(ctx, (s = { ready: new Set(), building: null, chain: Promise.resolve() }));
  return s;
}

/** forget what was verified (another workspace was opened) */
export function resetIndexes(ctx: EngineContext): void {
  const s = slot(ctx);
  s.ready.clear();
  s.building = null;
}

/** Builds or extends the active model's index; afterwards neighbour queries use it. */
export async function buildActiveIndex(ctx: EngineContext, progress: Progress, signal: AbortSignal): Promise<void> {
  const s = slot(ctx);
  const run = s.chain.then(async () => {
    const view = activeView(ctx);
    const ws = ctx.ws();
    const tell = () => {
      if (ctx.open === ws) ctx.bus.emit({ type: 'index', model: view.modelKey, index: indexInfo(ctx) });
    };
    s.ready.delete(view.modelKey);
    s.building = view.modelKey;
    ctx.invalidate(`index:${view.modelKey}`);
    tell();
    try {
      await ensureIndexOffThread(ws.dir, view.modelKey, signal, (d, t) => progress(d, t, `HNSW index: ${d} / ${t} vectors`));
      if (ctx.open === ws) s.ready.add(view.modelKey);
    } finally {
      if (s.building === view.modelKey) s.building = null;
      tell();
    }
  });
  s.chain = run.catch(() => undefined);
  await run;
}

/** ensureIndex in a worker thread on its own connection to the workspace; abort terminates it (a killed build resumes) */
function ensureIndexOffThread(dir: string, modelKey: string, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<void> {
  if (signal.aborted) return Promise.reject(new AppError('CANCELLED', 'indexing cancelled'));
  const worker = spawnTsWorker(new URL('./index-worker.ts', import.meta.url), { dir, modelKey });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      finish(() => reject(new AppError('CANCELLED', 'indexing cancelled')));
      void worker.terminate();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: IndexWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.done, m.total);
      else if (m.type === 'done') finish(resolve);
      else finish(() => reject(fromErrorData(m.error)));
    });
    worker.once('error', (e) => finish(() => reject(new AppError('INTERNAL', `index worker failed: ${e.message}`))));
    worker.once('exit', (code) =>
      finish(() => (code === 0 ? resolve() : reject(new AppError('INTERNAL', `index worker exited (code ${code}) without a result`)))),
    );
  });
}

/** the memory-mapped index of the view's model when it is verified and covers every embedded row, else null */
export function readyIndex(ctx: EngineContext, view: EmbeddingView): VectorIndex | null {
  if (!slot(ctx).ready.has(view.modelKey)) return null;
  const index = ctx.cached(`index:${view.modelKey}`, () => openIndex(ctx.ws(), view));
  return index && index.size >= view.doneCount ? index : null;
}

/** the index state reported in WorkspaceInfo */
export function indexInfo(ctx: EngineContext): IndexInfo {
  const model = activeModel(ctx);
  if (!model) return { state: 'none', size: 0 };
  const s = slot(ctx);
  const saved = indexState(ctx.ws(), model);
  const size = saved?.size ?? 0;
  if (s.building === model) return { state: 'building', size };
  if (s.ready.has(model)) return { state: 'ready', size };
  return { state: saved ? 'stale' : 'none', size };
}
