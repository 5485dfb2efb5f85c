/**
 * Legacy Survey coadd bricks (0.25° × 0.25°, 3600 × 3600 pixels at
 * 0.262"/px): the survey-bricks table (BRICKNAME, RA1, RA2, DEC1, DEC2)
 * finds the brick of each object, and the brick images
 *   {coadd}/coadd/{BBB}/{BRICK}/legacysurvey-{BRICK}-image-{band}.fits.fz
 *   {coadd}/tractor/{BBB}/tractor-{BRICK}.fits   (the Tractor catalogue)
 * (BBB = the first three characters of the brick name) are downloaded once
 * per brick; stamps are cut locally with each image's WCS.
 */
import { gunzipSync } from 'node:zlib';
import { AppError } from '@app/core/errors';
import { parseWcs, readFits, readImage, type Wcs } from '@app/fits';
import { findColumn, columnAsFloat64, cellText } from '@app/tables/table';
import { readCatalogBytes } from '../catalog-file';
import { BodyRejected } from '../net/http';

export function brickImageUrl(coadd: string, brick: string, band: string): string {
  return `${coadd.replace(/\/+$/, '')}/coadd/${brick.slice(0, 3)}/${brick}/legacysurvey-${brick}-image-${band}.fits.fz`;
}

export function tractorUrl(coadd: string, brick: string): string {
  return `${coadd.replace(/\/+$/, '')}/tractor/${brick.slice(0, 3)}/tractor-${brick}.fits`;
}

export class BrickIndex {
  private readonly rows: { dec1: number; dec2: number; bricks: { name: string; ra1: number; ra2: number }[] }[] = [];

  /** from the bytes of survey-bricks.fits(.gz) */
  constructor(bytes: Uint8Array, name = 'survey-bricks') {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const t = readCatalogBytes(raw, name);
    const col = (n: string) => {
      const c = findColumn(t, n);
      if (!c) throw new AppError('BAD_INPUT', `${name}: no ${n} column (a survey-bricks table has BRICKNAME, RA1, RA2, DEC1, DEC2)`);
      return c;
    };
    const names = col('BRICKNAME'),
      ra1 = columnAsFloat64(col('RA1')),
      ra2 = columnAsFloat64(col('RA2'));
    const dec1 = columnAsFloat64(col('DEC1')),
      dec2 = columnAsFloat64(col('DEC2'));
    const byRow = new Map<number, (typeof this.rows)[number]>();
    for (let i = 0; i < t.nrows; i++) {
      const key = Math.round(dec1[i] * 1e6);
      let r = byRow.get(key);
      if (!r) {
        r = { dec1: dec1[i], dec2: dec2[i], bricks: [] };
        byRow.set(key, r);
      }
      r.bricks.push({ name: cellText(names, i).trim(), ra1: ra1[i], ra2: ra2[i] });
    }
    this.rows = [...byRow.values()].sort((a, b) => a.dec1 - b.dec1);
    for (const r of this.rows) r.bricks.sort((a, b) => a.ra1 - b.ra1);
  }

  /** the brick whose (unique) area contains the position, or null */
  find(ra: number, dec: number): string | null {
    let lo = 0,
      hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1,
        r = this.rows[mid];
      if (dec < r.dec1) hi = mid - 1;
      else if (dec >= r.dec2 && !(r.dec2 >= 90 && dec === 90)) lo = mid + 1;
      else {
        let a = 0,
          b = r.bricks.length - 1;
        while (a <= b) {
          const m = (a + b) >> 1,
            k = r.bricks[m];
          if (ra < k.ra1) b = m - 1;
          else if (ra >= k.ra2) a = m + 1;
          else return k.name;
        }
        return null;
      }
    }
    return null;
  }
}

export interface BrickImage {
  width: number;
  height: number;
  data: Float32Array;
  wcs: Wcs;
}

/** Decode and check one brick band image (tile-compressed or plain FITS). */
export function decodeBrickImage(bytes: Uint8Array, name: string): BrickImage {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).trimStart();
  if (head.startsWith('<')) throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: the server sent an HTML page instead of FITS`), false);
  let f;
  try {
    f = readFits(bytes, { name });
  } catch (e) {
    throw new BodyRejected(
      e instanceof AppError ? e : new AppError('FITS_CORRUPT', `${name}: the FITS body cannot be read ` + `(${(e as Error)?.message ?? String(e)})`),
      false,
    );
  }
  const hdu = f.hdus.find((h) => (h.kind === 'compressed' || h.kind === 'image') && h.shape.length === 2);
  if (!hdu) throw new BodyRejected(new AppError('FITS_CORRUPT', `${name}: no 2-D image HDU`), false);
  const img = readImage(hdu);
  return {
    height: img.shape[0],
    width: img.shape[1],
    data: img.data instanceof Float32Array ? img.data : Float32Array.from(img.data),
    wcs: parseWcs(hdu.header, name),
  };
}

/** A side × side stamp centred on (ra, dec), nearest-pixel centring, NaN outside the image; null if entirely outside. */
export function cutStamp(img: BrickImage, ra: number, dec: number, side: number): Float32Array | null {
  const [x, y] = img.wcs.skyToPix(ra, dec);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const x0 = Math.round(x - (side - 1) / 2),
    y0 = Math.round(y - (side - 1) / 2);
  if (x0 + side <= 0 || y0 + side <= 0 || x0 >= img.width || y0 >= img.height) return null;
  const out = new Float32Array(side * side).fill(NaN);
  for (let j = 0; j < side; j++) {
    const sy = y0 + j;
    if (sy < 0 || sy >= img.height) continue;
    for (let i = 0; i < side; i++) {
      const sx = x0 + i;
      if (sx >= 0 && sx < img.width) out[j * side + i] = img.data[sy * img.width + sx];
    }
  }
  return out;
}
