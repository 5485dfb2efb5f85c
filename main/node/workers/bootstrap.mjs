// Worker entry that makes TypeScript sources loadable (tsx) before importing
// the real worker module named in workerData.__tsWorkerUrl. Used by spawn.ts.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__tsWorkerUrl);
