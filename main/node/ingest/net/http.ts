/**
 * GET a URL into memory with the manners a shared survey service deserves,
 * and the caution a server we do not control deserves: a per-attempt
 * timeout, retries with exponential backoff and full jitter on 429 / 5xx /
 * timeouts / connection resets / truncated bodies, Retry-After honoured up
 * to a per-URL total (each wait is also an attempt), a per-URL deadline over all attempts
 * and waits, a shared rate limiter, cancel through an AbortSignal, and one
 * attempt at a time through response.ts (byte cap, bounded decoding,
 * same-origin redirects only). A `check` callback can reject a 200 body (an
 * HTML error page, a corrupt FITS); it decides whether that is worth another
 * try, and anything else it throws is a bad body, never a network failure.
 */
import { AppError, isAppError } from '@app/core/errors';
import { LIMITS } from '@app/core/limits';
import type { RateLimiter } from './rate-limit';
import { getOnce, TransportError, type ResponseInfo } from './response';
import { cancelled, sleep } from './sleep';

export type { ResponseInfo } from './response';

export interface FetchPolicy {
  /** per attempt, ms, headers and body together (default 60 s) */
  timeoutMs?: number;
  /** extra attempts after the first (default 5) */
  retries?: number;
  /** first backoff, ms (default 1000); doubles each retry, full jitter */
  backoffMs?: number;
  /** longest wait between attempts (default 60 s) */
  maxDelayMs?: number;
  /**
   * the most the server's Retry-After answers may make this URL wait in all, ms (default
   * LIMITS.maxRetryAfterMs); an answer asking for more gives the URL up (UNAVAILABLE) at once,
   * without pausing the other downloads
   */
  maxRetryAfterMs?: number;
  /** all attempts and waits for one URL together, ms (default (retries + 1) × timeoutMs) */
  deadlineMs?: number;
  /** most body bytes of one response, on the wire and decoded (default LIMITS.maxResponseBytes) */
  maxBytes?: number;
  /** same-origin redirects followed per attempt (default 5); another origin is always refused */
  maxRedirects?: number;
  limiter?: RateLimiter;
  signal?: AbortSignal;
  /** random numbers in [0,1) for the jitter (tests pass a seeded one) */
  random?: () => number;
  userAgent?: string;
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** A rejected body: `retry` says whether another attempt may help. */
export class BodyRejected extends Error {
  constructor(
    readonly error: AppError,
    readonly retry: boolean,
  ) {
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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  const code = err?.cause?.code ?? err?.code;
  const msg = err?.cause?.message ?? err?.message;
  return code ? `${code}${msg && msg !== code ? `: ${msg}` : ''}` : (msg ?? String(e));
}

export async function fetchBytes<T>(url: string, check: (body: Uint8Array, res: ResponseInfo) => T, policy: FetchPolicy = {}): Promise<T> {
  const { timeoutMs = 60_000, retries = 5, backoffMs = 1000, maxDelayMs = 60_000, limiter, signal, random = Math.random } = policy;
  let waitBudget = policy.maxRetryAfterMs ?? LIMITS.maxRetryAfterMs;
  const maxBytes = Math.min(policy.maxBytes ?? LIMITS.maxResponseBytes, LIMITS.maxResponseBytes);
  const deadline = Date.now() + (policy.deadlineMs ?? (retries + 1) * timeoutMs);
  const attemptOpts = {
    timeoutMs,
    maxBytes,
    maxRedirects: policy.maxRedirects ?? 5,
    userAgent: policy.userAgent ?? 'latent-sky (+https://github.com/latent-sky)',
    signal,
  };
  let lastReason = '';
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw cancelled();
    await limiter?.take(signal);
    let delay: number | null = null;
    try {
      const res = await getOnce(url, { ...attemptOpts, timeoutMs: Math.max(1, Math.min(timeoutMs, deadline - Date.now())) });
      if (res.body) {
        try {
          return check(res.body, res);
        } catch (e) {
          if (e instanceof BodyRejected || isAppError(e)) throw e;
          throw new BodyRejected(new AppError('BAD_INPUT', `${url}: the response body cannot be read (${(e as Error)?.message ?? String(e)})`), false);
        }
      }
      lastReason = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (!RETRY_STATUS.has(res.status)) throw new AppError('HTTP', `${url}: ${lastReason}`, { status: res.status });
      const asked = retryAfterMs(typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null);
      if (asked !== null) {
        const may = Math.min(waitBudget, maxDelayMs);
        if (asked > may)
          throw new AppError(
            'UNAVAILABLE',
            `${url}: ${lastReason}, the server asks to wait ${seconds(asked)} before another try, more than the ${seconds(may)} this ` +
              `object may still wait`,
            { retryAfterMs: asked },
          );
        delay = asked;
        waitBudget -= asked;
        limiter?.pause(asked);
      }
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (e instanceof BodyRejected) {
        if (!e.retry) throw e.error;
        lastReason = e.error.message;
      } else if (e instanceof TransportError) {
        if (!e.retry) throw new AppError(e.code, e.message);
        lastReason = e.message.startsWith(url) ? e.message.slice(url.length + 2) : e.message;
      } else if (isAppError(e)) throw e;
      else lastReason = describe(e);
    }
    const backoff = random() * Math.min(maxDelayMs, backoffMs * 2 ** attempt);
    const wait = Math.min(maxDelayMs, delay ?? backoff);
    if (attempt >= retries) throw new AppError('NETWORK', `${url}: gave up after ${attempt + 1} attempts (${lastReason})`, { attempts: attempt + 1 });
    if (Date.now() + wait >= deadline)
      throw new AppError('NETWORK', `${url}: gave up after ${attempt + 1} attempts, out of time for this object (${lastReason})`, { attempts: attempt + 1 });
    policy.onRetry?.({ url, attempt: attempt + 1, delayMs: wait, reason: lastReason });
    await sleep(wait, signal);
  }
}
