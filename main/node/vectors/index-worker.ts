/**
 * Worker thread entry: builds or extends one model's HNSW index
 * (index/index-service.ts ensureIndex) on its own connection to the
 * workspace, so that the engine's event loop keeps answering the app while
 * a large index is built (ensureIndex's native adds hold a thread for
 * seconds per block). Posts progress, then done or an error as ErrorData.
 * Terminating it mid-build is safe: the index checkpoints survive a kill.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '@app/core/errors';
import { loadEmbeddingView } from '../discovery/embedding-view';
import { ensureIndex } from '../index/index-service';
import { Workspace } from '../workspace';

export type IndexWorkerMessage =
  { type: 'progress'; done: number; total: number } | { type: 'done' } | { type: 'error'; error: ReturnType<typeof toErrorData> };

const { dir, modelKey } = workerData as { dir: string; modelKey: string };
const post = (m: IndexWorkerMessage) => parentPort!.postMessage(m);

// no repair: an ingest of this process may be writing cutouts ahead of its next commit
const ws = Workspace.open(dir, { repair: false });
try {
  const view = loadEmbeddingView(ws, modelKey);
  let last = 0;
  await ensureIndex(ws, view, {
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last > 100 || done === total) {
        last = now;
        post({ type: 'progress', done, total });
      }
    },
  });
  post({ type: 'done' });
} catch (e) {
  post({ type: 'error', error: toErrorData(e) });
} finally {
  ws.close();
}
