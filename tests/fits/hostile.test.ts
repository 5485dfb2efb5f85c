/**
 * Hostile FITS input, each on a small file made here from a fixture, checked against astropy and
 * CFITSIO (funpack, fitsverify): either their answer, or one clean FITS_* error naming the file and HDU
 * (exit 2 with one line in the CLI) — never a stack trace, a silently wrong array or a huge allocation.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@app/core/limits';
import { readFits, readImage, readTable, writeFits, type FitsFile } from '@app/fits/index';
import { heapField } from '@app/fits/table';
import { crc32 } from '@app/fits/gzip';
import { fixture, setCard } from './hostile-fixtures';

const PY = '/usr/bin/python3';
const hasAstropy = spawnSync(PY, ['-c', 'import astropy.io.fits'], { encoding: 'utf8' }).status === 0;
const hasFunpack = spawnSync('funpack', ['-V'], { encoding: 'utf8' }).error === undefined;
if (!hasAstropy) console.log('hostile FITS: astropy comparisons skipped: /usr/bin/python3 has no astropy');
if (!hasFunpack) console.log('hostile FITS: funpack comparisons skipped: funpack not installed');

/** astropy's reading of each file: its first image HDU's data (NaN as null) or the exception */
const ASTROPY = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
out = []
for p in sys.argv[1:]:
    try:
        with fits.open(p) as hl:
            d = next(h.data for h in hl if h.is_image and h.data is not None)
            out.append({'data': [None if np.isnan(v) else float(v) for v in np.asarray(d, dtype=np.float64).ravel()]})
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)[:200]})
print(json.dumps(out))
`;

function astropy(...files: string[]): ({ data: (number | null)[] } | { error: string })[] {
  return JSON.parse(execFileSync(PY, ['-c', ASTROPY, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

function firstImage(f: FitsFile): (number | null)[] {
  const h = f.hdus.find((x) => (x.kind === 'image' || x.kind === 'compressed') && x.shape.length > 0)!;
  return Array.from(readImage(h).data, (v) => (Number.isNaN(v) ? null : v));
}

function cli(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs'), 'inspect', file, ...args], { encoding: 'utf8', timeout: 60_000 });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-fits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function readAll(bytes: Uint8Array, name: string, strict = true): void {
  const f = readFits(bytes, { name, strict });
  for (const h of f.hdus) {
    if (h.kind === 'image' || h.kind === 'compressed') readImage(h);
    if (h.kind === 'bintable' || h.kind === 'table') readTable(h);
  }
}

describe('keywords of the wrong type', () => {
  it('BLANK = 1.5: strict FITS_CORRUPT; lenient ignores it, as astropy does', () => {
    const b = setCard(fixture('synth_int32_blank.fits'), 0, 'BLANK', '1.5');
    expect(() => readAll(b, 'blank15.fits')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'blank15.fits HDU 0: BLANK = 1.5 is not an integer' }),
    );
    const f = readFits(b, { name: 'blank15.fits', strict: false });
    expect(f.warnings).toContain('blank15.fits HDU 0: BLANK = 1.5 is not an integer');
    if (hasAstropy) expect(firstImage(f)).toEqual((astropy(put('blank15.fits', b))[0] as { data: number[] }).data);
  });

  it("BSCALE = 'X': FITS_CORRUPT (astropy fails, fitsverify reports an error)", () => {
    const b = setCard(fixture('synth_int16.fits'), 0, 'BSCALE', "'X'");
    expect(() => readAll(b, 'bscale.fits')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'bscale.fits HDU 0: BSCALE = X is not a number' }),
    );
    const p = put('bscale.fits', b);
    if (hasAstropy) expect(astropy(p)[0]).toHaveProperty('error');
    if (hasFunpack) expect(spawnSync('fitsverify', ['-q', p], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('ZDITHER0 = 1.5: strict FITS_CORRUPT (astropy fails); lenient gives funpack’s pixels', () => {
    const b = setCard(fixture('synth_float_rice.fits.fz'), 1, 'ZDITHER0', '1.5');
    expect(() => readAll(b, 'dither.fz')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'dither.fz HDU 1: ZDITHER0 = 1.5 is not an integer' }),
    );
    const ours = firstImage(readFits(b, { name: 'dither.fz', strict: false }));
    expect(ours.filter((v) => v === null).length).toBe(firstImage(readFits(fixture('synth_float_rice.fits.fz'))).filter((v) => v === null).length); // NaN only where the original has NaN
    const p = put('dither.fz', b);
    if (hasAstropy) expect(astropy(p)[0]).toHaveProperty('error');
    if (hasAstropy && hasFunpack) {
      execFileSync('funpack', ['-O', join(dir, 'dither-funpack.fits'), p]);
      const ref = (astropy(join(dir, 'dither-funpack.fits'))[0] as { data: number[] }).data;
      expect(ours).toHaveLength(ref.length);
      // CFITSIO un-quantises in single precision: agreement to float32 rounding (a wrong dither offset is off by up to ZSCALE)
      const worst = Math.max(...ours.map((v, i) => Math.abs(v! - ref[i]!) / Math.max(1, Math.abs(ref[i]!))));
      expect(worst).toBeLessThan(1e-6);
      const d2 = firstImage(readFits(setCard(fixture('synth_float_rice.fits.fz'), 1, 'ZDITHER0', '2'), { strict: false }));
      expect(Math.max(...ours.map((v, i) => Math.abs(v! - d2[i]!)))).toBeGreaterThan(1e-3); // 1.5 reads as 1, not as 2
    }
  });

  it('negative PCOUNT or GCOUNT: FITS_CORRUPT, not a zero-filled table', () => {
    const tb = fixture('astropy/tb.fits');
    expect(() => readAll(setCard(tb, 1, 'PCOUNT', '-100'), 'pc.fits')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'pc.fits HDU 1: PCOUNT = -100 is negative' }),
    );
    expect(() => readAll(setCard(tb, 1, 'GCOUNT', '-1'), 'gc.fits')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'gc.fits HDU 1: GCOUNT = -1 is negative' }),
    );
    // an image extension whose GCOUNT = 0 holds no data: refused rather than read as zeros
    const img = writeFits([
      { kind: 'image', shape: [0], data: new Float32Array(0) },
      { kind: 'image', name: 'SCI', shape: [4, 4], data: new Float32Array(16).fill(7) },
    ]);
    expect(() => readAll(setCard(img, 1, 'GCOUNT', '0'), 'g0.fits', false)).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: expect.stringMatching(/^g0\.fits HDU 1: data unit holds 0 bytes/) }),
    );
  });
});

describe('declared sizes against the resource budget', () => {
  it('huge ZNAXISn / ZTILEn are refused before any allocation (funpack refuses them too)', () => {
    const src = fixture('synth_float_gzip1.fits.fz');
    const cases: [string, Uint8Array, string, RegExp][] = [
      [
        'znaxis.fz',
        setCard(setCard(src, 1, 'ZNAXIS1', '99999999999'), 1, 'ZNAXIS2', '40000'),
        'FITS_UNSUPPORTED',
        /^znaxis\.fz HDU 1: the compressed image declares 99999999999×40000 pixels: .* over the 64 Mpx limit$/,
      ],
      [
        'bomb.fz',
        setCard(setCard(setCard(src, 1, 'ZNAXIS1', '16000'), 1, 'ZNAXIS2', '16000'), 1, 'ZTILE1', '16000'),
        'FITS_UNSUPPORTED',
        /^bomb\.fz HDU 1: the compressed image declares 16000×16000 pixels: 244 Mpx, over the 64 Mpx limit$/,
      ],
      ['ztile.fz', setCard(src, 1, 'ZTILE1', '9223372036854775807'), 'FITS_CORRUPT', /^ztile\.fz HDU 1: invalid ZTILEn/],
      [
        'bigtile.fz',
        setCard(setCard(setCard(setCard(src, 1, 'ZNAXIS1', '8192'), 1, 'ZNAXIS2', '4096'), 1, 'ZTILE1', '8192'), 1, 'ZTILE2', '4096'),
        'FITS_UNSUPPORTED',
        /^bigtile\.fz HDU 1: one tile declares 8192×4096 pixels: 32 Mpx, over the 16 Mpx limit$/,
      ],
    ];
    for (const [name, b, code, msg] of cases) {
      const before = process.memoryUsage().rss;
      expect(() => readAll(b, name), name).toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
      expect(process.memoryUsage().rss - before, name).toBeLessThan(200 * 2 ** 20);
      if (hasFunpack) expect(spawnSync('funpack', ['-S', put(name, b)], { encoding: 'latin1', maxBuffer: 1 << 26 }).status, name).not.toBe(0);
    }
  });
});

describe('header and HDU counts', () => {
  const enc = (t: string) => Uint8Array.from(t, (c) => c.charCodeAt(0));
  it(`a header of more than LIMITS.maxHeaderCards cards, or more than LIMITS.maxHdus HDUs, is FITS_UNSUPPORTED`, () => {
    const cards = ['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0'];
    const n = LIMITS.maxHeaderCards + 10;
    const big = new Uint8Array(Math.ceil((n * 80) / 2880) * 2880).fill(32);
    cards.forEach((c, i) => big.set(enc(c), i * 80));
    for (let i = cards.length; i < n; i++) big.set(enc(`HISTORY ${i}`), i * 80);
    expect(() => readFits(big, { name: 'cards.fits' })).toThrow(
      expect.objectContaining({
        code: 'FITS_UNSUPPORTED',
        message: `cards.fits HDU 0: header has more than ${LIMITS.maxHeaderCards} cards (the resource budget)`,
      }),
    );
    const block = (lines: string[]) => {
      const b = new Uint8Array(2880).fill(32);
      lines.forEach((l, i) => b.set(enc(l), i * 80));
      return b;
    };
    const primary = block([...cards, 'EXTEND  =                    T', 'END']);
    const ext = block([
      "XTENSION= 'IMAGE   '",
      'BITPIX  =                    8',
      'NAXIS   =                    0',
      'PCOUNT  =                    0',
      'GCOUNT  =                    1',
      'END',
    ]);
    const many = new Uint8Array(2880 * (LIMITS.maxHdus + 1));
    many.set(primary);
    for (let i = 1; i <= LIMITS.maxHdus; i++) many.set(ext, i * 2880);
    expect(() => readFits(many, { name: 'hdus.fits' })).toThrow(
      expect.objectContaining({ code: 'FITS_UNSUPPORTED', message: `hdus.fits: more than ${LIMITS.maxHdus} HDUs (the resource budget)` }),
    );
    expect(readFits(many.subarray(0, 2880 * LIMITS.maxHdus)).hdus).toHaveLength(LIMITS.maxHdus);
  });
});

describe('corrupt GZIP tiles are detected (CRC32, ISIZE), as zlib in astropy and CFITSIO does', () => {
  const src = fixture('synth_float_gzip1.fits.fz');
  const hdu = readFits(src).hdus[1]!;
  const col = hdu.columns!.find((c) => c.name === 'COMPRESSED_DATA')!;
  const tile = heapField(hdu, col, 10); // a view into `src`'s heap
  const at = hdu.raw.byteOffset - src.byteOffset + (tile.bytes.byteOffset - hdu.raw.byteOffset);

  it('a flipped byte in the deflate data of one tile: FITS_CORRUPT naming the tile; astropy fails too', () => {
    const names: string[] = [];
    for (const k of [20, tile.bytes.length >> 1, tile.bytes.length - 12]) {
      const b = new Uint8Array(src);
      b[at + k] ^= 0x10;
      const name = `flip${k}.fz`;
      expect(() => readAll(b, name)).toThrow(
        expect.objectContaining({ code: 'FITS_CORRUPT', message: expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')} HDU 1 tile 11: `)) }),
      );
      names.push(put(name, b));
    }
    if (hasAstropy) for (const r of astropy(...names)) expect(r).toHaveProperty('error');
  });

  it('a trailer that lies about the size, or a forged CRC over different bytes, is FITS_CORRUPT', () => {
    const n = tile.bytes.length;
    const lie = new Uint8Array(src);
    new DataView(lie.buffer).setUint32(at + n - 4, 0xffffffff, true);
    expect(() => readAll(lie, 'isize.fz')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'isize.fz HDU 1 tile 11: tile declares 4294967295 bytes uncompressed, 400 expected' }),
    );
    const crc = new Uint8Array(src);
    new DataView(crc.buffer).setUint32(at + n - 8, (crc32(new Uint8Array(400)) ^ 1) >>> 0, true);
    expect(() => readAll(crc, 'crc.fz')).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: 'crc.fz HDU 1 tile 11: gzip data is corrupt (CRC32 mismatch)' }),
    );
  });
});

