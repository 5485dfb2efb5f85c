/**
 * The committed default encoder (native-models/ls-vit-tiny) must see what the
 * untrained network and raw pixels do not: on a held-out synthetic sample
 * (seed 777; training used seed 1001), its embeddings must beat the same
 * architecture at random initialisation and 128-component pixel PCA on k-NN
 * accuracy and on every rare class's probe recall. Also checks the ONNX
 * graph against PyTorch outputs committed as a fixture (make_fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cutout } from '@app/domain/cutout';
import { CLASS_NAMES, surveyObject, resolveOptions } from '@app/synth';
import { encode, knnAccuracy, loadModel, pixelPca, preprocessAll, probeRecallAt2K, stratifiedHalves, type LoadedModel } from './evaluation';

const root = resolve(__dirname, '..', '..');
const MODEL = resolve(root, 'native-models/ls-vit-tiny');
const FIX = resolve(root, 'tests/fixtures/models/ls-vit-tiny');
const RARE = ['lens', 'ring', 'tidal', 'merger'] as const;
const COUNT = 2400;
const SEED = 777;

interface Scores {
  knn: number;
  recall: Record<string, number>;
}

function score(feat: Float32Array, d: number, labels: Int32Array, ref: number[], test: number[]): Scores {
  const recall: Record<string, number> = {};
  for (const r of RARE) recall[r] = probeRecallAt2K(feat, d, labels, ref, test, CLASS_NAMES.indexOf(r));
  return { knn: knnAccuracy(feat, d, labels, ref, test), recall };
}

describe('ls-vit-tiny quality on a held-out synthetic sample', () => {
  let trained: LoadedModel;
  const results: Record<string, Scores> = {};

  beforeAll(async () => {
    trained = await loadModel(MODEL);
    const random = await loadModel(resolve(FIX, 'random'));
    // rare classes boosted so each has ~120 members (60 per half)
    const o = resolveOptions({ count: COUNT, seed: SEED, rates: { lens: 0.05, ring: 0.05, tidal: 0.05, merger: 0.05 } });
    const cutouts: Cutout[] = [];
    const labels = new Int32Array(COUNT);
    for (let i = 0; i < COUNT; i++) {
      const it = surveyObject(o, i);
      cutouts.push(it.cutout);
      labels[i] = it.label;
    }
    const x = preprocessAll(trained.manifest, cutouts);
    const { ref, test } = stratifiedHalves(labels);
    const d = trained.manifest.outputs.embedding.dim;
    results.trained = score((await encode(trained, x, COUNT)).embedding, d, labels, ref, test);
    results.random = score((await encode(random, x, COUNT)).embedding, random.manifest.outputs.embedding.dim, labels, ref, test);
    const p = x.length / COUNT;
    const pca = await pixelPca(resolve(FIX, 'matmul.onnx'), x, COUNT, p, ref.slice(0, 700), 128);
    results.pca = score(pca, 128, labels, ref, test);
    console.log('held-out scores', JSON.stringify(results));
  });

  it('beats random init and pixel PCA on 10-NN accuracy', () => {
    expect(results.trained.knn).toBeGreaterThan(results.random.knn);
    expect(results.trained.knn).toBeGreaterThan(results.pca.knn);
  });

  for (const r of RARE) {
    it(`beats random init and pixel PCA on ${r} probe recall@2K`, () => {
      expect(results.trained.recall[r]).toBeGreaterThan(results.random.recall[r]);
      expect(results.trained.recall[r]).toBeGreaterThan(results.pca.recall[r]);
    });
  }

  it('matches the PyTorch reference (preprocessing and outputs, incl. NaN/Inf pixels)', async () => {
    const meta = JSON.parse(readFileSync(resolve(FIX, 'reference.json'), 'utf8'));
    const buf = readFileSync(resolve(FIX, 'reference.bin'));
    const block = (name: string): Float32Array => {
      const b = meta.blocks[name];
      const n = b.shape.reduce((a: number, v: number) => a * v, 1);
      return new Float32Array(buf.buffer.slice(buf.byteOffset + b.offset, buf.byteOffset + b.offset + 4 * n));
    };
    const raw = block('raw');
    const [n, c, h, w] = meta.blocks.raw.shape as number[];
    const cutouts: Cutout[] = Array.from({ length: n }, (_, i) => ({
      bands: meta.bands,
      width: w,
      height: h,
      pixscale: 0.262,
      unit: 'nanomaggies',
      data: raw.slice(i * c * h * w, (i + 1) * c * h * w),
    }));
    const x = preprocessAll(trained.manifest, cutouts);
    const maxDiff = (a: Float32Array, b: Float32Array) => {
      expect(a.length).toBe(b.length);
      let m = 0;
      for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
      return m;
    };
    expect(maxDiff(x, block('preprocessed'))).toBeLessThan(1e-5);
    const out = await encode(trained, block('preprocessed'), n);
    expect(maxDiff(out.embedding, block('embedding'))).toBeLessThan(1e-4);
    expect(maxDiff(out.patchTokens!, block('patch_tokens'))).toBeLessThan(1e-4);
  });
});
