/**
 * Start a worker thread from a TypeScript module. Workers do not inherit the
 * tsx loader hooks of the parent (bin.mjs registers them in the main thread
 * only, vitest transforms in its own way), so a .ts worker starts through
 * bootstrap.mjs, which registers tsx and then imports the module. A .js/.mjs
 * URL starts directly, and so does a .ts URL whose file is absent beside a
 * .js of the same name: the bundled build (electron-vite puts each worker
 * next to the engine host as out/main/NAME.js). The worker reads its own data from
 * `workerData` as usual (an extra `__tsWorkerUrl` key is present).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** a bundled worker (NAME.js) where the source (NAME.ts) is not shipped */
function bundled(url: URL): URL | null {
  if (url.protocol !== 'file:' || existsSync(fileURLToPath(url))) return null;
  const js = new URL(url.href.replace(/\.[mc]?ts$/, '.js'));
  return existsSync(fileURLToPath(js)) ? js : null;
}

export function spawnTsWorker(url: URL, workerData?: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  if (!/\.[mc]?ts$/.test(url.pathname)) return new Worker(url, { ...options, workerData });
  const js = bundled(url);
  if (js) return new Worker(js, { ...options, workerData });
  return new Worker(new URL('./bootstrap.mjs', import.meta.url), {
    ...options,
    workerData: { ...(workerData ?? {}), __tsWorkerUrl: url.href },
  });
}

/** Resolves with the worker's exit code; rejects on an uncaught error in the worker. */
export function workerExit(w: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('exit', resolve);
  });
}
