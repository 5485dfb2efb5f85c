/** Range filters on catalogue columns (app/tables/range-mask.ts), the mask every view of the app filters with. */
import { describe, expect, it } from 'vitest';
import { maskCount, rangeMask } from '@app/tables/range-mask';

describe('range filters', () => {
  const mag = Float32Array.from([18, 19.5, NaN, 21, 22.5, 20]);
  const z = Float64Array.from([0.1, 0.5, 0.3, 0.05, 0.9, 0.4]);

  it('passes the objects inside every range, inclusive, and never NaN', () => {
    const m = rangeMask(6, [{ column: 'mag_r', min: 19.5, max: 21 }], { mag_r: mag })!;
    expect(Array.from(m)).toEqual([0, 1, 0, 1, 0, 1]);
    const both = rangeMask(
      6,
      [
        { column: 'mag_r', min: 19.5, max: 21 },
        { column: 'z', min: 0.2, max: 1 },
      ],
      { mag_r: mag, z },
    )!;
    expect(Array.from(both)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(maskCount(both, 6)).toBe(2);
  });

  it('is null (everything shown) without a filter or before its column is loaded', () => {
    expect(rangeMask(6, [], { mag_r: mag })).toBeNull();
    expect(rangeMask(6, [{ column: 'z', min: 0, max: 1 }], { mag_r: mag })).toBeNull();
    expect(maskCount(null, 6)).toBe(6);
    // a filter whose column is not loaded yet does not hide anything; the loaded ones still apply
    expect(
      Array.from(
        rangeMask(
          6,
          [
            { column: 'z', min: 0, max: 1 },
            { column: 'mag_r', min: 22, max: 23 },
          ],
          { mag_r: mag },
        )!,
      ),
    ).toEqual([0, 0, 0, 0, 1, 0]);
  });
});
