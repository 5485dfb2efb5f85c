/**
 * TAN / SIN pixel ↔ sky against astropy.wcs (wcs_reference.json, made by
 * tests/fixtures/fits/make_fixtures.py with WCS.wcs_pix2world / wcs_world2pix, origin 0).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWcs, readFits, writeFits, type FitsHeader } from '@app/fits/index';

const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'fits', 'wcs_reference.json'), 'utf8')) as Record<
  string,
  { header: Record<string, number | string>; pixel0: [number, number][]; sky: [number | null, number | null][] }
>;

/** a header made the way files are: written with writeFits, read back with readFits */
function headerOf(cards: Record<string, number | string>): FitsHeader {
  const bytes = writeFits([
    { kind: 'image', shape: [4, 4], data: new Float32Array(16), header: Object.entries(cards).map(([key, value]) => ({ key, value })) },
  ]);
  return readFits(bytes).hdus[0]!.header;
}

function angDistArcsec(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  // haversine: accurate for tiny separations
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return ((2 * Math.asin(Math.min(1, Math.sqrt(h)))) / r) * 3600;
}

describe('celestial WCS vs astropy.wcs', () => {
  for (const [name, c] of Object.entries(ref)) {
    it(name, () => {
      const w = parseWcs(headerOf(c.header), name);
      c.pixel0.forEach(([x, y], i) => {
        const sky = w.pixToSky(x, y);
        if (c.sky[i]![0] === null) {
          // off the projection (SIN beyond the limb): astropy gives NaN
          expect(sky[0]).toBeNaN();
          return;
        }
        expect(angDistArcsec(sky, c.sky[i] as [number, number]), `${name} pixel (${x}, ${y})`).toBeLessThan(1e-6);
        const [lon, lat] = c.sky[i] as [number, number];
        const [px, py] = w.skyToPix(lon, lat);
        expect(Math.abs(px - x) + Math.abs(py - y), `${name} back to pixel ${i}`).toBeLessThan(1e-6);
        // FITS 1-based convention is the same point shifted by one
        const sky1 = w.pixToSky(x + 1, y + 1, 1);
        expect(angDistArcsec(sky1, sky)).toBeLessThan(1e-9);
      });
    });
  }

  it('the Legacy Survey cutout fixture: TAN with a CD matrix, 0.262"/pixel, centre at CRVAL', () => {
    const f = readFits(readFileSync(join(__dirname, '..', 'fixtures', 'fits', 'synth_cube.fits')));
    const w = parseWcs(f.hdus[0]!.header);
    expect(w.projection).toBe('TAN');
    expect(w.pixscale).toBeCloseTo(0.262, 6);
    const [ra, dec] = w.pixToSky(15.5, 15.5); // CRPIX 16.5 (1-based) = 15.5 (0-based)
    expect(ra).toBeCloseTo(210.5, 9);
    expect(dec).toBeCloseTo(-5.25, 9);
  });

  it('unsupported or missing celestial WCS is a clear error', () => {
    expect(() => parseWcs(headerOf({ CTYPE1: 'RA---ZEA', CTYPE2: 'DEC--ZEA' }), 'x.fits HDU 0')).toThrow(
      expect.objectContaining({ code: 'FITS_UNSUPPORTED', message: expect.stringContaining('x.fits HDU 0') }),
    );
    expect(() => parseWcs(headerOf({ OBJECT: 'M31' }))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => parseWcs(headerOf({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CD1_1: 0, CD2_2: 0 }))).toThrow(expect.objectContaining({ code: 'FITS_CORRUPT' }));
  });

  it('points behind a TAN projection map to NaN pixels', () => {
    const w = parseWcs(headerOf({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 0, CRVAL2: 0, CDELT1: -0.001, CDELT2: 0.001 }));
    expect(w.skyToPix(180, 0)[0]).toBeNaN();
  });
});
