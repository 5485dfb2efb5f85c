/**
 * The committed ls-vit-lsb exports (native-models/ls-vit-lsb: fp32,
 * native-models/ls-vit-lsb-int8: int8 weights, dynamic quantisation) against
 * the PyTorch reference that native-models/ls-vit-lsb/make_fixtures.py made
 * from the checkpoint: raw flux cutouts with NaN/Inf pixels and 8-bit
 * photographs (unit 'u8'), their preprocessed tensors and the outputs.
 * fp32 must match to 1e-4; int8 must keep every embedding's direction
 * (cosine to PyTorch ≥ 0.99; make_fixtures + this test measured the margin,
 * see REPORT.md) and the nearest-neighbour structure of the four rows.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cutout } from '@app/domain/cutout';
import { encode, loadModel, preprocessAll } from './evaluation';

const root = resolve(__dirname, '..', '..');
const FIX = resolve(root, 'tests/fixtures/models/ls-vit-lsb');
const meta = JSON.parse(readFileSync(resolve(FIX, 'reference.json'), 'utf8'));
const buf = readFileSync(resolve(FIX, 'reference.bin'));
const block = (name: string): Float32Array => {
  const b = meta.blocks[name];
  const n = b.shape.reduce((a: number, v: number) => a * v, 1);
  return new Float32Array(buf.buffer.slice(buf.byteOffset + b.offset, buf.byteOffset + b.offset + 4 * n));
};
const [N, C, H, W] = meta.blocks.raw.shape as number[];
const D = meta.blocks.embedding.shape[1] as number;

function cutouts(): Cutout[] {
  const raw = block('raw');
  return Array.from({ length: N }, (_, i) => ({
    bands: meta.bands,
    width: W,
    height: H,
    pixscale: 0.262,
    unit: meta.units[i],
    data: raw.slice(i * C * H * W, (i + 1) * C * H * W),
  }));
}

const maxDiff = (a: Float32Array, b: Float32Array): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

function cosines(a: Float32Array, b: Float32Array): number[] {
  return Array.from({ length: a.length / D }, (_, i) => {
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let j = 0; j < D; j++) {
      const x = a[i * D + j],
        y = b[i * D + j];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return ab / Math.sqrt(aa * bb);
  });
}

describe('ls-vit-lsb ONNX exports vs PyTorch', () => {
  it('fp32: preprocessing (flux and 8-bit cutouts, NaN/Inf) and outputs match to 1e-4', async () => {
    const m = await loadModel(resolve(root, 'native-models/ls-vit-lsb'));
    const x = preprocessAll(m.manifest, cutouts());
    expect(maxDiff(x, block('preprocessed'))).toBeLessThan(1e-5);
    const out = await encode(m, x, N);
    expect(maxDiff(out.embedding, block('embedding'))).toBeLessThan(1e-4);
    expect(maxDiff(out.patchTokens!, block('patch_tokens'))).toBeLessThan(1e-4);
    await m.session.release();
  });

  it('int8: same preprocessing; embeddings keep their direction and their neighbours', async () => {
    const m = await loadModel(resolve(root, 'native-models/ls-vit-lsb-int8'));
    const fp32 = await loadModel(resolve(root, 'native-models/ls-vit-lsb'));
    expect(m.manifest.preprocess).toEqual(fp32.manifest.preprocess);
    await fp32.session.release();
    const x = preprocessAll(m.manifest, cutouts());
    expect(maxDiff(x, block('preprocessed'))).toBeLessThan(1e-5);
    const out = await encode(m, x, N);
    const ref = block('embedding');
    for (const c of cosines(out.embedding, ref)) expect(c).toBeGreaterThan(0.99);
    // the most similar other row of each row is the same under int8 and PyTorch
    const nearest = (e: Float32Array, i: number): number => {
      let best = -1,
        bc = -Infinity;
      for (let j = 0; j < N; j++) {
        if (j === i) continue;
        const c = cosines(e.subarray(i * D, (i + 1) * D), e.subarray(j * D, (j + 1) * D))[0];
        if (c > bc) {
          bc = c;
          best = j;
        }
      }
      return best;
    };
    for (let i = 0; i < N; i++) expect(nearest(out.embedding, i)).toBe(nearest(ref, i));
    await m.session.release();
  });
});
