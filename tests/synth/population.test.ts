import { describe, expect, it } from 'vitest';
import { CLASS_NAMES, classRates, DEFAULT_RATES, expectedClassCounts, surveyObjectMeta, type SynthClass } from '@app/synth/index';

const DEG = Math.PI / 180;
function sep(ra1: number, dec1: number, ra2: number, dec2: number) {
  const c = Math.sin(dec1 * DEG) * Math.sin(dec2 * DEG) + Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * Math.cos((ra1 - ra2) * DEG);
  return Math.acos(Math.min(1, c)) / DEG;
}

describe('synthetic survey: population', () => {
  const N = 20000;
  const opts = { count: N, seed: 2024, center: { ra: 359.5, dec: -30 }, radiusDeg: 1.5 };
  const metas = Array.from({ length: N }, (_, i) => surveyObjectMeta(opts, i));

  it('class counts are within binomial tolerance of the documented rates', () => {
    const expected = expectedClassCounts(N);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeCloseTo(N, 6);
    for (const c of CLASS_NAMES) {
      const k = metas.filter((m) => m.object.truth === c).length;
      const p = DEFAULT_RATES[c];
      const sd = Math.sqrt(N * p * (1 - p));
      expect(Math.abs(k - expected[c]), `${c}: ${k} vs ${expected[c]}`).toBeLessThan(4.5 * sd);
    }
  });

  it('custom rates are renormalised and respected', () => {
    const r = classRates({ lens: 0.2, star: 0 });
    expect(Object.values(r).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.star).toBe(0);
    const o = { count: 2000, seed: 5, rates: { lens: 0.2, star: 0 } as Partial<Record<SynthClass, number>> };
    const ms = Array.from({ length: 2000 }, (_, i) => surveyObjectMeta(o, i));
    expect(ms.some((m) => m.object.truth === 'star')).toBe(false);
    const lenses = ms.filter((m) => m.object.truth === 'lens').length;
    const p = r.lens;
    expect(Math.abs(lenses - 2000 * p)).toBeLessThan(4.5 * Math.sqrt(2000 * p * (1 - p)));
  });

  it('positions lie in the requested patch (across ra = 0) and fill it', () => {
    let maxSep = 0,
      wrapped = 0;
    for (const { object } of metas) {
      expect(object.ra).toBeGreaterThanOrEqual(0);
      expect(object.ra).toBeLessThan(360);
      const s = sep(object.ra, object.dec, 359.5, -30);
      maxSep = Math.max(maxSep, s);
      if (object.ra < 180) wrapped++;
    }
    expect(maxSep).toBeLessThanOrEqual(1.5 + 1e-6);
    expect(maxSep).toBeGreaterThan(1.45);
    expect(wrapped).toBeGreaterThan(N * 0.1);
    // uniform in area: half the objects within 1.5/√2 degrees
    const inner = metas.filter((m) => sep(m.object.ra, m.object.dec, 359.5, -30) < 1.5 / Math.SQRT2).length;
    expect(Math.abs(inner / N - 0.5)).toBeLessThan(0.02);
  });

  it('catalogue extras: common columns everywhere, class parameters where they belong', () => {
    for (const { object } of metas.slice(0, 3000)) {
      for (const k of ['mag_g', 'mag_r', 'mag_z', 'redshift', 'half_light_radius', 'psf_fwhm_r'])
        expect(typeof object.extra[k], `${object.id} ${k}`).toBe('number');
      expect(object.source).toBe('synthetic');
      expect(object.id).toMatch(/^SYN-\d{6}$/);
    }
    const byClass = (c: string) => metas.filter((m) => m.object.truth === c).map((m) => m.object.extra);
    for (const e of byClass('lens')) {
      expect(e.einstein_radius as number).toBeGreaterThanOrEqual(1);
      expect(e.magnification as number).toBeGreaterThan(1);
    }
    for (const e of byClass('artefact')) expect(['trail', 'saturated']).toContain(e.artefact_kind);
    for (const e of byClass('tidal')) expect(['shells', 'stream', 'plume']).toContain(e.tidal_kind);
    for (const e of byClass('ring')) expect(e.ring_radius as number).toBeGreaterThan(1.5);
    for (const e of byClass('merger')) expect(e.merger_sep as number).toBeGreaterThan(1);
    for (const e of byClass('star')) expect(e.redshift).toBe(0);
  });

  it('fainter galaxies are further away and smaller on the sky', () => {
    const gal = metas.filter((m) => m.object.truth === 'spiral' || m.object.truth === 'elliptical').map((m) => m.object.extra);
    const bright = gal.filter((e) => (e.mag_r as number) < 18.5),
      faint = gal.filter((e) => (e.mag_r as number) > 20);
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    expect(med(faint.map((e) => e.redshift as number))).toBeGreaterThan(1.5 * med(bright.map((e) => e.redshift as number)));
    expect(med(faint.map((e) => e.half_light_radius as number))).toBeLessThan(med(bright.map((e) => e.half_light_radius as number)));
  });
});
