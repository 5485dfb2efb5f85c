/**
 * The fuzz loop, run in a worker thread so that the harness (tests/fuzz/harness.ts) can stop a hung
 * parser and watch memory: it writes the iteration it is on into shared memory before each execution
 * (so a hang or a memory blow-up is pinned to one input) and posts every non-AppError exception.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '@app/core/errors';
import { generate } from './mutate';
import { TARGETS } from './targets';

interface Job {
  target: string;
  seed: number;
  from: number;
  iterations: number;
  timeMs: number;
  slowMs: number;
  shared: SharedArrayBuffer;
}

const job = workerData as Job & { entry: string };
const t = TARGETS[job.target]!;
const corpus = t.corpus();
const cur = new Int32Array(job.shared);
const t0 = performance.now();
let i = job.from;
for (; i < job.from + job.iterations && performance.now() - t0 < job.timeMs; i++) {
  Atomics.store(cur, 0, i);
  const input = generate(corpus, job.seed, i, t.options);
  const s = performance.now();
  try {
    t.exec(input);
  } catch (e) {
    if (!isAppError(e))
      parentPort!.postMessage({
        kind: 'crash',
        iter: i,
        message: `${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}`.slice(0, 300),
        stack: String((e as Error)?.stack ?? '')
          .split('\n')
          .slice(0, 6)
          .join('\n'),
      });
  }
  const ms = performance.now() - s;
  if (ms > job.slowMs) parentPort!.postMessage({ kind: 'slow', iter: i, message: `took ${ms.toFixed(0)} ms` });
}
parentPort!.postMessage({ kind: 'done', execs: i - job.from });
