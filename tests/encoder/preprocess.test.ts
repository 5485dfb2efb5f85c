/**
 * The preprocessing vocabulary, manifest validation, the robust sigma, float16
 * and the patch PCA. Reference numbers were computed with numpy / torch
 * (commands quoted next to them), not by this code.
 */
import { describe, expect, it } from 'vitest';
import type { Cutout } from '@app/domain/cutout';
import { fromHalfBits, toHalfBits } from '@app/encoder/float16';
import type { ModelManifest, PreprocessStep } from '@app/encoder/manifest';
import { patchPca, toPatchOverlay } from '@app/encoder/patch-pca';
import { Preprocessor, preprocessShape } from '@app/encoder/preprocess';
import { resizePlane } from '@app/encoder/resize';
import { madSigma, medianInPlace } from '@app/encoder/robust';
import { validateManifest } from '@app/encoder/validate';

function cutout(bands: string[], h: number, w: number, f: (b: number, i: number) => number): Cutout {
  const data = new Float32Array(bands.length * h * w);
  for (let b = 0; b < bands.length; b++) for (let i = 0; i < h * w; i++) data[b * h * w + i] = f(b, i);
  return { bands, width: w, height: h, pixscale: 0.262, unit: 'nanomaggies', data };
}

function apply(steps: PreprocessStep[], c: Cutout, target: [number, number, number]): Float32Array {
  const p = new Preprocessor(steps, { bands: c.bands }, target);
  const out = new Float32Array(p.size + 2).fill(-99);
  p.run(c, out, 1);
  expect(out[0]).toBe(-99); // writes exactly its slot
  expect(out[out.length - 1]).toBe(-99);
  return out.subarray(1, 1 + p.size);
}

