/**
 * readImage: decodes an image HDU (plain or tile-compressed) into physical
 * values: BZERO + BSCALE × stored value, with BLANK pixels of integer images
 * as NaN. BITPIX 8, 16 and -32 give Float32Array (as astropy gives float32);
 * 32, 64 and -64 give Float64Array, which holds 32-bit integers exactly.
 */
import { checkBudget, LIMITS } from '../core/limits';
import { fitsError } from './context';
import { decompressImage } from './compressed';
import { decodeBE } from './endian';
import type { Hdu } from './read';
import { applyScaling, imageScaling, outputArray } from './scaling';

export interface ImageData {
  /** astropy order, slowest axis first: data[(z * ny + y) * nx + x] for shape [nz, ny, nx] */
  shape: number[];
  data: Float32Array | Float64Array;
}

export function readImage(hdu: Hdu): ImageData {
  const ctx = { name: hdu.fileName };
  if (hdu.truncated) throw fitsError('FITS_TRUNCATED', ctx, hdu.index, 'file ends inside the data unit');
  if (hdu.kind === 'compressed') return decompressImage(hdu);
  if (hdu.kind === 'empty') return { shape: hdu.shape, data: new Float32Array(0) };
  if (hdu.kind !== 'image') throw fitsError('BAD_INPUT', ctx, hdu.index, `is a ${hdu.kind.replace('_', ' ')} HDU, not an image`);
  const n = hdu.shape.reduce((a, b) => a * b, 1);
  const where = `${hdu.fileName} HDU ${hdu.index}`;
  checkBudget(`${where}: the image declares ${[...hdu.shape].reverse().join('×')} pixels`, n, LIMITS.maxImagePixels, 'pixels', 'FITS_UNSUPPORTED');
  checkBudget(
    `${where}: the decoded image needs`,
    n * (hdu.bitpix === 8 || hdu.bitpix === 16 || hdu.bitpix === -32 ? 4 : 8),
    LIMITS.maxDecodedBytes,
    'bytes',
    'FITS_UNSUPPORTED',
  );
  const need = n * (Math.abs(hdu.bitpix) / 8);
  if (hdu.raw.length < need)
    throw fitsError('FITS_CORRUPT', ctx, hdu.index, `data unit holds ${hdu.raw.length} bytes, the image needs ${need} (PCOUNT/GCOUNT)`);
  const raw = decodeBE(hdu.raw, hdu.bitpix, n);
  const s = imageScaling(hdu.header);
  if ((hdu.bitpix === -32 || hdu.bitpix === -64) && s.scale === 1 && s.zero === 0) {
    return { shape: hdu.shape, data: raw as Float32Array | Float64Array };
  }
  const out = outputArray(hdu.bitpix, n);
  applyScaling(raw, out, s, hdu.bitpix > 0);
  return { shape: hdu.shape, data: out };
}
