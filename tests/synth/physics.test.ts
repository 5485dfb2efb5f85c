/**
 * Physical sanity of the synthetic cutouts, measured from the pixels.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { cutoutPlane } from '@app/domain/cutout';
import { DEFAULT_CONDITIONS, planObject, renderScene, resolveOptions, surveyObject, surveyObjectMeta, noiseRng } from '@app/synth/index';

const o = resolveOptions({ count: 6000, seed: 11 });
const metas = Array.from({ length: o.count }, (_, i) => surveyObjectMeta(o, i));
const indicesOf = (cls: string, n: number) =>
  metas
    .map((m, i) => (m.object.truth === cls ? i : -1))
    .filter((i) => i >= 0)
    .slice(0, n);

/** flux in a circular aperture of radius r pixels around the stamp centre */
function aperture(plane: Float32Array, w: number, r: number, r0 = 0): number {
  const c = w / 2;
  let s = 0;
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - c, y - c);
      if (d <= r && d >= r0) s += plane[y * w + x];
    }
  return s;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('synthetic survey: physics from the pixels', () => {
  it('ellipticals are redder than spirals in g − r (aperture photometry on noisy cutouts)', () => {
    const colour = (i: number) => {
      const c = surveyObject(o, i).cutout;
      const g = aperture(cutoutPlane(c, 0), 64, 6),
        r = aperture(cutoutPlane(c, 1), 64, 6);
      return -2.5 * Math.log10(Math.max(g, 1e-4) / Math.max(r, 1e-4));
    };
    const e = indicesOf('elliptical', 80).map(colour),
      s = indicesOf('spiral', 80).map(colour);
    expect(median(e)).toBeGreaterThan(median(s) + 0.2);
  });

  it('stars are point-like: the half-maximum area gives the PSF FWHM; galaxies are broader', () => {
    const fwhmOf = (i: number, role: string) => {
      const scene = planObject(o, i);
      const c = renderScene(scene, o, noiseRng(o, i), {
        noise: false,
        include: (k) => k.role === role || (role === 'main' && (k.role === 'disk' || k.role === 'bulge' || k.role === 'arms')),
      });
      const p = cutoutPlane(c, 1);
      let mx = 0;
      for (const v of p) mx = Math.max(mx, v);
      let area = 0;
      for (const v of p) if (v >= mx / 2) area++;
      return { measured: 2 * Math.sqrt(area / Math.PI) * o.pixscale, psf: scene.object.extra.psf_fwhm_r as number };
    };
    for (const i of indicesOf('star', 20)) {
      const { measured, psf } = fwhmOf(i, 'main');
      expect(Math.abs(measured / psf - 1), `star ${i}`).toBeLessThan(0.12);
    }
    const broader = indicesOf('spiral', 30)
      .map((i) => fwhmOf(i, 'main'))
      .filter((f) => f.measured > 1.15 * f.psf).length;
    expect(broader).toBeGreaterThan(20);
  });

  it('lenses have extra flux in an annulus at the Einstein radius beyond their deflector model', () => {
    const lenses = indicesOf('lens', 12);
    expect(lenses.length).toBeGreaterThanOrEqual(8);
    let ratioSum = 0;
    for (const i of lenses) {
      const scene = planObject(o, i);
      const full = surveyObject(o, i).cutout;
      const model = renderScene(scene, o, noiseRng(o, i), { noise: false, include: (c) => c.role !== 'arc' });
      const thetaE = (scene.object.extra.einstein_radius as number) / o.pixscale;
      // SIS images lie at θE ± β (β = source offset); allow for ellipticity and the PSF
      const beta = (scene.object.extra.source_offset as number) * thetaE;
      const rIn = Math.max(0, thetaE - beta - 3),
        rOut = thetaE + beta + 3;
      const resid = cutoutPlane(full, 0).map((v, k) => v - cutoutPlane(model, 0)[k]);
      const ann = aperture(resid, 64, rOut, rIn);
      const nPix = Math.PI * (rOut ** 2 - rIn ** 2);
      const sigma = DEFAULT_CONDITIONS.g.skySigma * Math.sqrt(nPix);
      ratioSum += ann / sigma;
      // noise-free arcs: most of the lensed light lies near the Einstein radius
      const arcs = renderScene(scene, o, createRng(1), { noise: false, include: (c) => c.role === 'arc' });
      const total = aperture(cutoutPlane(arcs, 0), 64, 64);
      expect(aperture(cutoutPlane(arcs, 0), 64, rOut, rIn) / total, `lens ${i}`).toBeGreaterThan(0.7);
      // and little of it falls inside the inner edge, where an unlensed source would sit
      expect(aperture(cutoutPlane(arcs, 0), 64, Math.max(0, rIn - 1)) / total, `lens ${i}`).toBeLessThan(0.2);
      expect(total / (scene.object.extra.magnification as number)).toBeGreaterThan(0);
    }
    // on average the annulus excess in g is well above the noise
    expect(ratioSum / lenses.length).toBeGreaterThan(3);
  });

  it('noise measured in the corners matches the configured sky noise', () => {
    const n = 150,
      per: number[][] = [[], [], []];
    for (let i = 0; i < n; i++) {
      const c = surveyObject(o, i).cutout;
      for (let b = 0; b < 3; b++) {
        const p = cutoutPlane(c, b);
        for (const [x0, y0] of [
          [0, 0],
          [56, 0],
          [0, 56],
          [56, 56],
        ])
          for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) per[b].push(p[y * 64 + x]);
      }
    }
    for (let b = 0; b < 3; b++) {
      const med = median(per[b]);
      const mad = median(per[b].map((v) => Math.abs(v - med)));
      const sigma = 1.4826 * mad;
      const want = o.conditions[b].skySigma;
      expect(Math.abs(sigma / want - 1), `band ${o.bands[b]}: ${sigma} vs ${want}`).toBeLessThan(0.05);
      expect(Math.abs(med)).toBeLessThan(0.2 * want);
    }
  });

  it('noise-free rendering has no noise and the noisy one differs only by noise', () => {
    const i = indicesOf('elliptical', 1)[0];
    const clean = surveyObject({ count: 6000, seed: 11, noise: false }, i).cutout;
    const noisy = surveyObject(o, i).cutout;
    const d = cutoutPlane(noisy, 1).map((v, k) => v - cutoutPlane(clean, 1)[k]);
    const corner = aperture(
      cutoutPlane(clean, 1).map((v, k) => (k % 64 < 6 && k < 6 * 64 ? v : 0)),
      64,
      64,
    );
    expect(Math.abs(corner)).toBeLessThan(0.01);
    let ss = 0;
    for (const v of d) ss += v * v;
    expect(Math.sqrt(ss / d.length)).toBeGreaterThan(0.5 * o.conditions[1].skySigma);
  });
});
