import { AppError } from '../../../../app/core/errors';

export function cancelled(): AppError {
  return new AppError('CANCELLED', 'cancelled');
}

/** setTimeout as a promise that rejects with CANCELLED when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(cancelled()); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
