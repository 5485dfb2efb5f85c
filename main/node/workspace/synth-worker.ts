/**
 * Worker thread of synth-fill.ts: renders ranges of the synthetic survey and
 * posts back the catalogue rows and one transferable pixel block per range.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '@app/core/errors';
import { resolveOptions, surveyObject, type SurveyOptions } from '@app/synth';

const opts = resolveOptions(workerData.options as SurveyOptions);
const pixels = opts.bands.length * opts.size * opts.size;

parentPort!.on('message', (m: { start: number; end: number }) => {
  try {
    const data = new Float32Array((m.end - m.start) * pixels);
    const objects = [];
    for (let i = m.start; i < m.end; i++) {
      const it = surveyObject(opts, i);
      data.set(it.cutout.data, (i - m.start) * pixels);
      objects.push(it.object);
    }
    parentPort!.postMessage({ start: m.start, end: m.end, objects, data }, [data.buffer]);
  } catch (e) {
    parentPort!.postMessage({ start: m.start, error: toErrorData(e) });
  }
});
