import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@app/core/errors';
import { applyStretch, defaultRGBBands, legacyRGBA, luptonRGBA, monoRGBA, percentiles, renderCutout, stretchLevels, STRETCH_KINDS } from '@app/image/index';
import type { Cutout } from '@app/domain/cutout';

/** produced by tests/fixtures/image/make_fixtures.py (astropy 5.2 / numpy) */
const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'image', 'reference.json'), 'utf8'));
const W: number = ref.width,
  H: number = ref.height;
const planes: Float64Array[] = ref.planes.map((p: number[]) => Float64Array.from(p));

/** canvas RGBA (north up) back to FITS row order, RGB only */
function unflipRGB(rgba: Uint8ClampedArray, w: number, h: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    const row = (h - 1 - y) * w * 4;
    for (let x = 0; x < w; x++) out.push(rgba[row + 4 * x], rgba[row + 4 * x + 1], rgba[row + 4 * x + 2]);
  }
  return out;
}

describe('percentiles', () => {
  it('match numpy.nanpercentile and ignore NaN', () => {
    const data = (ref.percentile_data as (number | null)[]).map((v) => (v === null ? NaN : v));
    const ps = Object.keys(ref.percentiles).map(Number);
    const got = percentiles(data, ps);
    ps.forEach((p, k) => expect(got[k]).toBeCloseTo(ref.percentiles[String(p)], 10));
    expect(percentiles([1, 2, 3, 4], [50])[0]).toBe(2.5);
    expect(percentiles([5, 1, 4, 2, 3], [25])[0]).toBe(2);
    expect(Number.isNaN(percentiles([NaN, Infinity], [50])[0])).toBe(true);
  });
});

describe('single-band stretches', () => {
  it('hand-derived values', () => {
    const lv = { black: 0, white: 10 };
    const x = [-1, 0, 5, 10, 12];
    expect(Array.from(applyStretch(x, { kind: 'linear' }, lv))).toEqual([0, 0, 0.5, 1, 1]);
    expect(applyStretch([5], { kind: 'sqrt' }, lv)[0]).toBeCloseTo(Math.SQRT1_2, 6);
    // asinh(0.5 / 0.1) / asinh(1 / 0.1) = 2.312438 / 2.998223
    expect(applyStretch([5], { kind: 'asinh' }, lv)[0]).toBeCloseTo(0.771269, 5);
    // log10(1 + 1000 · 0.5) / log10(1001) = 2.699838 / 3.000434
    expect(applyStretch([5], { kind: 'log' }, lv)[0]).toBeCloseTo(0.899817, 5);
    const rgba = monoRGBA([5, 0, 10, NaN], 2, 2, { kind: 'linear' }, lv);
    // FITS row 0 = [5, 0] is the bottom canvas row; row 1 = [10, NaN] the top one
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 0, 0, 0, 0, 128, 128, 128, 255, 0, 0, 0, 255]);
  });

  it('are monotonic, clip to [0, 1] and use percentile levels', () => {
    const data = Array.from({ length: 500 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const sorted = [...data].sort((a, b) => a - b);
    for (const kind of STRETCH_KINDS) {
      const s = applyStretch(sorted, { kind, lowPercentile: 5, highPercentile: 95 });
      for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1]);
      expect(s[0]).toBe(0);
      expect(s[s.length - 1]).toBe(1);
      expect(s.filter((v) => v === 0).length).toBeGreaterThanOrEqual(25);
      expect(s.filter((v) => v === 1).length).toBeGreaterThanOrEqual(25);
    }
    const lv = stretchLevels(data, { kind: 'linear', lowPercentile: 10, highPercentile: 90 });
    expect(lv.black).toBeCloseTo(percentiles(data, [10])[0], 12);
    expect(lv.white).toBeCloseTo(percentiles(data, [90])[0], 12);
    // a constant or empty image does not divide by zero
    expect(Array.from(applyStretch([3, 3, 3], { kind: 'asinh' }))).toEqual([0, 0, 0]);
    expect(Number.isNaN(applyStretch([NaN], { kind: 'log' })[0])).toBe(true);
  });

  it('rejects bad parameters with BAD_INPUT', () => {
    for (const f of [
      () => applyStretch([1, 2], { kind: 'asinh', softening: 0 }),
      () => applyStretch([1, 2], { kind: 'cubic' as never }),
      () => stretchLevels([1, 2], { kind: 'linear', lowPercentile: 90, highPercentile: 10 }),
      () => monoRGBA([1, 2, 3], 2, 2, { kind: 'linear' }),
    ]) {
      let e: unknown;
      try {
        f();
      } catch (x) {
        e = x;
      }
      expect(isAppError(e) && e.code === 'BAD_INPUT').toBe(true);
    }
  });
});

