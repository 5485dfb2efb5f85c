/**
 * Colour quick-looks from the viewer's cutout.jpg (the viewer's own RGB
 * rendering of the layer), cached like the FITS cutouts and checked to be a
 * JPEG, for the inspector and for eyeballing a catalogue before a long download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import { responseCap } from '@app/core/limits';
import { writeFileAtomicAsync } from '../../workspace/atomic-file';
import { BodyRejected, fetchBytes, type FetchPolicy } from '../net/http';
import { checkParams, coordText, cutoutUrl, type CutoutParams } from './urls';

export async function fetchQuickLook(
  base: string,
  ra: number,
  dec: number,
  p: Omit<CutoutParams, 'bands'>,
  cacheDir: string,
  policy: FetchPolicy = {},
): Promise<Uint8Array> {
  const params = { ...p, bands: 'grz' };
  checkParams(params);
  const file = join(cacheDir, p.layer, `jpg_s${p.size}_p${p.pixscale}`, String(Math.floor(ra)), `${coordText(ra)}_${coordText(dec)}.jpg`);
  if (existsSync(file)) return readFileSync(file);
  const url = cutoutUrl(base, ra, dec, params, 'jpg');
  const bytes = await fetchBytes(
    url,
    (b) => {
      if (b.length === 0) throw new BodyRejected(new AppError('FITS_TRUNCATED', `${url}: empty response`), true);
      if (!(b[0] === 0xff && b[1] === 0xd8))
        throw new BodyRejected(
          new AppError('FITS_CORRUPT', `${url}: not a JPEG (the server sent ${b[0] === 0x3c ? 'an HTML page' : 'something else'})`),
          false,
        );
      return b;
    },
    { maxBytes: responseCap(p.size * p.size * 3 * 2), ...policy },
  );
  await writeFileAtomicAsync(file, bytes);
  return bytes;
}
