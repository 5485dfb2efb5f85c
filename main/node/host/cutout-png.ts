/**
 * A cutout as a PNG for <img> tags (latent-sky://app/cutout/IDX.png): the
 * Legacy Survey viewer's RGB for g,r,z cutouts, an asinh single-band image
 * otherwise (app/image), encoded with pngjs.
 */
import { PNG } from 'pngjs';
import type { CutoutData } from '../../../app/contracts';
import { renderCutout, type DisplaySpec } from '../../../app/image';

export function displaySpecFor(bands: string[]): DisplaySpec {
  if (['g', 'r', 'z'].every((b) => bands.includes(b))) return { mode: 'legacy' };
  if (bands.length >= 3) return { mode: 'lupton' };
  return { mode: 'band', band: bands[0], kind: 'asinh' };
}

export function cutoutPng(c: CutoutData): Buffer {
  const rgba = renderCutout(c, displaySpecFor(c.bands));
  const png = new PNG({ width: c.width, height: c.height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png);
}
