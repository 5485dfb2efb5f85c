/**
 * The evaluation protocol of native-models/ls-vit-tiny/evaluate.py, in
 * TypeScript on the app's own building blocks (Preprocessor, exactKnn,
 * fitProbe): embeddings of a labelled synthetic sample, k-NN accuracy, and
 * one-vs-rest probe recall of rare classes. Pixel PCA runs its large matrix
 * products through onnxruntime (a one-node MatMul graph) instead of JS loops.
 */
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import type { Cutout } from '@app/domain/cutout';
import { validateManifest } from '@app/encoder/validate';
import type { ModelManifest } from '@app/encoder/manifest';
import { Preprocessor } from '@app/encoder/preprocess';
import { symmetricEigen } from '@app/ml/eigen';
import { exactKnn } from '@app/ml/knn';
import { columnStats, l2NormalizeRows, matVec } from '@app/ml/matrix';
import { fitProbe } from '@app/ml/probe';

export interface LoadedModel {
  manifest: ModelManifest;
  session: ort.InferenceSession;
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const manifest = validateManifest(JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')), `${dir}/manifest.json`);
  const session = await ort.InferenceSession.create(`${dir}/${manifest.file}`, { intraOpNumThreads: 2 });
  return { manifest, session };
}

/** Preprocess cutouts with a manifest's steps into one [N, C, H, W] float32 tensor. */
export function preprocessAll(manifest: ModelManifest, cutouts: Cutout[]): Float32Array {
  const shape = manifest.input.shape.slice(1) as [number, number, number];
  const c0 = cutouts[0];
  const pre = new Preprocessor(manifest.preprocess, { bands: c0.bands, height: c0.height, width: c0.width }, shape);
  const out = new Float32Array(cutouts.length * pre.size);
  cutouts.forEach((c, i) => pre.run(c, out, i * pre.size));
  return out;
}

/** Run the model over preprocessed inputs in batches: embeddings [N, D] and (optionally) patch tokens. */
export async function encode(
  m: LoadedModel,
  input: Float32Array,
  n: number,
  batch = 64,
): Promise<{ embedding: Float32Array; patchTokens: Float32Array | null }> {
  const [, c, h, w] = m.manifest.input.shape as [string, number, number, number];
  const per = c * h * w;
  const d = m.manifest.outputs.embedding.dim;
  const pt = m.manifest.outputs.patchTokens;
  const ptPer = pt ? pt.grid[0] * pt.grid[1] * pt.dim : 0;
  const embedding = new Float32Array(n * d);
  const patchTokens = pt && n <= 16 ? new Float32Array(n * ptPer) : null;
  for (let s = 0; s < n; s += batch) {
    const b = Math.min(batch, n - s);
    const x = new ort.Tensor('float32', input.subarray(s * per, (s + b) * per), [b, c, h, w]);
    const r = await m.session.run({ [m.manifest.input.name]: x });
    embedding.set(r[m.manifest.outputs.embedding.name].data as Float32Array, s * d);
    if (patchTokens && pt) patchTokens.set(r[pt.name].data as Float32Array, s * ptPer);
  }
  return { embedding, patchTokens };
}

/** Reference / test halves: within each class, alternate members (stratified, deterministic). */
export function stratifiedHalves(labels: ArrayLike<number>): { ref: number[]; test: number[] } {
  const seen = new Map<number, number>();
  const ref: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const k = seen.get(labels[i]) ?? 0;
    seen.set(labels[i], k + 1);
    (k % 2 === 0 ? ref : test).push(i);
  }
  return { ref, test };
}

function rows(m: Float32Array, d: number, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((r, i) => out.set(m.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** k-NN (cosine) accuracy: majority vote of the k nearest reference rows; ties go to the nearest tied class. */
export function knnAccuracy(feat: Float32Array, d: number, labels: ArrayLike<number>, ref: number[], test: number[], k = 10): number {
  const refUnit = l2NormalizeRows(rows(feat, d, ref), d);
  const testUnit = l2NormalizeRows(rows(feat, d, test), d);
  let correct = 0;
  test.forEach((t, i) => {
    const nn = exactKnn(refUnit, d, testUnit.subarray(i * d, (i + 1) * d), k);
    const votes = Array.from(nn.indices, (j) => labels[ref[j]]);
    const count = new Map<number, number>();
    for (const v of votes) count.set(v, (count.get(v) ?? 0) + 1);
    const best = Math.max(...count.values());
    const pred = votes.find((v) => count.get(v) === best);
    if (pred === labels[t]) correct++;
  });
  return correct / test.length;
}

/**
 * One-vs-rest class-balanced logistic probe (the app's fitProbe, λ = 1, z-scored
 * features) trained on the reference half; recall@2K on the test half: the
 * fraction of the class's test members among the 2K highest-scoring test
 * objects, K = number of test members of the class.
 */
export function probeRecallAt2K(feat: Float32Array, d: number, labels: ArrayLike<number>, ref: number[], test: number[], cls: number): number {
  const X = rows(feat, d, ref);
  const { mean, std } = columnStats(X, d);
  const y = ref.map((r) => (labels[r] === cls ? 1 : 0));
  const model = fitProbe(X, d, y, { l2: 1, balance: true, center: mean, scale: std });
  const scores = matVec(rows(feat, d, test), d, model.weights, model.bias);
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const positives = test.filter((t) => labels[t] === cls).length;
  let found = 0;
  for (let i = 0; i < 2 * positives && i < order.length; i++) if (labels[test[order[i]]] === cls) found++;
  return found / positives;
}

async function matmul(s: ort.InferenceSession, A: Float32Array, m: number, k: number, B: Float32Array, n: number): Promise<Float32Array> {
  const r = await s.run({ A: new ort.Tensor('float32', A, [m, k]), B: new ort.Tensor('float32', B, [k, n]) });
  return r.Y.data as Float32Array;
}

function transpose(A: Float32Array, m: number, n: number): Float32Array {
  const T = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}

/**
 * PCA of the preprocessed pixels (P values per object) fitted on `fitRows`
 * (centred by the mean of those rows) through the eigen-decomposition of their
 * Gram matrix; returns the projections of all N objects on `comps` components.
 */
export async function pixelPca(matmulOnnx: string, X: Float32Array, n: number, p: number, fitRows: number[], comps: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(matmulOnnx, { intraOpNumThreads: 2 });
  const f = fitRows.length;
  const mean = new Float64Array(p);
  for (const r of fitRows) for (let j = 0; j < p; j++) mean[j] += X[r * p + j];
  for (let j = 0; j < p; j++) mean[j] /= f;
  const Xc = new Float32Array(f * p);
  fitRows.forEach((r, i) => {
    for (let j = 0; j < p; j++) Xc[i * p + j] = X[r * p + j] - mean[j];
  });
  const XcT = transpose(Xc, f, p);
  const G = await matmul(s, Xc, f, p, XcT, f);
  const { values, vectors } = symmetricEigen(G, f);
  // U_k / sqrt(λ_k) as an f × comps matrix, so Xc^T U / sqrt(λ) are unit principal axes
  const U = new Float32Array(f * comps);
  for (let c = 0; c < comps; c++) {
    const sc = 1 / Math.sqrt(Math.max(values[c], 1e-12));
    for (let i = 0; i < f; i++) U[i * comps + c] = vectors[c * f + i] * sc;
  }
  const V = await matmul(s, XcT, p, f, U, comps);
  const Xall = new Float32Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xall[i * p + j] = X[i * p + j] - mean[j];
  return matmul(s, Xall, n, p, V, comps);
}
