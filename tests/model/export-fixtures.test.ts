/**
 * The tiny random-init exports of native-models/export/{astroclip,dinov2}.py:
 * their manifests validate, their preprocessing runs on real synthetic cutouts
 * of the right size, the ONNX graphs have a dynamic batch axis and the
 * declared outputs, and they reproduce PyTorch on a fixed input
 * (reference.json, made by native-models/ls-vit-tiny/make_fixtures.py).
 */
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyObject } from '@app/synth';
import { encode, loadModel, preprocessAll } from './evaluation';

const FIX = resolve(__dirname, '..', 'fixtures', 'models');

const cases = [
  { name: 'astroclip-tiny', cutoutSize: 152, grid: [12, 12] },
  { name: 'dinov2-tiny', cutoutSize: 96, grid: [16, 16] },
] as const;

describe.each(cases)('$name export', ({ name, cutoutSize, grid }) => {
  it('validates, preprocesses survey cutouts and encodes a batch', async () => {
    const m = await loadModel(resolve(FIX, name));
    expect(m.manifest.outputs.patchTokens?.grid).toEqual(grid);
    const cutouts = [0, 1, 2].map((i) => surveyObject({ count: 3, seed: 31, size: cutoutSize }, i).cutout);
    const x = preprocessAll(m.manifest, cutouts);
    const out = await encode(m, x, 3, 3);
    const d = m.manifest.outputs.embedding.dim;
    expect(out.embedding.length).toBe(3 * d);
    expect(out.patchTokens!.length).toBe(3 * grid[0] * grid[1] * m.manifest.outputs.patchTokens!.dim);
    expect(out.embedding.every(Number.isFinite)).toBe(true);
    // different objects give different embeddings; batch rows are independent
    expect(out.embedding.subarray(0, d)).not.toEqual(out.embedding.subarray(d, 2 * d));
    const single = await encode(m, x.subarray(x.length / 3, (2 * x.length) / 3), 1, 1);
    for (let j = 0; j < d; j++) expect(single.embedding[j]).toBeCloseTo(out.embedding[d + j], 4);
  });

  it('matches PyTorch on the reference input', async () => {
    const ref = JSON.parse(readFileSync(resolve(FIX, name, 'reference.json'), 'utf8'));
    const m = await loadModel(resolve(FIX, name));
    const s = ref.side as number;
    const x = Float32Array.from({ length: 3 * s * s }, (_, i) => 0.5 * Math.sin(0.37 * i));
    const r = await m.session.run({ [m.manifest.input.name]: new ort.Tensor('float32', x, [1, 3, s, s]) });
    const emb = r.embedding.data as Float32Array;
    const tok = r.patch_tokens;
    expect(tok.dims).toEqual(ref.patchTokensShape);
    const maxDiff = (a: ArrayLike<number>, b: number[]) => Math.max(...b.map((v, i) => Math.abs(a[i] - v)));
    expect(maxDiff(emb, ref.embedding)).toBeLessThan(1e-4);
    const t = tok.data as Float32Array;
    const D = tok.dims[2];
    expect(maxDiff(t.subarray(0, D), ref.patchTokensFirstRow)).toBeLessThan(1e-4);
    expect(maxDiff(t.subarray(t.length - D), ref.patchTokensLastRow)).toBeLessThan(1e-4);
  });
});
