/**
 * URLs of the Legacy Survey viewer's cutout service
 * (https://www.legacysurvey.org/viewer, documented on legacysurvey.org/viewer/urls):
 *   {base}/cutout.fits?ra=&dec=&layer=ls-dr10&pixscale=0.262&size=64&bands=grz
 *   {base}/cutout.jpg?ra=&dec=&layer=ls-dr10&pixscale=0.262&size=64
 * The service caps size at 3000 pixels; FITS cutouts are float32 cubes
 * (bands × size × size, nanomaggies) with a TAN WCS.
 */
import { AppError } from '@app/core/errors';

export const DEFAULT_BASE_URL = 'https://www.legacysurvey.org/viewer';
export const MAX_SIZE = 3000;
export const NATIVE_PIXSCALE = 0.262;

export interface CutoutParams {
  layer: string;
  /** arcsec / pixel */
  pixscale: number;
  size: number;
  /** band letters, e.g. 'grz' */
  bands: string;
}

export function checkParams(p: CutoutParams): void {
  if (!Number.isInteger(p.size) || p.size < 1 || p.size > MAX_SIZE)
    throw new AppError('BAD_INPUT', `cutout size must be an integer 1..${MAX_SIZE} (the service's limit), got ${p.size}`);
  if (!(p.pixscale > 0)) throw new AppError('BAD_INPUT', `pixscale must be > 0 arcsec/pixel, got ${p.pixscale}`);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(p.layer)) throw new AppError('BAD_INPUT', `layer '${p.layer}' is not a layer name (e.g. ls-dr10)`);
  if (!/^[a-zA-Z0-9]+$/.test(p.bands)) throw new AppError('BAD_INPUT', `bands '${p.bands}' must be band letters such as grz`);
}

/** ra/dec as the URL carries them: 7 decimals (0.36 mas), no exponent. */
export function coordText(x: number): string {
  return String(Number(x.toFixed(7)));
}

export function cutoutUrl(base: string, ra: number, dec: number, p: CutoutParams, kind: 'fits' | 'jpg' = 'fits'): string {
  const q = new URLSearchParams({ ra: coordText(ra), dec: coordText(dec), layer: p.layer, pixscale: String(p.pixscale), size: String(p.size) });
  if (kind === 'fits') q.set('bands', p.bands);
  return `${base.replace(/\/+$/, '')}/cutout.${kind}?${q.toString()}`;
}
