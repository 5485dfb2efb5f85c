/** The ingest contract carries the options `latent-sky ingest` has (one ingest plan), checked by its validator. */
import { describe, expect, it } from 'vitest';
import { validateIngestStart } from '@app/contracts/ingest';
import { legacyShape } from '@main/node/ingest/plan';

const ctx = { count: null };
const start = (options: Record<string, unknown>) => validateIngestStart({ source: 'legacysurvey', path: '/data/cat.csv', options }, ctx, 'ingest.start');

describe('ingest options of the contract', () => {
  it('accepts the options the CLI has', () => {
    const v = start({
      bricks: 'https://example.org/survey-bricks.fits.gz',
      coaddUrl: 'https://example.org/dr10/south',
      timeout: 300,
      retries: 2,
      bands: 'gr',
      raColumn: 'RA',
      idColumn: 'objid',
      cacheDir: '/tmp/c',
    });
    expect(v.options).toEqual({
      bricks: 'https://example.org/survey-bricks.fits.gz',
      coaddUrl: 'https://example.org/dr10/south',
      timeout: 300,
      retries: 2,
      bands: 'gr',
      raColumn: 'RA',
      idColumn: 'objid',
      cacheDir: '/tmp/c',
    });
    expect(start({ bricks: '/data/survey-bricks.fits' }).options.bricks).toBe('/data/survey-bricks.fits');
    expect(legacyShape(v).shape.bands).toEqual(['g', 'r']);
    expect(legacyShape(start({})).shape).toEqual({ bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' });
  });

  it('refuses bad values with one line', () => {
    for (const bad of [{ retries: -1 }, { timeout: 0 }, { bricks: 'relative/path' }, { rgbAs: 'bgr' }, { bands: 'g r' }, { limit: 1.5 }, { nope: 1 }])
      expect(() => start(bad), JSON.stringify(bad)).toThrow(/ingest\.start/);
  });
});
