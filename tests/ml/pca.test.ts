import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { symmetricEigen } from '@app/ml/eigen';
import { CovarianceAccumulator, pcaFit, pcaFromAccumulator, pcaTransform } from '@app/ml/pca';
import { numpy } from './numpy';

/** rows with a few strong latent directions plus noise, offset from the origin */
function latentData(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const basis = Array.from({ length: 4 }, () => Array.from({ length: d }, () => rng.normal()));
  const m = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = [3 * rng.normal(), 2 * rng.normal(), rng.normal(), 0.5 * rng.normal()];
    for (let j = 0; j < d; j++) {
      let v = 10 + 0.1 * rng.normal();
      for (let c = 0; c < 4; c++) v += z[c] * basis[c][j];
      m[i * d + j] = v;
    }
  }
  return m;
}

// numpy reference: SVD of the centred matrix, same sign convention.
const reference = `
X = np.array(inp['X'], dtype=np.float64).reshape(-1, inp['d'])
k = inp['k']
Xc = X - X.mean(0)
U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
V = Vt[:k]
for c in range(k):
    if V[c, np.argmax(np.abs(V[c]))] < 0: V[c] = -V[c]
print(json.dumps({'comp': V.ravel().tolist(), 'var': (s[:k]**2 / (X.shape[0]-1)).tolist(),
  'ratio': (s[:k]**2 / (s**2).sum()).tolist(), 'proj': (Xc @ V.T).ravel().tolist()}))
`;

describe('PCA', () => {
  it('matches numpy SVD (components, variances, projections)', () => {
    const n = 400,
      d = 24,
      k = 3;
    const X = latentData(n, d, 5);
    const model = pcaFit(X, d, k);
    const ref = numpy<{ comp: number[]; var: number[]; ratio: number[]; proj: number[] }>(reference, { X, d, k });
    model.components.forEach((v, i) => expect(v).toBeCloseTo(ref.comp[i], 5));
    model.explainedVariance.forEach((v, i) => expect(v / ref.var[i]).toBeCloseTo(1, 6));
    model.explainedVarianceRatio.forEach((v, i) => expect(v).toBeCloseTo(ref.ratio[i], 6));
    const proj = pcaTransform(model, X);
    proj.forEach((v, i) => expect(v).toBeCloseTo(ref.proj[i], 2));
  });

  it('streaming over chunks gives the same model as one pass', () => {
    const n = 300,
      d = 10;
    const X = latentData(n, d, 6);
    const acc = new CovarianceAccumulator(d);
    for (let r = 0; r < n; r += 37) acc.add(X.subarray(r * d, Math.min(n, r + 37) * d));
    const a = pcaFromAccumulator(acc, 2);
    const b = pcaFit(X, d, 2);
    a.components.forEach((v, i) => expect(v).toBeCloseTo(b.components[i], 9));
    expect(a.nSamples).toBe(n);
  });

  it('eigen-solver reconstructs a symmetric matrix with orthonormal vectors', () => {
    const rng = createRng(2);
    const n = 30;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(A, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rec = 0,
          ortho = 0;
        for (let c = 0; c < n; c++) {
          rec += vectors[c * n + i] * values[c] * vectors[c * n + j];
          ortho += vectors[i * n + c] * vectors[j * n + c];
        }
        expect(rec).toBeCloseTo(A[i * n + j], 9);
        expect(ortho).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });
});
