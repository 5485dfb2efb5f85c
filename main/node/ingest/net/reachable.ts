/**
 * A quick reachability probe of a web service before a download job starts:
 * offline, an import fails in about two seconds with one UNAVAILABLE line
 * instead of retrying every target. Any HTTP answer (even 404) counts as
 * reachable; only network errors and the timeout do not.
 */
import { AppError } from '@app/core/errors';

export async function assertReachable(url: string, what: string, timeoutMs = 2000): Promise<void> {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${(timeoutMs / 1000).toFixed(0)} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message ?? 'network error');
    throw new AppError(
      'UNAVAILABLE',
      `${what} at ${new URL(url).origin} cannot be reached (${why}): check the network connection, or import a folder of cutouts instead`,
    );
  }
}
