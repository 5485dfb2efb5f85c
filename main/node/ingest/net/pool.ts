/** Run `worker(i)` for i in 0..n-1 with at most `concurrency` in flight; stops starting new work on abort. */
import { cancelled } from './sleep';

export async function runPool(n: number, concurrency: number, worker: (i: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && !signal?.aborted) {
      const i = next++;
      if (i >= n) return;
      try {
        await worker(i);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, lane));
  if (failure !== null) throw failure;
  if (signal?.aborted) throw cancelled();
}
