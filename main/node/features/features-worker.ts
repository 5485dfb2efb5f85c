/**
 * Worker thread of a morphology-features job (features-job.ts): opens the
 * workspace read-only, and for each task (a run of consecutive object
 * indices) reads the cutouts in one block, computes the feature rows
 * (app/features) and posts them back as one transferable block. The main
 * thread writes them, so only one writer touches the matrix.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '@app/core/errors';
import { MorphologyExtractor } from '@app/features';
import { Workspace } from '../workspace';

const ws = Workspace.open(workerData.workspace as string, { readonly: true });
const spec = ws.manifest.cutout;
const ex = new MorphologyExtractor({ bands: spec.bands, width: spec.size, height: spec.size });

parentPort!.on('message', (m: { start: number; count: number }) => {
  try {
    const block = ws.readCutoutBlock(m.start, m.count);
    const px = block.length / m.count;
    const data = new Float32Array(m.count * ex.dim);
    for (let i = 0; i < m.count; i++) ex.run(block.subarray(i * px, (i + 1) * px), data, i * ex.dim);
    parentPort!.postMessage({ start: m.start, count: m.count, data }, [data.buffer]);
  } catch (e) {
    parentPort!.postMessage({ start: m.start, count: m.count, error: toErrorData(e) });
  }
});
