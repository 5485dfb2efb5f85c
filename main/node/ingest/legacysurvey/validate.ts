/**
 * Check a body that claims to be a Legacy Survey FITS cutout before it is
 * accepted: empty, HTML error pages, text, truncated files, wrong shape,
 * and cutouts with no data at all (outside the survey footprint) are
 * rejected with the reason; only an empty body may be retried (a complete
 * HTTP body that is a broken FITS is a bad object).
 */
import { AppError, isAppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import { readFits, readImage } from '@app/fits';
import { BodyRejected } from '../net/http';

function htmlSummary(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, 4096));
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const body = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return body.slice(0, 120);
}

export interface ExpectedCutout {
  bands: string[];
  size: number;
  pixscale: number;
  /** for messages */
  name: string;
}

/** The cutout in a FITS body, or BodyRejected(error, retry). */
export function validateCutoutFits(bytes: Uint8Array, want: ExpectedCutout): Cutout {
  const { name } = want;
  if (bytes.length === 0) throw new BodyRejected(new AppError('FITS_TRUNCATED', `${name}: empty response (0 bytes)`), true);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith('<') || /^<!doctype html/i.test(head))
    throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: the server sent an HTML page instead of FITS ("${htmlSummary(bytes)}")`), false);
  if (!head.startsWith('SIMPLE'))
    throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: not a FITS file (starts with "${head.slice(0, 30).replace(/[^\x20-\x7e]/g, '.')}")`), false);
  let img;
  let header;
  try {
    const f = readFits(bytes, { name });
    header = f.hdus[0].header;
    img = readImage(f.hdus[0]);
  } catch (e) {
    // the HTTP body arrived whole (response.ts checks Content-Length), so a short or broken FITS is the
    // server's file, not the network's: a bad object, not worth another request
    if (isAppError(e)) throw new BodyRejected(e, false);
    throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: the FITS body cannot be read (${(e as Error)?.message ?? String(e)})`), false);
  }
  const n = want.bands.length,
    s = want.size;
  const shape = img.shape;
  const ok = (n === 1 && shape.length === 2 && shape[0] === s && shape[1] === s) || (shape.length === 3 && shape[0] === n && shape[1] === s && shape[2] === s);
  if (!ok) throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: image shape [${shape.join(', ')}], expected [${n}, ${s}, ${s}]`), false);
  // band order from BANDn cards when the service wrote them
  const order = want.bands.map((b, i) => {
    for (let k = 0; k < n; k++) if (String(header.get(`BAND${k}`) ?? '').trim() === b) return k;
    return i;
  });
  const plane = s * s;
  const data = new Float32Array(n * plane);
  order.forEach((k, i) => data.set(img.data.subarray(k * plane, (k + 1) * plane), i * plane));
  let any = false;
  for (let i = 0; i < data.length; i++)
    if (data[i] !== 0 && !Number.isNaN(data[i])) {
      any = true;
      break;
    }
  if (!any) throw new BodyRejected(new AppError('NOT_FOUND', `${name}: the cutout has no data (outside the survey footprint?)`), false);
  return { bands: [...want.bands], width: s, height: s, pixscale: want.pixscale, unit: 'nanomaggies', data };
}
