// Worker bootstrap: lets a worker thread load the TypeScript fuzz worker (tests/fuzz/worker.ts) through tsx.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
