import { cancelledError, type AppError } from '@app/core/errors';

/** AppError('CANCELLED') for a request or wait the ingest's AbortSignal ended */
export function cancelled(): AppError {
  return cancelledError('cancelled');
}

/** setTimeout as a promise that rejects with CANCELLED when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
