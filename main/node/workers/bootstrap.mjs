// Worker entry that makes TypeScript sources loadable (tsx) before importing
// the real worker module named in workerData.__tsWorkerUrl. Used by spawn.ts.
import { workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// the repository's tsconfig (its import aliases), wherever the command is run from
register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import(workerData.__tsWorkerUrl);
