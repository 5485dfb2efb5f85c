/** The adaptive graticule's step, lines and labels, and the cutout WCS used by the pixel readout. */
import { describe, expect, it } from 'vitest';
import { formatDecLabel, formatRaLabel, formatStep, gridLines, gridStep, GRID_STEPS } from '@app/sky/graticule';
import { cutoutWcs, displayToPixel } from '@app/sky/cutout-wcs';
import { angularSeparation } from '@app/sky/coords';

describe('adaptive graticule', () => {
  it('chooses 30° for the whole sky and 1′ when zoomed to arcminutes, finer as the field shrinks', () => {
    expect(gridStep(360)).toBe(30);
    expect(gridStep(120)).toBe(15);
    expect(gridStep(40)).toBe(5);
    expect(gridStep(4)).toBe(0.5);
    expect(gridStep(0.5)).toBeCloseTo(1 / 12);
    expect(gridStep(0.05)).toBeCloseTo(1 / 60);
    expect(gridStep(0.001)).toBeCloseTo(1 / 60);
    let last = Infinity;
    for (let f = 360; f > 0.01; f /= 1.3) {
      const s = gridStep(f);
      expect(s).toBeLessThanOrEqual(last);
      if (s < 30) expect(f / s).toBeLessThanOrEqual(8 + 1e-9);
      if (s > 1 / 60) expect(f / s).toBeGreaterThan(2); // not needlessly coarse
      last = s;
    }
    expect(GRID_STEPS.map(formatStep)).toEqual(['30°', '15°', '10°', '5°', '2°', '1°', '30′', '20′', '10′', '5′', '2′', '1′']);
  });

  it('draws the whole sky when wide, and a window around the centre when zoomed in', () => {
    const all = gridLines(150, 2, 200, 30);
    expect(all.ras).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330]);
    expect(all.decs).toEqual([-60, -30, 0, 30, 60]);
    const near = gridLines(150.1, 2.2, 0.5, 1 / 12);
    expect(near.ras.length).toBeGreaterThan(6);
    expect(near.ras.length).toBeLessThan(30);
    for (const r of near.ras) expect(Math.abs(r - 150.1)).toBeLessThan(1.5);
    for (const d of near.decs) expect(Math.abs(d - 2.2)).toBeLessThan(1.5);
    expect(near.decs).toContain(2.25);
    // every line is on the grid
    for (const r of near.ras) expect(Math.abs(r * 12 - Math.round(r * 12))).toBeLessThan(1e-6);
    // near a pole all of RA is covered
    expect(gridLines(0, 89.5, 2, 0.5).ras.length).toBe(720);
  });

  it('labels RA in hours and Dec in degrees, as fine as the step', () => {
    expect(formatRaLabel(150, 30)).toBe('10h');
    expect(formatRaLabel(150 + ((5 / 60) * 15) / 1, 0.5)).toBe('10h05m');
    expect(formatRaLabel(150.025, 1 / 60)).toBe('10h00m06s');
    expect(formatRaLabel(360, 30)).toBe('0h');
    expect(formatDecLabel(30, 30)).toBe('+30°');
    expect(formatDecLabel(-2.5, 0.5)).toBe('-2°30′');
    expect(formatDecLabel(2.25, 1 / 12)).toBe('+2°15′');
    expect(formatDecLabel(-0.0166667, 1 / 60)).toBe('-0°01′');
  });
});

describe('cutout WCS', () => {
  it('puts the object at the image centre, north up, east left, at the pixel scale', () => {
    const w = cutoutWcs(150, 2, 64, 64, 0.262);
    const [ra, dec] = w.pixToSky(31.5, 31.5);
    expect(angularSeparation(ra, dec, 150, 2) * 3600).toBeLessThan(1e-6);
    const [ra2, dec2] = w.pixToSky(31.5, 41.5); // 10 px up = north
    expect((dec2 - 2) * 3600).toBeCloseTo(2.62, 3);
    expect(ra2).toBeCloseTo(150, 8);
    const [ra3] = w.pixToSky(21.5, 31.5); // 10 px left = east = larger RA
    expect((ra3 - 150) * 3600 * Math.cos((2 * Math.PI) / 180)).toBeCloseTo(2.62, 3);
    expect(w.pixscale).toBeCloseTo(0.262, 9);
  });

  it('maps display rows (top first) to stored rows (bottom first)', () => {
    expect(displayToPixel(0, 0, 64, 64)).toEqual({ x: 0, y: 63 });
    expect(displayToPixel(63.9, 63.9, 64, 64)).toEqual({ x: 63, y: 0 });
    expect(displayToPixel(64, 0, 64, 64)).toBeNull();
    expect(displayToPixel(-0.5, 3, 64, 64)).toBeNull();
  });
});