describe('preprocess ops', () => {
  it('select_bands reorders planes by name and refuses a missing band', () => {
    const c = cutout(['g', 'r', 'z'], 1, 2, (b, i) => 10 * b + i);
    expect(Array.from(apply([{ op: 'select_bands', bands: ['z', 'g'] }], c, [2, 1, 2]))).toEqual([20, 21, 0, 1]);
    expect(() => apply([{ op: 'select_bands', bands: ['i'] }], c, [1, 1, 2])).toThrow(/band 'i' not in the image/);
  });

  it('center_crop crops at floor((in-out)/2) and zero-pads smaller inputs at floor((out-in)/2)', () => {
    const c = cutout(['r'], 4, 5, (_b, i) => i + 1); // rows [1..5],[6..10],[11..15],[16..20]
    expect(Array.from(apply([{ op: 'center_crop', size: [2, 2] }], c, [1, 2, 2]))).toEqual([7, 8, 12, 13]);
    const small = cutout(['r'], 1, 2, (_b, i) => i + 1);
    // torchvision: pad left = (4-2)//2 = 1, top = (3-1)//2 = 1
    expect(Array.from(apply([{ op: 'center_crop', size: [3, 4] }], small, [1, 3, 4]))).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]);
  });

  it('resize matches torch.nn.functional.interpolate (bilinear align_corners=False, area, nearest)', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i); // torch.arange(12.).reshape(1,1,3,4)
    const run = (h: number, w: number, m: 'bilinear' | 'area' | 'nearest') => {
      const out = new Float32Array(h * w);
      resizePlane(src, 3, 4, out, h, w, m);
      return Array.from(out);
    };
    // F.interpolate(t, size=(2,3), mode='bilinear', align_corners=False)
    expectClose(run(2, 3, 'bilinear'), [1.1666667, 2.5, 3.8333335, 7.166667, 8.5, 9.833333]);
    // size=(5,6) bilinear (upsampling, edge clamping)
    expectClose(
      run(5, 6, 'bilinear'),
      [
        0, 0.5, 1.1666667, 1.8333334, 2.5, 3, 1.6, 2.1, 2.7666669, 3.4333334, 4.1, 4.6, 4, 4.5, 5.1666665, 5.8333335, 6.5, 7, 6.4, 6.9, 7.5666666, 8.233334,
        8.9, 9.4, 8, 8.5, 9.166666, 9.833333, 10.5, 11,
      ],
    );
    expectClose(run(2, 3, 'area'), [2.5, 3.5, 4.5, 6.5, 7.5, 8.5]);
    expect(run(2, 3, 'nearest')).toEqual([0, 1, 2, 4, 5, 6]);
    expect(run(5, 7, 'nearest')).toEqual([0, 0, 1, 1, 2, 2, 3, 0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7, 4, 4, 5, 5, 6, 6, 7, 8, 8, 9, 9, 10, 10, 11]);
  });

  it('nan_to_num, scale, asinh, normalize and clip', () => {
    const c = cutout(
      ['g', 'r'],
      1,
      3,
      (b, i) =>
        [
          [NaN, Infinity, 2],
          [-Infinity, 1, -3],
        ][b][i],
    );
    const steps: PreprocessStep[] = [
      { op: 'nan_to_num', value: 0.5 },
      { op: 'scale', factors: [2, -1] },
      { op: 'asinh', softening: [1, 2], multiplier: 3 },
      { op: 'normalize', mean: [0, 1], std: [1, 2] },
      { op: 'clip', min: -1, max: 4 },
    ];
    // numpy: x=[[.5,.5,2],[.5,1,-3]]*[[2],[-1]]; y=np.arcsinh(x/[[1],[2]])*3; (y-[[0],[1]])/[[1],[2]] clipped
    const y = [[1, 1, 4].map((v) => Math.asinh(v) * 3), [-0.5, -1, 3].map((v) => (Math.asinh(v / 2) * 3 - 1) / 2)].flat();
    expectClose(
      Array.from(apply(steps, c, [2, 1, 3])),
      y.map((v) => Math.min(4, Math.max(-1, v))),
    );
    expect(c.data[0]).toBeNaN(); // the cutout itself is never modified
  });

  it('sky_asinh uses 1.4826 * MAD per band (numpy median), floored at minSigma', () => {
    // numpy: a=[[1,2,3,4],[5,6,7,100],[-1,0,2,3],[1,1,1,1]]; med=2, mad=1 -> sigma=1.4826
    const a = [1, 2, 3, 4, 5, 6, 7, 100, -1, 0, 2, 3, 1, 1, 1, 1];
    const ref = [
      0.22297794163045578, 0.43574005759835377, 0.6316433983551033, 0.8083621631162388, 0.9664956441296491, 1.107966066124596, 1.2350213946375312,
      3.80640198125931, -0.22297794163045578, 0, 0.43574005759835377, 0.6316433983551033, 0.22297794163045578, 0.22297794163045578, 0.22297794163045578,
      0.22297794163045578,
    ];
    const c = cutout(['r', 'z'], 4, 4, (b, i) => (b === 0 ? a[i] : 1)); // z is flat: MAD 0 -> minSigma
    const out = apply([{ op: 'sky_asinh', k: 3, minSigma: [0.01, 0.5] }], c, [2, 4, 4]);
    expectClose(Array.from(out.subarray(0, 16)), ref);
    expectClose(Array.from(out.subarray(16)), new Array(16).fill(Math.asinh(1 / 1.5)));
  });

  it('legacysurvey_rgb reproduces AstroCLIP decals_to_rgb on known pixels', () => {
    // numpy: x=[.1,.2,.3]; s=[6.0,3.4,2.2]; y=max(0,x*s+.03); I=y.mean(); o=clip(y*arcsinh(20*I)/sqrt(20)/I,0,1)
    //   -> [0.6869429, 0.77417375, 0.75236604] (g,r,z); x=[.01,-.02,.005] -> [0.36358594, 0, 0.1656336]
    const c = cutout(
      ['g', 'r', 'z'],
      1,
      3,
      (b, i) =>
        [
          [0.1, 0.01, 0],
          [0.2, -0.02, 0],
          [0.3, 0.005, -1],
        ][b][i],
    );
    const step: PreprocessStep = { op: 'legacysurvey_rgb', scales: { g: 6.0, r: 3.4, z: 2.2 }, offset: 0.03, Q: 20, outputOrder: ['z', 'r', 'g'] };
    const out = Array.from(apply([step], c, [3, 1, 3]));
    // planes z, r, g; pixel 2 has g=r=0.03 (> 0) and z clamped to 0
    expectClose([out[0], out[3], out[6]], [0.75236604, 0.77417375, 0.6869429]);
    expectClose([out[1], out[4], out[7]], [0.1656336, 0, 0.36358594]);
    expect(out[2]).toBe(0);
    const zeros = cutout(['g', 'r', 'z'], 1, 1, () => -5);
    expect(Array.from(apply([step], zeros, [3, 1, 1]))).toEqual([0, 0, 0]);
  });

  it('shape inference follows bands and sizes through the steps', () => {
    const s = preprocessShape(
      [
        { op: 'select_bands', bands: ['g', 'r', 'z'] },
        { op: 'resize', size: [96, 96], method: 'area' },
        { op: 'legacysurvey_rgb', scales: { g: 1, r: 1, z: 1 }, offset: 0, Q: 1, outputOrder: ['z', 'g'] },
      ],
      { bands: ['g', 'r', 'z', 'i'], height: null, width: null },
    );
    expect(s).toEqual({ bands: ['z', 'g'], height: 96, width: 96 });
    expect(() => new Preprocessor([{ op: 'center_crop', size: [8, 8] }], { bands: ['g'] }, [1, 16, 16])).toThrow(
      /produces \[1,8,8\] but the model input is \[1,16,16\]/,
    );
  });
});

