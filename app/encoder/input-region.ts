/**
 * Where the model's input lies on the cutout: the preprocess steps'
 * center_crop / resize composed (app/encoder/preprocess conventions:
 * crop offset floor((in - out) / 2) from the array's row 0 = the FITS bottom
 * row; a larger crop pads symmetrically; resize keeps the field of view).
 * As fractions of the cutout, top-left origin (display order), so the
 * patch-token overlay is drawn over the region the tokens describe.
 */
import type { OverlayRegion } from '../contracts';
import type { PreprocessStep } from './manifest';

export function inputRegion(steps: PreprocessStep[], height: number, width: number): OverlayRegion {
  // the current plane in cutout pixels: origin (x0, y0) from the array's row 0, pixel size sx × sy
  let x0 = 0,
    y0 = 0,
    curW = width,
    curH = height,
    sx = 1,
    sy = 1;
  for (const step of steps) {
    if (step.op === 'center_crop') {
      const [h, w] = step.size;
      x0 += Math.floor((curW - w) / 2) * sx;
      y0 += Math.floor((curH - h) / 2) * sy;
      curW = w;
      curH = h;
    } else if (step.op === 'resize') {
      const [h, w] = step.size;
      sx *= curW / w;
      sy *= curH / h;
      curW = w;
      curH = h;
    }
  }
  const regionW = curW * sx,
    regionH = curH * sy;
  return { left: x0 / width, top: (height - (y0 + regionH)) / height, width: regionW / width, height: regionH / height };
}
