import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { addPoint, convolveDirect, convolveSeparable, gaussianKernel } from '@app/synth/psf';
import { addSersic, sersicB } from '@app/synth/sersic';
import { normalQuantile } from '@app/synth/noise';

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

describe('PSF and profiles', () => {
  it('separable convolution conserves flux and equals the direct 2-D convolution', () => {
    const w = 64,
      img = new Float32Array(w * w),
      rng = createRng(3);
    for (let k = 0; k < 40; k++) img[(16 + rng.int(32)) * w + 16 + rng.int(32)] = rng.uniform(0, 5);
    const kern = gaussianKernel(2.3);
    // sparse rows and sources at the edges exercise the span bookkeeping
    const edge = new Float32Array(w * w);
    for (const [x, y] of [
      [0, 0],
      [63, 5],
      [2, 63],
      [40, 30],
      [41, 31],
    ])
      edge[y * w + x] = 1;
    const edgeDirect = convolveDirect(edge, w, w, kern);
    convolveSeparable(edge, w, w, kern, new Float32Array(w * w).fill(7));
    for (let i = 0; i < edge.length; i++) expect(Math.abs(edge[i] - edgeDirect[i])).toBeLessThan(1e-6);
    const before = sum(img);
    expect(sum(kern)).toBeCloseTo(1, 6);
    const direct = convolveDirect(img, w, w, kern);
    convolveSeparable(img, w, w, kern, new Float32Array(w * w));
    expect(sum(img) / before).toBeCloseTo(1, 5);
    let maxDiff = 0;
    for (let i = 0; i < img.length; i++) maxDiff = Math.max(maxDiff, Math.abs(img[i] - direct[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    // a delta becomes the kernel: FWHM of the kernel is 2.3548 σ
    const d = new Float32Array(w * w);
    d[32 * w + 32] = 1;
    convolveSeparable(d, w, w, kern, new Float32Array(w * w));
    const peak = d[32 * w + 32];
    let area = 0;
    for (const v of d) if (v >= peak / 2) area++;
    expect(2 * Math.sqrt(area / Math.PI)).toBeGreaterThan(2.3548 * 2.3 * 0.9);
    expect(2 * Math.sqrt(area / Math.PI)).toBeLessThan(2.3548 * 2.3 * 1.15);
  });

  it('point sources keep their flux and centroid', () => {
    const w = 64,
      img = new Float32Array(w * w);
    addPoint(img, w, w, 30.3, 33.7, 7, 2.1, new Float32Array(w), new Float32Array(w));
    expect(sum(img)).toBeCloseTo(7, 4);
    let mx = 0,
      my = 0;
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        mx += x * img[y * w + x];
        my += y * img[y * w + x];
      }
    expect(mx / 7).toBeCloseTo(30.3, 3);
    expect(my / 7).toBeCloseTo(33.7, 3);
  });

  it('Sérsic profiles integrate to their analytic total flux, with or without the lookup table', () => {
    // [n, re, fraction of the light within the cut (regularised incomplete gamma, scipy.special.gammainc(2n, b·(cut/re)^(1/n)))]
    for (const [n, re, enclosed] of [
      [1, 3, 1],
      [2.5, 3, 0.9998],
      [4, 2, 0.9991],
      [4, 0.8, 0.9991],
      [6, 1.5, 0.9924],
    ]) {
      const w = 200,
        img = new Float32Array(w * w);
      const cut = n >= 4 ? 45 * re : 25 * re;
      addSersic(img, w, w, { x: 100.2, y: 99.7, n, re, q: 0.7, pa: 0.4 }, 2, Math.min(cut, 99));
      expect(sum(img) / 2 / enclosed, `n=${n} re=${re}`).toBeGreaterThan(0.98);
      expect(sum(img) / 2 / enclosed, `n=${n} re=${re}`).toBeLessThan(1.01);
    }
    // table path (large box) and direct path (small box) agree pixel by pixel
    const w = 128,
      a = new Float32Array(w * w),
      b = new Float32Array(w * w);
    const s = { x: 64.3, y: 63.8, n: 4, re: 5, q: 0.8, pa: 1 };
    addSersic(a, w, w, s, 1, 60);
    addSersic(b, w, w, s, 1, 10);
    for (let y = 58; y <= 70; y++)
      for (let x = 58; x <= 70; x++) {
        if (b[y * w + x] === 0) continue;
        expect(Math.abs(a[y * w + x] / b[y * w + x] - 1)).toBeLessThan(2e-3);
      }
    expect(sersicB(4)).toBeCloseTo(7.669, 3);
    expect(sersicB(1)).toBeCloseTo(1.678, 3);
  });

  it('the inverse normal CDF is accurate', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 4);
  });
});
