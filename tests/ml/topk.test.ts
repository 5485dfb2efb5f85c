import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { topK } from '@app/ml/topk';

/** the definition: a comparator sort of every accepted, non-NaN score (descending, ties to the smaller index) */
function reference(scores: Float32Array, k: number, accept: (i: number) => boolean): number[] {
  const ids = [...scores.keys()].filter((i) => scores[i] === scores[i] && accept(i));
  ids.sort((a, b) => (scores[b] === scores[a] ? a - b : scores[b] - scores[a]));
  return ids.slice(0, k);
}

describe('topK', () => {
  it('the full ranking (radix path) equals the comparator sort, with ties, NaN, ±0, ±Inf and a filter', () => {
    const rng = createRng(5);
    const n = 60_000;
    const s = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.uniform(0, 1);
      s[i] =
        u < 0.05 ? NaN : u < 0.15 ? Math.round(rng.uniform(-3, 3)) / 2 : u < 0.16 ? -0 : u < 0.165 ? (u < 0.1625 ? Infinity : -Infinity) : rng.normal() * 1e3;
    }
    const accept = (i: number) => i % 7 !== 3;
    for (const k of [n, 50_000, 5_000]) {
      const got = topK(s, k, accept);
      const want = reference(s, k, accept);
      expect(got.indices.length).toBe(want.length);
      expect(Array.from(got.indices)).toEqual(want);
      expect(Array.from(got.scores)).toEqual(want.map((i) => s[i]));
    }
  });

  it('a small k (heap path) agrees with the same definition', () => {
    const rng = createRng(9);
    const s = Float32Array.from({ length: 20_000 }, () => Math.round(rng.normal() * 20) / 4);
    expect(Array.from(topK(s, 100, () => true).indices)).toEqual(reference(s, 100, () => true));
  });
});
