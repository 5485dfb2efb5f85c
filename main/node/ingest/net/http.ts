/**
 * GET a URL into memory with the manners a shared survey service deserves:
 * a per-request timeout, retries with exponential backoff and full jitter
 * on 429 / 5xx / timeouts / connection resets / truncated bodies, honouring
 * Retry-After, a shared rate limiter, and cancel through an AbortSignal.
 * A `check` callback can reject a 200 body (an HTML error page, a truncated
 * FITS); it decides whether that is worth another try.
 */
import { AppError, isAppError } from '../../../../app/core/errors';
import type { RateLimiter } from './rate-limit';
import { cancelled, sleep } from './sleep';

export interface FetchPolicy {
  /** per attempt, ms (default 60 s) */
  timeoutMs?: number;
  /** extra attempts after the first (default 5) */
  retries?: number;
  /** first backoff, ms (default 1000); doubles each retry, full jitter */
  backoffMs?: number;
  /** longest wait between attempts, including Retry-After (default 60 s) */
  maxDelayMs?: number;
  limiter?: RateLimiter;
  signal?: AbortSignal;
  /** random numbers in [0,1) for the jitter (tests pass a seeded one) */
  random?: () => number;
  userAgent?: string;
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** A rejected body: `retry` says whether another attempt may help. */
export class BodyRejected extends Error {
  constructor(readonly error: AppError, readonly retry: boolean) {
    super(error.message);
  }
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504, 520, 522, 524]);

/** Retry-After as ms: delta-seconds or an HTTP date. */
export function retryAfterMs(h: string | null, now = Date.now()): number | null {
  if (!h) return null;
  const s = Number(h.trim());
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(h);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  const code = err?.cause?.code;
  return code ? `${code}${err.cause?.message ? `: ${err.cause.message}` : ''}` : (err?.cause?.message ?? err?.message ?? String(e));
}

export async function fetchBytes<T>(url: string, check: (body: Uint8Array, res: Response) => T, policy: FetchPolicy = {}): Promise<T> {
  const { timeoutMs = 60_000, retries = 5, backoffMs = 1000, maxDelayMs = 60_000, limiter, signal, random = Math.random } = policy;
  let lastReason = '';
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw cancelled();
    await limiter?.take(signal);
    let delay: number | null = null;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const res = await fetch(url, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: { 'user-agent': policy.userAgent ?? 'latent-sky (+https://github.com/latent-sky)' },
      });
      if (res.ok) {
        const body = new Uint8Array(await res.arrayBuffer());
        return check(body, res);
      }
      await res.body?.cancel().catch(() => undefined);
      lastReason = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (!RETRY_STATUS.has(res.status)) throw new AppError('HTTP', `${url}: ${lastReason}`, { status: res.status });
      delay = retryAfterMs(res.headers.get('retry-after'));
      if (delay !== null) limiter?.pause(Math.min(delay, maxDelayMs));
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (e instanceof BodyRejected) {
        if (!e.retry) throw e.error;
        lastReason = e.error.message;
      } else if (isAppError(e)) throw e;
      else lastReason = describe(e);
    }
    if (attempt >= retries) throw new AppError('NETWORK', `${url}: gave up after ${attempt + 1} attempts (${lastReason})`, { attempts: attempt + 1 });
    const backoff = random() * Math.min(maxDelayMs, backoffMs * 2 ** attempt);
    const wait = Math.min(maxDelayMs, delay ?? backoff);
    policy.onRetry?.({ url, attempt: attempt + 1, delayMs: wait, reason: lastReason });
    await sleep(wait, signal);
  }
}