describe('robust sigma', () => {
  it('median and MAD follow numpy on odd and even counts, ignoring NaN', () => {
    const s = new Float64Array(16);
    expect(medianInPlace(Float64Array.from([5, 1, 4, 2, 3]), 5)).toBe(3);
    expect(medianInPlace(Float64Array.from([5, 1, 4, 2, 3, 10]), 6)).toBe(3.5);
    // numpy: np.median(abs(x - 3)) for x=[1,2,3,4,5,NaN dropped] = 1
    expect(madSigma([1, 2, 3, 4, 5, NaN], s)).toBeCloseTo(1.4826, 12);
    expect(madSigma([NaN, NaN], s)).toBe(0);
  });
});

function expectClose(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `index ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}

const goodManifest = (): ModelManifest => ({
  format: 'latent-sky-model',
  formatVersion: 1,
  name: 'm',
  version: '1',
  licence: 'MIT',
  file: 'model.onnx',
  input: { name: 'image', shape: ['batch', 3, 32, 32], dtype: 'float32' },
  bands: ['g', 'r', 'z'],
  pixscale: 0.262,
  preprocess: [
    { op: 'select_bands', bands: ['g', 'r', 'z'] },
    { op: 'center_crop', size: [32, 32] },
    { op: 'sky_asinh', k: 3, minSigma: [1, 1, 1] },
  ],
  outputs: { embedding: { name: 'embedding', dim: 16 }, patchTokens: { name: 'patch_tokens', dim: 8, grid: [4, 4] } },
  metric: 'cosine',
});

describe('validateManifest', () => {
  it('accepts a good manifest', () => {
    expect(validateManifest(goodManifest(), 'm.json').name).toBe('m');
  });

  const cases: [string, (m: Record<string, any>) => void, RegExp][] = [
    ['wrong format', (m) => (m.format = 'onnx'), /format must be 'latent-sky-model'/],
    ['missing name', (m) => delete m.name, /name must be a non-empty string/],
    ['unknown op', (m) => m.preprocess.push({ op: 'blur' }), /unknown op 'blur'/],
    ['bad op parameter', (m) => (m.preprocess[1].size = [32]), /center_crop: 'size' must be/],
    ['per-band count', (m) => (m.preprocess[2].minSigma = [1, 1]), /minSigma has 2 values but the image has 3 planes/],
    ['shape disagrees', (m) => (m.preprocess[1].size = [48, 48]), /produces \[3,48,48\] but input.shape is \[3,32,32\]/],
    ['no size fixed', (m) => m.preprocess.splice(1, 1), /never fixes the image size/],
    ['bad output dim', (m) => (m.outputs.embedding.dim = 0), /outputs.embedding must be/],
    ['bad grid', (m) => (m.outputs.patchTokens.grid = [4]), /outputs.patchTokens must be/],
    ['escaping file', (m) => (m.file = '../x.onnx'), /plain file name/],
    ['band missing', (m) => (m.bands = ['g', 'r']), /band 'z' not in the image/],
  ];
  for (const [what, mutate, re] of cases) {
    it(`refuses: ${what}`, () => {
      const m = goodManifest() as unknown as Record<string, any>;
      mutate(m);
      try {
        validateManifest(m, 'dir/manifest.json');
        expect.unreachable('should have thrown');
      } catch (e: any) {
        expect(e.code).toBe('MODEL_INVALID');
        expect(e.message).toMatch(/^dir\/manifest\.json: /);
        expect(e.message).toMatch(re);
        expect(e.message).not.toContain('\n');
      }
    });
  }
});

describe('float16 and patch PCA', () => {
  it('half floats round-trip like numpy.float16', () => {
    // numpy: np.float16(x).view(np.uint16) for 1, -2, 65504, 1e-7, 0.1, 70000
    expect([1, -2, 65504, 1e-7, 0.1, 70000].map(toHalfBits)).toEqual([0x3c00, 0xc000, 0x7bff, 0x0002, 0x2e66, 0x7c00]);
    expect(fromHalfBits(0x2e66)).toBeCloseTo(0.0999755859375, 12);
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
  });

  it('maps the dominant direction of the tokens to the first channel and flips rows for display', () => {
    // 2x3 grid, D'=4: tokens vary mostly along e0 with the column, a little along e1 with the row
    const rows = 2,
      cols = 3,
      dim = 4;
    const t = new Float32Array(rows * cols * dim);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const o = (r * cols + c) * dim;
        t[o] = 10 * c;
        t[o + 1] = r;
        t[o + 2] = 0.01 * ((r + c) % 2);
      }
    const p = patchPca(t, rows, cols, dim);
    const red = [0, 1, 2, 3, 4, 5].map((i) => p.rgb[i * 3]);
    // PC1 is +-column: red is 0, .5, 1 along each row (or reversed), identical in both rows
    expect(red[0]).toBe(red[3]);
    expect(Math.abs(red[2] - red[0])).toBeCloseTo(1, 6);
    expect(red[1]).toBeCloseTo(0.5, 6);
    expect(p.explained[0]).toBeGreaterThan(0.99);
    const o = toPatchOverlay(7, p);
    expect(o.rgb.length).toBe(18);
    expect(o.rgb[1]).toBe(Math.round(p.rgb[3 * 3 + 1] * 255)); // display row 0 = token row 1
  });
});
