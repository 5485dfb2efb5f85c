import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { crossValidateKnnRegression, knnRegress } from '@app/ml/knn-regression';
import { l2NormalizeRows } from '@app/ml/matrix';
import { numpy } from './numpy';

/** embeddings that encode a smooth "redshift" along a curve, plus noise */
function data(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const z = new Float64Array(n);
  const m = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    z[i] = rng.uniform(0, 1);
    for (let j = 0; j < d; j++) m[i * d + j] = Math.cos(3 * z[i] + j) + 0.05 * rng.normal() + 1.5;
  }
  return { z, m: l2NormalizeRows(m, d) };
}

describe('k-NN regression', () => {
  it('predicts like a numpy brute-force reference', () => {
    const d = 8;
    const train = data(200, d, 1);
    const test = data(30, d, 2);
    const pred = knnRegress(train.m, train.z, test.m, d, { k: 7, weighting: 'similarity' });
    const ref = numpy<number[]>(
      `
T = np.array(inp['T']).reshape(-1, inp['d']); Q = np.array(inp['Q']).reshape(-1, inp['d']); z = np.array(inp['z'])
S = Q @ T.T
out = []
for r in range(len(Q)):
    nb = np.argsort(-S[r], kind='stable')[:inp['k']]
    w = np.maximum(S[r, nb], 1e-6)
    out.append(float((w * z[nb]).sum() / w.sum()))
print(json.dumps(out))`,
      { T: train.m, Q: test.m, z: train.z, d, k: 7 },
    );
    pred.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
  });

  it('cross-validated R² is high when the embedding carries the quantity and ~0 or below when it does not', () => {
    const d = 8;
    const { z, m } = data(500, d, 3);
    const good = crossValidateKnnRegression(m, d, z, createRng(1), { k: 10 });
    expect(good.r2).toBeGreaterThan(0.9);
    expect(good.predictions.length).toBe(500);
    const rng = createRng(5);
    const noise = Float64Array.from(z, () => rng.next());
    const bad = crossValidateKnnRegression(m, d, noise, createRng(1), { k: 10 });
    expect(bad.r2).toBeLessThan(0.1);
  });
});
