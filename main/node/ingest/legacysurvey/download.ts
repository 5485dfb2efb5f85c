/**
 * Fetch many cutouts from the Legacy Survey cutout service: bounded
 * concurrency, a polite shared rate limit, retries (see net/http.ts), a
 * validated on-disk cache that makes a rerun resume where a killed run
 * stopped, per-object failures that never stop the batch, and progress.
 */
import type { ErrorCode } from '@app/core/errors';
import { isAppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import { responseCap } from '@app/core/limits';
import { removeStaleTemps } from '../../workspace/atomic-file';
import { BodyRejected, fetchBytes, type FetchPolicy } from '../net/http';
import { runPool } from '../net/pool';
import { RateLimiter } from '../net/rate-limit';
import { eta, type ProgressFn } from '../report';
import { CutoutCache } from './cache';
import { checkParams, cutoutUrl, type CutoutParams } from './urls';
import { validateCutoutFits } from './validate';

export interface DownloadOptions extends CutoutParams {
  baseUrl: string;
  /** parallel requests (default 4) */
  concurrency?: number;
  /** request starts per second across all workers (default 8) */
  ratePerSecond?: number;
  cacheDir: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  maxDelayMs?: number;
  /** the most Retry-After may make one object wait in all, ms (FetchPolicy) */
  maxRetryAfterMs?: number;
  /** all attempts and waits for one object, ms (FetchPolicy) */
  deadlineMs?: number;
  signal?: AbortSignal;
  random?: () => number;
  onProgress?: ProgressFn;
  onRetry?: FetchPolicy['onRetry'];
}

export interface Target {
  id: string;
  ra: number;
  dec: number;
}

export type FetchResult = { ok: true; cutout: Cutout; fromCache: boolean } | { ok: false; code: ErrorCode; reason: string };

export interface DownloadTotals {
  fromCache: number;
  downloaded: number;
  failed: number;
}

export async function downloadCutouts(targets: Target[], opts: DownloadOptions, onResult: (i: number, r: FetchResult) => void): Promise<DownloadTotals> {
  checkParams(opts);
  const cache = new CutoutCache(opts.cacheDir, opts);
  removeStaleTemps(cache.dir);
  const bands = opts.bands.split('');
  const limiter = new RateLimiter(opts.ratePerSecond ?? 8);
  const policy: FetchPolicy = {
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    backoffMs: opts.backoffMs,
    maxDelayMs: opts.maxDelayMs,
    limiter,
    signal: opts.signal,
    random: opts.random,
    onRetry: opts.onRetry,
    // a cutout is bands × size² values, float64 at most; anything much bigger is not a cutout
    maxBytes: responseCap(bands.length * opts.size * opts.size * 8),
    maxRetryAfterMs: opts.maxRetryAfterMs,
    deadlineMs: opts.deadlineMs,
  };
  const totals: DownloadTotals = { fromCache: 0, downloaded: 0, failed: 0 };
  const total = targets.length;
  let done = 0,
    fetchedStart = Date.now(),
    fetchedDone = 0;
  const progress = () => {
    const remaining = total - done;
    const e = eta(fetchedDone, fetchedDone + remaining, fetchedStart);
    opts.onProgress?.({ phase: 'downloading', done, total, failed: totals.failed, etaSeconds: remaining === 0 ? 0 : e });
  };
  progress();
  // cached entries first: instant, and they make the ETA honest
  const todo: number[] = [];
  targets.forEach((t, i) => {
    const bytes = cache.read(t.ra, t.dec);
    if (!bytes) return todo.push(i);
    try {
      const cutout = validateCutoutFits(bytes, { bands, size: opts.size, pixscale: opts.pixscale, name: t.id });
      totals.fromCache++;
      done++;
      onResult(i, { ok: true, cutout, fromCache: true });
    } catch {
      cache.drop(t.ra, t.dec);
      todo.push(i);
    }
  });
  fetchedStart = Date.now();
  progress();
  let lastReport = 0;
  await runPool(
    todo.length,
    opts.concurrency ?? 4,
    async (k) => {
      const i = todo[k];
      const t = targets[i];
      const url = cutoutUrl(opts.baseUrl, t.ra, t.dec, opts, 'fits');
      let r: FetchResult;
      try {
        const { cutout, bytes } = await fetchBytes(
          url,
          (body) => {
            const c = validateCutoutFits(body, { bands, size: opts.size, pixscale: opts.pixscale, name: t.id });
            return { cutout: c, bytes: body };
          },
          policy,
        );
        await cache.write(t.ra, t.dec, bytes);
        totals.downloaded++;
        r = { ok: true, cutout, fromCache: false };
      } catch (e) {
        if (isAppError(e) && e.code === 'CANCELLED') throw e;
        const err = e instanceof BodyRejected ? e.error : e;
        totals.failed++;
        r = isAppError(err)
          ? { ok: false, code: err.code, reason: err.message }
          : { ok: false, code: 'INTERNAL', reason: String((err as Error)?.message ?? err) };
      }
      done++;
      fetchedDone++;
      onResult(i, r);
      const now = Date.now();
      if (now - lastReport > 200 || done === total) {
        lastReport = now;
        progress();
      }
    },
    opts.signal,
  );
  progress();
  return totals;
}
