/**
 * Where a FITS problem happened: the file name (as given by the caller) and
 * the HDU index. Every FITS error message starts with "NAME HDU i: ...".
 */
import { AppError, type ErrorCode } from '../core/errors';

export interface FitsContext {
  /** file name or path used in messages ('<memory>' when none was given) */
  name: string;
  /** strict (default): reject anything that breaks the standard; lenient: repair, record a warning, go on */
  strict: boolean;
  /** warnings collected in lenient mode */
  warnings: string[];
}

export function fitsError(code: ErrorCode, ctx: { name: string }, hdu: number | null, what: string, detail?: unknown): AppError {
  const where = hdu === null ? ctx.name : `${ctx.name} HDU ${hdu}`;
  return new AppError(code, `${where}: ${what}`, { file: ctx.name, ...(hdu === null ? {} : { hdu }), ...(detail === undefined ? {} : { detail }) });
}

/** Strict: throw FITS_CORRUPT. Lenient: record a warning and let the caller repair. */
export function violation(ctx: FitsContext, hdu: number | null, what: string): void {
  if (ctx.strict) throw fitsError('FITS_CORRUPT', ctx, hdu, what);
  ctx.warnings.push(`${hdu === null ? ctx.name : `${ctx.name} HDU ${hdu}`}: ${what}`);
}
