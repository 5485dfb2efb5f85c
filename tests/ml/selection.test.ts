import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { DEFAULT_EXPLOIT, suggestLabels } from '@app/ml/active-learning';
import { averagePrecision, precisionAtK, r2Score, recallAtK, rocAuc } from '@app/ml/metrics';
import { l2NormalizeRows } from '@app/ml/matrix';
import { similarityScores } from '@app/ml/similarity';
import { topK } from '@app/ml/topk';

describe('top-k', () => {
  it('equals a full sort (ties to the smaller index), honours the filter and skips NaN', () => {
    const rng = createRng(1);
    const s = Float32Array.from({ length: 5000 }, () => Math.round(rng.next() * 300) / 300);
    s[17] = NaN;
    const accept = (i: number) => i % 3 !== 0;
    const t = topK(s, 50, accept);
    const ref = Array.from(s.keys())
      .filter((i) => accept(i) && !Number.isNaN(s[i]))
      .sort((a, b) => s[b] - s[a] || a - b)
      .slice(0, 50);
    expect(Array.from(t.indices)).toEqual(ref);
    expect(topK(new Float32Array([1, 2]), 5).indices.length).toBe(2);
  });
});

describe('active-learning suggestions', () => {
  const rng = createRng(3);
  const scores = Float32Array.from({ length: 2000 }, () => rng.next());
  const labelled = new Uint8Array(2000);
  for (let i = 0; i < 2000; i += 7) labelled[i] = 1;

  it('mixes top-scored and most-uncertain, never labelled, never twice', () => {
    const s = suggestLabels(scores, labelled, { count: 20, exploit: 0.5 });
    expect(s.indices.length).toBe(20);
    expect(new Set(s.indices).size).toBe(20);
    for (const i of s.indices) expect(labelled[i]).toBe(0);
    const tops = Array.from(s.indices).filter((_, r) => s.reasons[r] === 'top');
    const unc = Array.from(s.indices).filter((_, r) => s.reasons[r] === 'uncertain');
    expect(tops.length).toBe(10);
    expect(unc.length).toBe(10);
    const freeScores = Array.from(scores)
      .filter((_, i) => !labelled[i])
      .sort((a, b) => b - a);
    expect(Math.min(...tops.map((i) => scores[i]))).toBe(freeScores[9]);
    const freeUnc = Array.from(scores)
      .filter((_, i) => !labelled[i])
      .map((v) => Math.abs(v - 0.5))
      .sort((a, b) => a - b);
    expect(Math.max(...unc.map((i) => Math.abs(scores[i] - 0.5)))).toBeCloseTo(freeUnc[9], 6);
  });

  it('is exploit-heavy by default: DEFAULT_EXPLOIT of the suggestions from the top', () => {
    const s = suggestLabels(scores, labelled, { count: 20 });
    expect(s.reasons.filter((r) => r === 'top').length).toBe(Math.round(20 * DEFAULT_EXPLOIT));
    expect(DEFAULT_EXPLOIT).toBeGreaterThan(0.5);
  });

  it('exploit = 1 gives the ranking; exclusions are respected; few candidates are handled', () => {
    const s = suggestLabels(scores, labelled, { count: 5, exploit: 1, exclude: (i) => i < 1000 });
    expect(s.reasons.every((r) => r === 'top')).toBe(true);
    for (const i of s.indices) expect(i).toBeGreaterThanOrEqual(1000);
    const few = suggestLabels(new Float32Array([0.9, 0.1, 0.5]), new Uint8Array([1, 0, 0]), { count: 10 });
    expect(Array.from(few.indices).sort()).toEqual([1, 2]);
  });
});

describe('metrics', () => {
  it('precision@k, recall@k, AUC, AP and R² on hand-checkable cases', () => {
    const pos = (i: number) => i < 3;
    expect(precisionAtK([0, 5, 1, 6], pos, 4)).toBe(0.5);
    expect(recallAtK([0, 5, 1, 6], pos, 4, 3)).toBeCloseTo(2 / 3);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo((1 + 2 / 3) / 2);
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0);
  });
});

describe('zero-shot similarity', () => {
  it('ranks the cluster of the positives first', () => {
    const rng = createRng(4);
    const d = 16,
      n = 600;
    const centres = [0, 1, 2].map(() => Array.from({ length: d }, () => rng.normal()));
    const m = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[i * d + j] = centres[i % 3][j] + 0.3 * rng.normal();
    const u = l2NormalizeRows(m, d);
    const s = similarityScores(u, d, [0, 3, 6], [1]);
    const ranked = topK(s, 200).indices;
    expect(precisionAtK(ranked, (i) => i % 3 === 0, 200)).toBeGreaterThan(0.95);
  });
});
