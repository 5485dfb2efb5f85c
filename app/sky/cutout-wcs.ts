/**
 * The celestial WCS of a workspace cutout: a TAN projection centred on the
 * object (its ra/dec at the image centre, FITS pixel ((W+1)/2, (H+1)/2)),
 * north up and east left (CD1_1 = -pixscale, CD2_2 = +pixscale), as the
 * Legacy Survey cutout service and our importers resample them. Built as a
 * FITS header and parsed by app/fits (one home for WCS).
 */
import { FitsHeader, type HeaderCard } from '../fits/header';
import { parseWcs, type Wcs } from '../fits/wcs';

const card = (key: string, value: string | number): HeaderCard => ({ key, value, comment: '', commentary: false, valueText: String(value) });

export function cutoutWcs(ra: number, dec: number, width: number, height: number, pixscaleArcsec: number): Wcs {
  const s = pixscaleArcsec / 3600;
  return parseWcs(
    new FitsHeader([
      card('NAXIS', 2),
      card('NAXIS1', width),
      card('NAXIS2', height),
      card('CTYPE1', 'RA---TAN'),
      card('CTYPE2', 'DEC--TAN'),
      card('CRPIX1', (width + 1) / 2),
      card('CRPIX2', (height + 1) / 2),
      card('CRVAL1', ra),
      card('CRVAL2', dec),
      card('CD1_1', -s),
      card('CD1_2', 0),
      card('CD2_1', 0),
      card('CD2_2', s),
    ]),
    'cutout',
  );
}

/**
 * The cutout pixel under a point of its north-up display: column x from the
 * left, row from the top → FITS-order (0-based) x, y with y = 0 the bottom
 * row, as Cutout.data stores it; null outside the image.
 */
export function displayToPixel(col: number, rowFromTop: number, width: number, height: number): { x: number; y: number } | null {
  const x = Math.floor(col),
    y = height - 1 - Math.floor(rowFromTop);
  return x >= 0 && x < width && y >= 0 && y < height ? { x, y } : null;
}
