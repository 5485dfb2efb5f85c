/** Where the overlay grid goes: preprocess center_crop / resize composed into a region of the cutout. */
import { describe, expect, it } from 'vitest';
import { inputRegion } from '@app/encoder/input-region';

describe('inputRegion', () => {
  it('is the whole cutout without crops, and the same after a plain resize', () => {
    expect(inputRegion([], 64, 64)).toEqual({ left: 0, top: 0, width: 1, height: 1 });
    expect(inputRegion([{ op: 'resize', size: [224, 224], method: 'bilinear' }], 64, 64)).toEqual({ left: 0, top: 0, width: 1, height: 1 });
  });

  it('follows the crop offset floor((in - out) / 2) from the FITS bottom row, shown top-down', () => {
    // 65 rows → 32: rows 16..47 from the bottom, i.e. 17 rows above the region in display order
    const r = inputRegion([{ op: 'center_crop', size: [32, 40] }], 65, 64);
    expect(r.left).toBeCloseTo(12 / 64, 12);
    expect(r.width).toBeCloseTo(40 / 64, 12);
    expect(r.top).toBeCloseTo(17 / 65, 12);
    expect(r.height).toBeCloseTo(32 / 65, 12);
  });

  it('composes resize then crop in resized pixels, and a padding crop larger than the image', () => {
    const r = inputRegion(
      [
        { op: 'resize', size: [128, 128], method: 'bilinear' },
        { op: 'center_crop', size: [112, 112] },
      ],
      64,
      64,
    );
    expect(r).toEqual({ left: 4 / 64, top: 4 / 64, width: 56 / 64, height: 56 / 64 });
    const p = inputRegion([{ op: 'center_crop', size: [80, 80] }], 64, 64);
    expect(p).toEqual({ left: -8 / 64, top: -8 / 64, width: 80 / 64, height: 80 / 64 });
  });
});