describe('latent-sky inspect on hostile files (the real CLI)', () => {
  it('every hostile file above: exit 2 with one line naming file, HDU (and tile) and reason', async () => {
    const gz = fixture('synth_float_gzip1.fits.fz');
    const h = readFits(gz).hdus[1]!;
    const t = heapField(
      h,
      h.columns!.find((c) => c.name === 'COMPRESSED_DATA')!,
      3,
    );
    const flipped = new Uint8Array(gz);
    flipped[t.bytes.byteOffset - gz.byteOffset + (t.bytes.length >> 1)] ^= 0x10;
    const files: [string, Uint8Array, RegExp][] = [
      ['c-blank.fits', setCard(fixture('synth_int32_blank.fits'), 0, 'BLANK', '1.5'), /HDU 0: BLANK = 1\.5 is not an integer$/],
      ['c-bscale.fits', setCard(fixture('synth_int16.fits'), 0, 'BSCALE', "'X'"), /HDU 0: BSCALE = X is not a number$/],
      ['c-dither.fz', setCard(fixture('synth_float_rice.fits.fz'), 1, 'ZDITHER0', '1.5'), /HDU 1: ZDITHER0 = 1\.5 is not an integer$/],
      ['c-pcount.fits', setCard(fixture('astropy/tb.fits'), 1, 'PCOUNT', '-100'), /HDU 1: PCOUNT = -100 is negative$/],
      [
        'c-znaxis.fz',
        setCard(setCard(gz, 1, 'ZNAXIS1', '16000'), 1, 'ZNAXIS2', '16000'),
        /HDU 1: the compressed image declares 16000×16000 pixels: 244 Mpx, over the 64 Mpx limit$/,
      ],
      ['c-ztile.fz', setCard(gz, 1, 'ZTILE1', '99999999999999999'), /HDU 1: invalid ZTILEn/],
      ['c-flip.fz', flipped, /HDU 1 tile 4: /],
    ];
    const runs = await Promise.all(
      files.map(
        ([name, b]) =>
          new Promise<{ status: number | null; stderr: string; stdout: string }>((resolve) => {
            const p = put(name, b);
            execFile(
              process.execPath,
              [join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs'), 'inspect', p, '--stats'],
              { encoding: 'utf8', timeout: 60_000 },
              (e, stdout, stderr) => resolve({ status: e ? ((e as { code?: number }).code ?? null) : 0, stdout, stderr }),
            );
          }),
      ),
    );
    runs.forEach((r, i) => {
      const [name, , msg] = files[i]!;
      expect(r.status, `${name}: ${r.stderr}`).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toContain(join(dir, name));
      expect(lines[0], name).toMatch(msg);
    });
  });

  it('--json writes ±Inf as "Infinity" / "-Infinity" and keeps null for an all-NaN image (astropy agrees)', () => {
    const p = put(
      'inf.fits',
      writeFits([
        { kind: 'image', shape: [2, 2], data: Float32Array.from([1, Infinity, -Infinity, NaN]) },
        { kind: 'image', name: 'POS', shape: [2], data: Float32Array.from([2, Infinity]) },
        { kind: 'image', name: 'NAN', shape: [2], data: Float32Array.from([NaN, NaN]) },
      ]),
    );
    const r = cli(p, '--json', '--stats');
    expect(r.status, r.stderr).toBe(0);
    const stats = (JSON.parse(r.stdout) as { hdus: { stats: unknown }[] }).hdus.map((h) => h.stats);
    expect(stats).toEqual([
      { nanCount: 1, min: '-Infinity', max: 'Infinity', mean: 'NaN' },
      { nanCount: 0, min: 2, max: 'Infinity', mean: 'Infinity' },
      { nanCount: 2, min: null, max: null, mean: null },
    ]);
    if (hasAstropy) {
      const py = execFileSync(
        PY,
        [
          '-c',
          `import numpy as np, warnings; from astropy.io import fits; warnings.simplefilter('ignore'); d = fits.getdata('${p}'); print(np.nanmin(d), np.nanmax(d), np.nanmean(d))`,
        ],
        { encoding: 'utf8' },
      );
      expect(py.trim()).toBe('-inf inf nan');
    }
  });
});
