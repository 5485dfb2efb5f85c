/**
 * Cutouts on canvases through app/image (Lupton RGB, Legacy Survey RGB,
 * single-band asinh / sqrt / log / linear), and the patch-feature overlay,
 * upsampled smoothly.
 */
import type { CutoutData, PatchOverlay } from '../../../app/contracts';
import { LEGACY_SCALES, renderCutout as renderRGBA, type DisplaySpec } from '../../../app/image';
import type { StretchMode } from '../state/view.svelte';

export interface StretchSettings {
  mode: StretchMode;
  /** band index for single-band modes */
  band: number;
  /** softening (Lupton Q / Legacy Q multiplier) */
  q: number;
  /** brightness multiplier */
  scale: number;
}

export const FIXED_STRETCH: StretchSettings = { mode: 'lupton', band: 1, q: 8, scale: 1 };

/** Lupton linear range for scale 1, in the cutout's flux units (nanomaggies: a bright galaxy core) */
const LUPTON_STRETCH = 0.2;

/** The display spec of app/image for these settings; fixed (not per-cutout) levels for RGB so grids compare fairly. */
export function displaySpec(c: CutoutData, s: StretchSettings): DisplaySpec {
  if (s.mode === 'lupton') return c.bands.length >= 3 ? { mode: 'lupton', Q: s.q, stretch: LUPTON_STRETCH / s.scale } : { mode: 'band', band: c.bands[0], kind: 'asinh' };
  if (s.mode === 'legacy') {
    const scales = Object.fromEntries(Object.entries(LEGACY_SCALES).map(([b, v]) => [b, v * s.scale]));
    return { mode: 'legacy', Q: 20 * (s.q / 8), scales };
  }
  const band = c.bands[Math.min(s.band, c.bands.length - 1)];
  return { mode: 'band', band, kind: s.mode, highPercentile: 100 - 0.5 / s.scale, softening: s.mode === 'asinh' ? 0.8 / s.q : undefined };
}

export function renderCutout(c: CutoutData, s: StretchSettings): ImageData {
  const rgba = renderRGBA(c, displaySpec(c, s));
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, c.width, c.height);
}

/** Draws the overlay's rows x cols RGB grid onto `canvas`, bilinearly upsampled to size x size. */
export function overlayCanvas(canvas: HTMLCanvasElement, o: PatchOverlay, size: number): void {
  const small = document.createElement('canvas');
  small.width = o.cols;
  small.height = o.rows;
  const img = new ImageData(o.cols, o.rows);
  for (let i = 0; i < o.rows * o.cols; i++) {
    img.data[4 * i] = o.rgb[3 * i]; img.data[4 * i + 1] = o.rgb[3 * i + 1]; img.data[4 * i + 2] = o.rgb[3 * i + 2]; img.data[4 * i + 3] = 255;
  }
  small.getContext('2d')!.putImageData(img, 0, 0);
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, size, size);
}
