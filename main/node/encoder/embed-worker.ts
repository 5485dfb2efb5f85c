/**
 * Worker thread of an embedding job (started by embed-job.ts). It owns the
 * whole pipeline so the main thread (Electron main process / CLI progress)
 * stays free: it opens the workspace and the encoder, reads the cutouts of
 * the objects still missing in blocks, preprocesses batch k+1 while ONNX
 * Runtime (its own thread pool, async run) encodes batch k, and writes each
 * batch durably (the workspace marks rows done only after their fsync).
 * Resuming = encoding what the done bitmap says is missing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, toErrorData } from '@app/core/errors';
import { EmbedPipeline, type EmbedWorkerInput } from './embed-pipeline';
import type { WorkerMessage } from './embed-messages';

const input = workerData as EmbedWorkerInput;
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

const ac = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m?.type === 'cancel') ac.abort();
});

try {
  const pipeline = await EmbedPipeline.open(input);
  post({ type: 'started', info: pipeline.startInfo() });
  const report = await pipeline.run(ac.signal, (p) => post({ type: 'progress', progress: p }));
  post({ type: 'finished', report });
} catch (e) {
  post({ type: 'failed', error: e instanceof AppError ? e.toJSON() : toErrorData(e) });
} finally {
  port.close();
}
