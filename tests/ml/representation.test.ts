/**
 * app/ml/representation: blocks are z-scored separately over their present
 * rows (clipped), absent rows and constant columns give 0, and `both` is the
 * row-wise concatenation in the order embedding, morphology.
 */
import { describe, expect, it } from 'vitest';
import { buildRepresentation, CLIP, concatBlocks, isFeatureSet, standardiseBlock } from '@app/ml/representation';
import { PROBE_FEATURE_SETS } from '@app/contracts';
import { FEATURE_SETS } from '@app/ml/representation';

describe('probe representations', () => {
  it('z-scores each column over present rows, zeroes absent rows and constant columns, clips outliers', () => {
    const n = 201,
      dim = 3;
    const data = new Float32Array(n * dim);
    const present = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      data[i * 3] = i;
      data[i * 3 + 1] = 5;
      data[i * 3 + 2] = i === 0 ? 1e6 : i % 2;
    }
    present[7] = 0;
    data[7 * 3] = 1e9;
    const z = standardiseBlock({ data, dim, present }, n);
    let m = 0,
      s = 0,
      k = 0;
    for (let i = 0; i < n; i++)
      if (present[i]) {
        m += z[i * 3];
        s += z[i * 3] ** 2;
        k++;
      }
    expect(m / k).toBeCloseTo(0, 5);
    expect(s / k).toBeCloseTo(1, 4);
    for (let j = 0; j < 3; j++) expect(z[7 * 3 + j]).toBe(0);
    for (let i = 0; i < n; i++) expect(z[i * 3 + 1]).toBe(0);
    expect(z[2]).toBe(CLIP);
  });

  it('concatenates blocks row by row and refuses morphology without features', () => {
    const a = { data: Float32Array.from([1, 2, 3, 4]), dim: 2 },
      b = { data: Float32Array.from([9, 8]), dim: 1 };
    expect(Array.from(concatBlocks([a, b], 2).data)).toEqual([1, 2, 9, 3, 4, 8]);
    const both = buildRepresentation('both', 2, a, b);
    expect(both.dim).toBe(3);
    expect(Array.from(both.data)).toEqual([-1, -1, 1, 1, 1, -1]);
    expect(buildRepresentation('morphology', 2, a, b).dim).toBe(1);
    expect(() => buildRepresentation('both', 2, a, null)).toThrow(/needs the morphology features/);
  });

  it('the contract offers the same feature sets', () => {
    expect([...PROBE_FEATURE_SETS]).toEqual([...FEATURE_SETS]);
    expect(isFeatureSet('both')).toBe(true);
    expect(isFeatureSet('pixels')).toBe(false);
  });
});
