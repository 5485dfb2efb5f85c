/**
 * The HDF5 fuzz target, in a worker thread so that a hang or a memory
 * blow-up in the WebAssembly HDF5 library can be stopped from outside
 * (tests/fuzz/hdf5-fuzz.ts terminates it). Each message names one file; the
 * worker prepares and imports it into an in-memory IngestSink (the
 * importer's own interface, collecting items) and answers what happened.
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '@app/core/errors';
import { ingestHdf5 } from '@main/node/ingest/hdf5/ingest';
import type { IngestItem, IngestSink } from '@main/node/ingest/sink';

export type WorkerAnswer =
  | { kind: 'ok'; added: number; skipped: number; rssMb: number }
  | { kind: 'error'; code: string; message: string; rssMb: number }
  | { kind: 'crash'; message: string; rssMb: number };

function memorySink(spec: IngestSink['spec']): IngestSink & { items: IngestItem[] } {
  const items: IngestItem[] = [];
  const ids = new Set<string>();
  return {
    spec,
    items,
    has: (id) => ids.has(id),
    check: (it) => (it.cutout.data.length === spec.bands.length * spec.size * spec.size ? null : 'wrong cutout size'),
    add: (batch) => {
      for (const it of batch) {
        if (ids.has(it.object.id)) throw new Error(`duplicate id ${it.object.id} reached the sink`);
        ids.add(it.object.id);
        items.push(it);
      }
      return batch.map((_, i) => items.length - batch.length + i);
    },
  };
}

parentPort!.on('message', async (path: string) => {
  const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  let answer: WorkerAnswer;
  try {
    const run = await ingestHdf5.prepare(path, { chunkRows: 4 });
    const sink = memorySink({ ...run.shape, size: Math.min(run.shape.size, 64) });
    const r = await run.ingest(sink);
    answer = { kind: 'ok', added: r.added, skipped: r.skipped.length, rssMb: rssMb() };
  } catch (e) {
    answer = isAppError(e)
      ? { kind: 'error', code: e.code, message: e.message, rssMb: rssMb() }
      : { kind: 'crash', message: String((e as Error)?.stack ?? e), rssMb: rssMb() };
  }
  parentPort!.postMessage(answer);
});
