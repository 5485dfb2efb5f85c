/**
 * Decode one image file of a folder import into band planes (band-major,
 * y = 0 the bottom row, as in FITS and app/domain/cutout):
 *   FITS (.fits .fit .fts, tile-compressed .fits.fz, gzipped .fits.gz): the
 *   first HDU with image data; 2-D = one band, 3-D = a cube of bands whose
 *   names come from BANDn / FILTERn cards (else g,r,z for 3 planes);
 *   pixel scale and centre from the WCS when there is one.
 *   PNG / JPEG: 8-bit R, G, B planes, flipped so that the top row of the
 *   picture is the last row of the cutout.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError, isAppError } from '@app/core/errors';
import { formatBytes, LIMITS } from '@app/core/limits';
import { parseWcs, readFits, readImage, type FitsHeader } from '@app/fits';
import { checkPictureSize, jpegHeader, pngHeader } from '@app/image/header';

export type FileKind = 'fits' | 'png' | 'jpeg';

export interface DecodedImage {
  kind: FileKind;
  width: number;
  height: number;
  /** band names of the planes (null = unnamed single plane) */
  bands: (string | null)[];
  data: Float32Array;
  /** arcsec/pixel from the WCS, null when unknown */
  pixscale: number | null;
  /** sky position of the image centre from the WCS */
  centre: [number, number] | null;
  /** BUNIT, lower-case */
  bunit: string | null;
}

const FITS_EXT = /\.(fits|fit|fts)(\.fz|\.gz)?$/i;

export function kindOfName(name: string): FileKind | null {
  if (FITS_EXT.test(name) || /\.fz$/i.test(name)) return 'fits';
  if (/\.png$/i.test(name)) return 'png';
  if (/\.jpe?g$/i.test(name)) return 'jpeg';
  return null;
}

/** File name without directory and image extensions. */
export function stemOf(name: string): string {
  return name.replace(/^.*[\\/]/, '').replace(/\.(fits|fit|fts)(\.fz|\.gz)?$|\.fz$|\.png$|\.jpe?g$/i, '');
}

export const BAND_ORDER = ['u', 'g', 'r', 'i', 'z', 'y', 'w1', 'w2', 'w3', 'w4'];

/** 'DES-G', 'g', 'G', 'decam_g', 'HSC-R' → 'g', 'r'; anything else unchanged, lower-cased. */
export function normaliseBand(raw: string): string {
  const s = raw.trim().toLowerCase();
  const m = /(?:^|[-_ .])([ugrizy]|w[1-4])$/.exec(s) ?? /^([ugrizy])(?:[-_ ]|$)/.exec(s);
  return m ? m[1] : s;
}

function fitsBands(h: FitsHeader, n: number): (string | null)[] {
  const names: (string | null)[] = [];
  for (let k = 0; k < n; k++) {
    const v = h.get(`BAND${k}`) ?? h.get(`BAND${k + 1}`) ?? h.get(`FILTER${k + 1}`);
    names.push(typeof v === 'string' && v.trim() ? normaliseBand(v) : null);
  }
  if (n === 1) {
    const v = h.get('BAND') ?? h.get('FILTER');
    return [typeof v === 'string' && v.trim() ? normaliseBand(v) : names[0]];
  }
  if (names.every((x) => x === null) && n === 3) return ['g', 'r', 'z'];
  return names;
}

/** a .fits.gz may inflate to one decoded-image budget plus its headers, no more */
function gunzipBounded(bytes: Uint8Array, name: string): Uint8Array {
  const max = LIMITS.maxDecodedBytes + 16 * 2880;
  try {
    return gunzipSync(bytes, { maxOutputLength: max });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new AppError('FITS_UNSUPPORTED', `${name}: gzip data inflates to more than ${formatBytes(max)}, over the resource budget`);
    throw new AppError('FITS_CORRUPT', `${name}: gzip data is corrupt (${(e as Error).message})`);
  }
}

function decodeFits(bytes: Uint8Array, name: string): DecodedImage {
  const f = readFits(/\.gz$/i.test(name) ? gunzipBounded(bytes, name) : bytes, { name });
  const hdu = f.hdus.find((h) => (h.kind === 'image' || h.kind === 'compressed') && h.shape.length >= 2 && h.shape.every((d) => d > 0));
  if (!hdu) throw new AppError('FITS_UNSUPPORTED', `${name}: no image HDU with data`);
  const img = readImage(hdu);
  const shape = img.shape.filter((d, i) => !(d === 1 && i < img.shape.length - 2));
  if (shape.length > 3) throw new AppError('FITS_UNSUPPORTED', `${name}: ${shape.length}-D image [${img.shape.join(', ')}], expected 2-D or a 3-D band cube`);
  const [nb, h, w] = shape.length === 2 ? [1, shape[0], shape[1]] : shape;
  let pixscale: number | null = null,
    centre: [number, number] | null = null;
  try {
    const wcs = parseWcs(hdu.header, name);
    pixscale = wcs.pixscale;
    const c = wcs.pixToSky((w - 1) / 2, (h - 1) / 2);
    if (Number.isFinite(c[0]) && Number.isFinite(c[1])) centre = c;
  } catch {
    // no celestial WCS: coordinates must come from the catalogue
  }
  const bunit = hdu.header.get('BUNIT');
  return {
    kind: 'fits',
    width: w,
    height: h,
    bands: fitsBands(hdu.header, nb),
    data: img.data instanceof Float32Array ? img.data : Float32Array.from(img.data),
    pixscale,
    centre,
    bunit: typeof bunit === 'string' ? bunit.trim().toLowerCase() : null,
  };
}

function rgbaToPlanes(rgba: Uint8Array, width: number, height: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let y = 0; y < height; y++) {
    const dst = (height - 1 - y) * width; // top row of the picture → last row of the cutout
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      out[dst + x] = rgba[s];
      out[n + dst + x] = rgba[s + 1];
      out[2 * n + dst + x] = rgba[s + 2];
    }
  }
  return out;
}

export function decodeImageBytes(bytes: Uint8Array, name: string, kind: FileKind): DecodedImage {
  if (bytes.length === 0) throw new AppError(kind === 'fits' ? 'FITS_TRUNCATED' : 'IMAGE_CORRUPT', `${name}: empty file (0 bytes)`);
  try {
    if (kind === 'fits') return decodeFits(bytes, name);
    // the declared size is checked before decoding (pngjs then inflates at most what IHDR declares)
    checkPictureSize(kind === 'png' ? pngHeader(bytes, name) : jpegHeader(bytes, name), name, kind === 'png' ? 'PNG' : 'JPEG', bytes.length);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { width, height, data } =
      kind === 'png'
        ? PNG.sync.read(buf)
        : jpeg.decode(buf, {
            useTArray: true,
            formatAsRGBA: true,
            maxResolutionInMP: LIMITS.maxImagePixels / 3 / 1e6,
            maxMemoryUsageInMB: LIMITS.maxDecodedBytes / 2 ** 20,
          });
    return { kind, width, height, bands: ['R', 'G', 'B'], data: rgbaToPlanes(data, width, height), pixscale: null, centre: null, bunit: null };
  } catch (e) {
    if (isAppError(e)) throw e;
    const msg = String((e as Error)?.message ?? e)
      .split('\n')[0]!
      .slice(0, 200);
    throw new AppError(kind === 'fits' ? 'FITS_CORRUPT' : 'IMAGE_CORRUPT', `${name}: cannot decode ${kind.toUpperCase()} (${msg})`);
  }
}

export function decodeImageFile(path: string, kind: FileKind): DecodedImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new AppError('IO', `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeImageBytes(bytes, path, kind);
}