describe('colour composites', () => {
  it('Lupton RGB equals astropy make_lupton_rgb', () => {
    for (const c of ref.lupton) {
      const got = unflipRGB(luptonRGBA([planes[0], planes[1], planes[2]], W, H, { Q: c.Q, stretch: c.stretch, minimum: c.minimum }), W, H);
      const diff = got.map((v, i) => Math.abs(v - c.rgb[i]));
      expect(Math.max(...diff), `Q=${c.Q}`).toBeLessThanOrEqual(1);
      expect(diff.filter((d) => d > 0).length, `Q=${c.Q}`).toBeLessThanOrEqual(2);
    }
  });

  it('Legacy Survey RGB equals the viewer formula and a hand-derived pixel', () => {
    const got = unflipRGB(legacyRGBA([planes[0], planes[1], planes[2]], ['g', 'r', 'z'], W, H), W, H);
    expect(got).toEqual(ref.legacy);
    // z 0.1, r 0.05, g 0.02: y = 0.25, 0.20, 0.15; I = 0.2; fI = asinh(4)/√20 = 0.468388
    // R = 0.25·fI/I = 0.585485 → 149; G = 0.468388 → 119; B = 0.351291 → 90
    const one = legacyRGBA([[0.02], [0.05], [0.1]], ['g', 'r', 'z'], 1, 1);
    expect(Array.from(one)).toEqual([149, 119, 90, 255]);
    // an empty pixel is grey: fI/I · 0.03 = asinh(0.6)/√20 = 0.127189 → 32
    expect(Array.from(legacyRGBA([[0], [0], [0]], ['g', 'r', 'z'], 1, 1))).toEqual([32, 32, 32, 255]);
    expect(Array.from(legacyRGBA([[NaN], [0], [0]], ['g', 'r', 'z'], 1, 1))).toEqual([0, 0, 0, 0]);
    // brighter in every band never gets darker
    let prev = -1;
    for (const f of [0, 0.01, 0.1, 1, 10, 100]) {
      const v = legacyRGBA([[f], [f], [f]], ['g', 'r', 'z'], 1, 1);
      expect(v[1]).toBeGreaterThanOrEqual(prev);
      prev = v[1];
    }
  });

  it('renderCutout dispatches by mode, picks bands by wavelength and flips north up', () => {
    const w = 3,
      h = 2,
      n = w * h;
    const data = new Float32Array(3 * n);
    data[2 * n + (h - 1) * w] = 5; // z band, top-left in the sky (last FITS row, x = 0)
    const c: Cutout = { bands: ['g', 'r', 'z'], width: w, height: h, pixscale: 0.262, unit: 'nanomaggies', data };
    expect(defaultRGBBands(['g', 'z', 'r'])).toEqual(['z', 'r', 'g']);
    const lup = renderCutout(c, { mode: 'lupton', Q: 8, stretch: 1 });
    expect(lup[0]).toBe(255);
    expect(lup[1]).toBe(0);
    const leg = renderCutout(c, { mode: 'legacy' });
    expect(leg[0]).toBeGreaterThan(leg[2]);
    const mono = renderCutout(c, { mode: 'band', band: 'z', kind: 'linear' });
    expect(mono[0]).toBe(255);
    expect(mono[4 * w]).toBe(0);
    let e: unknown;
    try {
      renderCutout(c, { mode: 'band', band: 'i', kind: 'linear' });
    } catch (x) {
      e = x;
    }
    expect(isAppError(e) && e.code === 'BAD_INPUT').toBe(true);
  });
});
