/**
 * Corrupt and truncated input: real files cut at many offsets and with header
 * bytes flipped must give AppError (FITS_CORRUPT / FITS_TRUNCATED / FITS_UNSUPPORTED)
 * naming the file, never a crash or a silently wrong array. Lenient mode repairs what it can.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@app/core/errors';
import { readFits, readImage, readTable, type FitsFile } from '@app/fits/index';
import { createRng } from '@app/core/rng';

const dir = join(__dirname, '..', 'fixtures', 'fits');
const FILES = ['synth_float.fits', 'synth_float_rice.fits.fz', 'synth_int16_gzip2.fits.fz', 'astropy/tb.fits', 'astropy/ascii.fits', 'synth_cube_rice.fits.fz'];
const FITS_CODES = ['FITS_CORRUPT', 'FITS_TRUNCATED', 'FITS_UNSUPPORTED'];

/** reads everything; returns the error code or 'ok' */
function readAll(bytes: Uint8Array, name: string, strict = true): string {
  try {
    const f: FitsFile = readFits(bytes, { name, strict });
    for (const h of f.hdus) {
      if (h.kind === 'image' || h.kind === 'compressed') readImage(h);
      if (h.kind === 'bintable' || h.kind === 'table') readTable(h);
    }
    return 'ok';
  } catch (e) {
    if (!isAppError(e)) throw new Error(`${name}: non-AppError ${(e as Error).stack}`);
    expect(e.message).toContain(name);
    return e.code;
  }
}

describe('truncated files', () => {
  for (const file of FILES) {
    it(file, () => {
      const bytes = readFileSync(join(dir, file));
      // a cut exactly at an HDU boundary leaves a valid, shorter file: not a truncation anyone can see
      const boundaries = new Set(readFits(bytes).hdus.map((h) => h.headerOffset));
      const cuts = [0, 1, 79, 80, 2879, 2880, 2881, 5000, bytes.length - 2881, bytes.length - 1000, bytes.length - 1].filter(
        (c) => c >= 0 && c < bytes.length && !boundaries.has(c),
      );
      for (const cut of cuts) {
        const code = readAll(bytes.subarray(0, cut), `${file}@${cut}`);
        expect(FITS_CODES, `${file} cut at ${cut}`).toContain(code);
      }
    });
  }

  it('lenient mode keeps the complete HDUs and marks the cut one', () => {
    const bytes = readFileSync(join(dir, 'synth_float_rice.fits.fz'));
    const f = readFits(bytes.subarray(0, bytes.length - 5000), { name: 'cut.fz', strict: false });
    expect(f.hdus).toHaveLength(2);
    expect(f.hdus[1]!.truncated).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/cut.fz HDU 1: file ends inside the data unit/);
    expect(() => readImage(f.hdus[1]!)).toThrow(expect.objectContaining({ code: 'FITS_TRUNCATED' }));
    // data complete but the last block not padded: strict says truncated, lenient reads it
    const tb = readFileSync(join(dir, 'astropy', 'tb.fits'));
    const short = tb.subarray(0, tb.length - 2000);
    expect(() => readFits(short, { name: 'tb-short' })).toThrow(expect.objectContaining({ code: 'FITS_TRUNCATED' }));
    expect(readTable(readFits(short, { name: 'tb-short', strict: false }).hdus[1]!).rows).toBe(2);
  });
});

describe('flipped bytes', () => {
  it('random header byte flips never crash', () => {
    const rng = createRng(1234);
    for (const file of FILES) {
      const orig = readFileSync(join(dir, file));
      for (let k = 0; k < 60; k++) {
        const b = new Uint8Array(orig);
        const at = rng.int(Math.min(b.length, 2880 * 2));
        b[at] = rng.int(256);
        const code = readAll(b, `${file}#${at}`);
        expect(['ok', ...FITS_CODES, 'BAD_INPUT', 'NOT_FOUND']).toContain(code);
      }
    }
  });

  it('compressed tiles with garbage are FITS_CORRUPT', () => {
    const orig = readFileSync(join(dir, 'synth_float_gzip1.fits.fz'));
    const f0 = readFits(orig);
    const heapStart = f0.hdus[1]!.dataOffset + f0.hdus[1]!.header.number('NAXIS1')! * f0.hdus[1]!.rows!;
    const b = new Uint8Array(orig);
    for (let i = 0; i < 40; i++) b[heapStart + i] = 0xff;
    expect(readAll(b, 'garbage.fz')).toBe('FITS_CORRUPT');
  });

  it('strict rejects what lenient repairs', () => {
    const b = new Uint8Array(readFileSync(join(dir, 'synth_float.fits')));
    const card = 80 * 12; // a header card past the mandatory ones
    b[card + 3] = 0xe9; // non-ASCII byte in the header
    expect(() => readFits(b, { name: 'bad-ascii.fits' })).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: expect.stringMatching(/^bad-ascii.fits HDU 0: header card/) }),
    );
    const f = readFits(b, { name: 'bad-ascii.fits', strict: false });
    expect(f.warnings.length).toBeGreaterThan(0);
    expect(readImage(f.hdus[0]!).shape).toEqual([80, 100]);
  });

  it('not FITS at all', () => {
    expect(readAll(new TextEncoder().encode('hello world'.repeat(300)), 'text.txt')).toBe('FITS_CORRUPT');
    expect(readAll(new Uint8Array(0), 'empty.fits')).toBe('FITS_CORRUPT');
  });

  it('unsupported compression is FITS_UNSUPPORTED', () => {
    const b = new Uint8Array(readFileSync(join(dir, 'synth_int16_rice.fits.fz')));
    const text = new TextDecoder('latin1').decode(b.subarray(0, 5760));
    const at = text.indexOf("'RICE_1  '");
    b.set(new TextEncoder().encode("'PLIO_1  '"), at);
    expect(readAll(b, 'plio.fz')).toBe('FITS_UNSUPPORTED');
  });
});

describe('readFitsFile (main/node)', () => {
  it('names the path; missing file is NOT_FOUND, a directory is IO', async () => {
    const { readFitsFile } = await import('@main/node/fits/read-file');
    await expect(readFitsFile('/nonexistent/x.fits')).rejects.toMatchObject({ code: 'NOT_FOUND', message: '/nonexistent/x.fits: no such file' });
    await expect(readFitsFile(dir)).rejects.toMatchObject({ code: 'IO' });
    const f = await readFitsFile(join(dir, 'synth_cube.fits'));
    expect(f.name).toBe(join(dir, 'synth_cube.fits'));
    expect(f.hdus[0]!.shape).toEqual([3, 32, 32]);
  });
});
