import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { columnStats } from '@app/ml/matrix';
import { fitProbe, probeScores } from '@app/ml/probe';
import { crossValidateProbe } from '@app/ml/probe-cv';
import { numpy } from './numpy';

/** Two overlapping Gaussian classes (imbalanced) in d dimensions. */
function problem(n: number, d: number, nPos: number, seed: number) {
  const rng = createRng(seed);
  const X = new Float32Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i < nPos ? 1 : 0;
    for (let j = 0; j < d; j++) X[i * d + j] = rng.normal() * (1 + j * 0.1) + (y[i] && j < 3 ? 1.2 : 0) + 0.3;
  }
  return { X, y };
}

// Independent reference: Newton iterations in numpy on the same objective
// (class-balanced log-loss + lam/2 |w|^2, intercept unpenalised).
const reference = `
X = np.array(inp['X'], dtype=np.float64).reshape(-1, inp['d'])
y = np.array(inp['y'], dtype=np.float64)
if inp['center'] is not None:
    X = (X - np.array(inp['center'])) / np.array(inp['scale'])
n, d = X.shape
Z = np.hstack([X, np.ones((n, 1))])
npos = y.sum()
w = np.array(inp['w']) if inp.get('w') is not None else np.ones(n)
W = w.sum(); Wp = w[y > 0].sum()
c = np.where(y > 0, w * W / (2 * Wp), w * W / (2 * (W - Wp))) if inp['balance'] else w
lam = inp['lam']
R = np.eye(d + 1) * lam; R[d, d] = 0
b = np.zeros(d + 1)
for it in range(100):
    p = 1 / (1 + np.exp(-Z @ b))
    g = Z.T @ (c * (p - y)) + R @ b
    H = (Z * (c * p * (1 - p))[:, None]).T @ Z + R
    step = np.linalg.solve(H, g)
    b -= step
    if np.abs(step).max() < 1e-12: break
print(json.dumps({'w': b[:d].tolist(), 'b': float(b[d]), 'p': (1 / (1 + np.exp(-Z @ b))).tolist()}))
`;

describe('linear probe (L2 logistic regression, class-balanced)', () => {
  it('matches numpy Newton iterations on raw features', () => {
    const d = 8;
    const { X, y } = problem(150, d, 30, 7);
    const model = fitProbe(X, d, y, { l2: 0.5 });
    const ref = numpy<{ w: number[]; b: number; p: number[] }>(reference, { X, y, d, lam: 0.5, balance: true, center: null });
    expect(model.converged).toBe(true);
    model.weights.forEach((w, j) => expect(w).toBeCloseTo(ref.w[j], 6));
    expect(model.bias).toBeCloseTo(ref.b, 6);
    const p = probeScores(model, X);
    p.forEach((v, i) => expect(v).toBeCloseTo(ref.p[i], 5));
  });

  it('matches numpy with standardisation folded into the weights, unbalanced', () => {
    const d = 12;
    const { X, y } = problem(90, d, 20, 11);
    const { mean, std } = columnStats(X, d);
    const model = fitProbe(X, d, y, { l2: 2, balance: false, center: mean, scale: std });
    const ref = numpy<{ w: number[]; b: number; p: number[] }>(reference, {
      X,
      y,
      d,
      lam: 2,
      balance: false,
      center: Array.from(mean),
      scale: Array.from(std),
    });
    model.rawWeights.forEach((w, j) => expect(w).toBeCloseTo(ref.w[j], 6));
    expect(model.rawBias).toBeCloseTo(ref.b, 6);
    probeScores(model, X).forEach((v, i) => expect(v).toBeCloseTo(ref.p[i], 5));
  });

  it('matches numpy with per-row sample weights (class-balanced on weighted counts)', () => {
    const d = 6;
    const { X, y } = problem(120, d, 25, 13);
    const w = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 0.2 : 1));
    const model = fitProbe(X, d, y, { l2: 1, sampleWeights: w });
    const ref = numpy<{ w: number[]; b: number; p: number[] }>(reference, { X, y, d, lam: 1, balance: true, center: null, w });
    model.weights.forEach((v, j) => expect(v).toBeCloseTo(ref.w[j], 6));
    expect(model.bias).toBeCloseTo(ref.b, 6);
  });

  it('converges on separable data thanks to the penalty, and ranks positives first', () => {
    const d = 4;
    const X = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 5, 5, 0, 1, 5, 6, 1, 0, 6, 5, 0, 0, 0, 1, 1, 1]);
    const y = [0, 0, 1, 1, 1, 0];
    const model = fitProbe(X, d, y, { l2: 0.1 });
    expect(model.converged).toBe(true);
    const s = probeScores(model, X);
    expect(Math.min(s[2], s[3], s[4])).toBeGreaterThan(Math.max(s[0], s[1], s[5]));
  });

  it('refuses a single-class label set', () => {
    expect(() => fitProbe(new Float32Array(6), 2, [1, 1, 1])).toThrow(/positives and negatives/);
  });

  it('cross-validation gives a held-out AUC well above chance on informative features, near chance on noise', () => {
    const d = 8;
    const { X, y } = problem(200, d, 40, 3);
    const cv = crossValidateProbe(X, d, y, createRng(1), { l2: 1 })!;
    expect(cv.folds).toBe(5);
    expect(cv.auc).toBeGreaterThan(0.8);
    const noise = problem(200, d, 40, 4);
    const rng = createRng(9);
    const shuffled = Array.from(noise.y).sort(() => rng.next() - 0.5);
    const cvNoise = crossValidateProbe(noise.X, d, shuffled, createRng(1), { l2: 1 })!;
    expect(cvNoise.auc).toBeLessThan(0.7);
    expect(crossValidateProbe(X, d, [1, ...new Array(199).fill(0)], createRng(1))).toBeNull();
  });
});
