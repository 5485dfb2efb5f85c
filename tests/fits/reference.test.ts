/**
 * Every fixture in tests/fixtures/fits/ read with app/fits and compared with
 * what astropy read from the same file (reference.json, made by
 * tests/fixtures/fits/make_fixtures.py): HDU kinds, shapes, BITPIX, pixel
 * statistics, pixel values at fixed indices (incl. dithered, quantised tiles
 * of fpack's RICE_1 / GZIP_1 / GZIP_2 files) and table columns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ditherTable, imageStats, readFits, readImage, readTable, type Hdu } from '@app/fits/index';

const dir = join(__dirname, '..', 'fixtures', 'fits');

interface RefHdu {
  index: number;
  name: string;
  class: string;
  bitpix?: number;
  shape?: number[];
  samples?: [number, number | null][];
  stats?: { min: number | null; max: number | null; mean: number | null; nanCount: number };
  rows?: number;
  columns?: { name: string; format: string; values: unknown[] }[];
}
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Record<string, RefHdu[]>;

const KIND: Record<string, Hdu['kind'][]> = {
  PrimaryHDU: ['image', 'empty'],
  ImageHDU: ['image', 'empty'],
  CompImageHDU: ['compressed'],
  BinTableHDU: ['bintable'],
  TableHDU: ['table'],
  GroupsHDU: ['random_groups'],
};

function close(a: number | null, b: number | null, rel = 1e-6): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

function flat(v: unknown): unknown[] {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return [v];
  if (typeof v === 'bigint') return [Number(v)];
  return Array.from(v as ArrayLike<unknown>).flatMap((x) => (typeof x === 'bigint' ? [Number(x)] : [x]));
}

describe('fixtures read like astropy reads them', () => {
  for (const [file, hdus] of Object.entries(reference)) {
    it(file, () => {
      const f = readFits(readFileSync(join(dir, file)), { name: file });
      expect(f.hdus.length).toBe(hdus.length);
      for (const ref of hdus) {
        const h = f.hdus[ref.index]!;
        expect(KIND[ref.class], `${file} HDU ${ref.index} class`).toContain(h.kind);
        expect(h.name).toBe(ref.name);
        if (ref.bitpix !== undefined) expect(h.bitpix).toBe(ref.bitpix);
        if (ref.shape && h.kind !== 'random_groups') expect(h.shape).toEqual(ref.shape);
        if (ref.samples) {
          const img = readImage(h);
          expect(img.shape).toEqual(ref.shape);
          for (const [i, v] of ref.samples) {
            const got = img.data[i]!;
            if (v === null) expect(got, `${file} pixel ${i}`).toBeNaN();
            else expect(close(got, v), `${file} pixel ${i}: ${got} vs astropy ${v}`).toBe(true);
          }
          const s = imageStats(img.data);
          expect(s.nanCount).toBe(ref.stats!.nanCount);
          expect(close(s.min, ref.stats!.min)).toBe(true);
          expect(close(s.max, ref.stats!.max)).toBe(true);
          expect(close(s.mean, ref.stats!.mean)).toBe(true);
        }
        if (ref.columns) {
          const t = readTable(h);
          expect(t.rows).toBe(ref.rows);
          ref.columns.forEach((rc, j) => {
            const col = t.columns[j]!;
            expect(col.name).toBe(rc.name);
            if (Array.isArray(col.data) && col.data.length && typeof col.data[0] === 'object') {
              // variable-length arrays: one array per row
              expect((col.data as ArrayLike<number>[]).map((r) => flat(r))).toEqual(rc.values);
              return;
            }
            const got = flat(col.data);
            expect(got.length, `${file} column ${rc.name}`).toBe(rc.values.length);
            got.forEach((g, k) => {
              if (col.nulls?.[k]) return; // astropy shows TNULL fields as 0; here they are NaN and flagged
              const want = rc.values[k];
              if (typeof want === 'number') expect(close(g as number, want), `${file} ${rc.name}[${k}] ${g} vs ${want}`).toBe(true);
              else if (want === null) expect(g).toBeNaN();
              else expect(g, `${file} ${rc.name}[${k}]`).toEqual(want);
            });
          });
        }
      }
    });
  }
});

describe('details', () => {
  it('dither table matches the standard generator (state 1043618065 after 10 000 draws)', () => {
    const t = ditherTable();
    expect(t.length).toBe(10000);
    expect(t[0]).toBeCloseTo(16807 / 2147483647, 15);
    expect(t[9999]! * 2147483647).toBeCloseTo(1043618065, 3);
  });

  it('a Legacy-Survey-like 3-plane cube keeps band order and its WCS cards', () => {
    const f = readFits(readFileSync(join(dir, 'synth_cube.fits')), { name: 'cube' });
    const h = f.hdus[0]!;
    expect(h.shape).toEqual([3, 32, 32]);
    expect(h.header.string('BANDS')).toBe('grz');
    expect(h.header.string('CTYPE1')).toBe('RA---TAN');
  });

  it('CONTINUE long strings and HISTORY survive', () => {
    const h = readFits(readFileSync(join(dir, 'synth_float.fits'))).hdus[0]!.header;
    expect(h.string('LONGSTR')).toBe('a long string value that does not fit on one card and so is continued with CONTINUE cards in FITS');
    expect(h.all('HISTORY')).toContain('synthetic test image for Latent Sky');
  });

  it('compressed HDUs expose the image shape, ZBITPIX and the compression columns', () => {
    const h = readFits(readFileSync(join(dir, 'synth_float_gzip2_tiles.fits.fz'))).hdus[1]!;
    expect(h.kind).toBe('compressed');
    expect(h.shape).toEqual([80, 100]);
    expect(h.bitpix).toBe(-32);
    expect(h.rows).toBe(4 * 4); // 30×25 tiles over 100×80, partial edge tiles
  });

  it('readImage on a table and readTable on an image are BAD_INPUT', () => {
    const f = readFits(readFileSync(join(dir, 'astropy', 'tb.fits')), { name: 'tb.fits' });
    expect(() => readImage(f.hdus[1]!)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('tb.fits HDU 1') }));
    expect(() => readTable(f.hdus[0]!)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
