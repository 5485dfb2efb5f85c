/**
 * Cutouts on canvases through app/image (Legacy Survey RGB by default,
 * Lupton RGB, single-band asinh / sqrt / log / linear with a sky-based black
 * point), and the patch-feature overlay, upsampled smoothly. Legacy mapping
 * needs g, r, z: other band sets fall back to Lupton.
 */
import type { CutoutData, PatchOverlay } from '@app/contracts';
import { renderCutout as renderRGBA } from '@app/image';
import { displaySpec, type StretchSettings } from './stretch-spec';

export { displaySpec, FIXED_STRETCH, sameStretch, STRETCH_PRESETS, type StretchSettings } from './stretch-spec';

export function renderCutout(c: CutoutData, s: StretchSettings): ImageData {
  const rgba = renderRGBA(c, displaySpec(c, s));
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, c.width, c.height);
}

/**
 * Fetches cutout `idx` and paints it with stretch `s` onto the canvas `target()` returns when it
 * arrives; returns a cancel function (an $effect's cleanup) so a late answer for an older object
 * or stretch never overwrites a newer one.
 */
export function paintCutout(
  get: (idx: number) => Promise<CutoutData>,
  idx: number,
  s: StretchSettings,
  target: () => HTMLCanvasElement | null | undefined,
  onError: (e: unknown) => void,
): () => void {
  let live = true;
  get(idx).then((c) => {
    const canvas = target();
    if (!live || !canvas) return;
    const img = renderCutout(c, s);
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.putImageData(img, 0, 0);
  }, onError);
  return () => {
    live = false;
  };
}

/** Draws the overlay's rows x cols RGB grid onto `canvas`, upsampled to size x size: smoothly, or as the true token grid (nearest). */
export function overlayCanvas(canvas: HTMLCanvasElement, o: PatchOverlay, size: number, smooth = true): void {
  const small = document.createElement('canvas');
  small.width = o.cols;
  small.height = o.rows;
  const img = new ImageData(o.cols, o.rows);
  for (let i = 0; i < o.rows * o.cols; i++) {
    img.data[4 * i] = o.rgb[3 * i];
    img.data[4 * i + 1] = o.rgb[3 * i + 1];
    img.data[4 * i + 2] = o.rgb[3 * i + 2];
    img.data[4 * i + 3] = 255;
  }
  small.getContext('2d')!.putImageData(img, 0, 0);
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = smooth;
  if (smooth) ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, size, size);
}
