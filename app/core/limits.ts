/**
 * The resource budget: one policy for every decoder (FITS images and compressed tiles, PNG/JPEG,
 * VOTable, CSV, HDF5) and the downloader, so that no single input — a file on disk or a response from
 * a server — can take more memory or time than a person would expect from one cutout, row or table.
 * A decoder checks the sizes an input *declares* against these numbers before it allocates, and
 * refuses with one line naming the input and the limit (`overBudget`). The README's "Resource budget"
 * section states the same numbers.
 */
import { AppError, type ErrorCode } from './errors';

export interface Limits {
  /** pixels in one decoded image (all planes together): 64 Mpx = 256 MB as float32 */
  maxImagePixels: number;
  /** bytes one decoded image, tile or dataset may occupy */
  maxDecodedBytes: number;
  /** bytes of one HTTP response body (a cutout or a brick); the downloader derives smaller caps per request */
  maxResponseBytes: number;
  /** characters in one catalogue field (CSV cell, VOTable TD) */
  maxFieldChars: number;
  /** rows × columns cells one table may declare */
  maxTableCells: number;
  /** nesting depth of an XML document */
  maxXmlDepth: number;
  /** bytes of one catalogue or header file read whole */
  maxTextBytes: number;
  /** bytes a response may carry beyond the payload a request expects (FITS headers, padding, extra HDUs) */
  responseSlackBytes: number;
  /** the most a server's Retry-After answers can make one object wait in all, ms (each wait is also one of its attempts); asking for more gives the object up */
  maxRetryAfterMs: number;
  /** cards in one FITS header (each 80 bytes; 100 000 = 8 MB of header) */
  maxHeaderCards: number;
  /** HDUs in one FITS file */
  maxHdus: number;
  /** pixels in one compressed tile (its decode buffers come on top of the image's) */
  maxTilePixels: number;
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  maxImagePixels: 64 * 1024 * 1024,
  maxDecodedBytes: 512 * 1024 * 1024,
  maxResponseBytes: 256 * 1024 * 1024,
  maxFieldChars: 1024 * 1024,
  maxTableCells: 2_000_000_000,
  maxXmlDepth: 256,
  maxTextBytes: 1024 * 1024 * 1024,
  responseSlackBytes: 1024 * 1024,
  maxRetryAfterMs: 30_000,
  maxHeaderCards: 100_000,
  maxHdus: 10_000,
  maxTilePixels: 16 * 1024 * 1024,
});

/**
 * The byte cap of one response that should carry `payloadBytes` (a cutout of
 * bands × size² float64 values at most, a brick image, a JPEG): the payload
 * plus `responseSlackBytes`, never more than `maxResponseBytes`.
 */
export function responseCap(payloadBytes: number): number {
  return Math.min(LIMITS.maxResponseBytes, Math.ceil(Math.max(0, payloadBytes)) + LIMITS.responseSlackBytes);
}

/** human size: 1.5 GB, 256 MB, 12 kB */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/**
 * Throws `code` (BAD_INPUT unless a format code is given) when `amount` exceeds `limit`:
 * "<what>: declares 16000×16000 px (256 Mpx), over the 64 Mpx limit".
 */
export function checkBudget(
  what: string,
  amount: number,
  limit: number,
  unit: 'bytes' | 'pixels' | 'chars' | 'cells' | 'levels',
  code: ErrorCode = 'BAD_INPUT',
): void {
  if (Number.isFinite(amount) && amount >= 0 && amount <= limit) return;
  const show = (v: number) => (unit === 'bytes' ? formatBytes(v) : unit === 'pixels' ? `${(v / 2 ** 20).toFixed(v < 2 ** 20 ? 2 : 0)} Mpx` : `${v} ${unit}`);
  throw new AppError(code, `${what}: ${Number.isFinite(amount) && amount >= 0 ? show(amount) : String(amount)}, over the ${show(limit)} limit`, {
    amount,
    limit,
    unit,
  });
}
