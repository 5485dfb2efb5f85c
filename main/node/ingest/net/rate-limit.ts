/** A polite request pacer: at most `perSecond` request starts per second, shared by all workers. */
import { AppError } from '@app/core/errors';
import { sleep } from './sleep';

export class RateLimiter {
  private next = 0;
  private readonly gapMs: number;

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new AppError('BAD_INPUT', `rate limit must be > 0 requests/s, got ${perSecond}`);
    this.gapMs = Number.isFinite(perSecond) ? 1000 / perSecond : 0;
  }

  /** Resolves when the caller may start a request. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.gapMs === 0) return;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    if (at > now) await sleep(at - now, signal);
  }

  /** Push every caller back (a server asked us to slow down with Retry-After). */
  pause(ms: number): void {
    this.next = Math.max(this.next, Date.now() + ms);
  }
}
