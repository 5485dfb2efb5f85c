import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { writeFits } from '@app/fits';
import { readCsv } from '@app/tables/csv';
import { ingestFolder } from '@main/node/ingest/folder/ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';

/** an RGB picture with a bright top-left corner (R high) and a blob in the middle */
function picture(w: number, h: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const blob = 200 * Math.exp(-((x - w / 2) ** 2 + (y - h / 2) ** 2) / (2 * (w / 8) ** 2));
      const corner = x < w / 4 && y < h / 4 ? 255 : 0;
      rgba[i] = Math.min(255, corner + blob);
      rgba[i + 1] = Math.min(255, blob * 0.8 + rng.int(10));
      rgba[i + 2] = Math.min(255, blob * 0.5);
      rgba[i + 3] = 255;
    }
  return rgba;
}

function tanHeader(ra: number, dec: number, n: number, pixscale: number) {
  return [
    { key: 'CTYPE1', value: 'RA---TAN' },
    { key: 'CTYPE2', value: 'DEC--TAN' },
    { key: 'CRVAL1', value: ra },
    { key: 'CRVAL2', value: dec },
    { key: 'CRPIX1', value: (n + 1) / 2 },
    { key: 'CRPIX2', value: (n + 1) / 2 },
    { key: 'CD1_1', value: -pixscale / 3600 },
    { key: 'CD2_2', value: pixscale / 3600 },
    { key: 'BUNIT', value: 'nanomaggy' },
  ];
}

function gaussian(n: number, sigma: number, amp = 1): Float32Array {
  const d = new Float32Array(n * n),
    c = (n - 1) / 2;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) d[y * n + x] = amp * Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
  return d;
}

describe('folder import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'folder-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports ~60 PNG/JPEG images of different sizes with a CSV, reporting every bad file', async () => {
    const img = join(dir, 'images');
    mkdirSync(join(img, 'sub'), { recursive: true });
    const sizes = [
      [32, 32],
      [48, 48],
      [64, 64],
      [100, 80],
      [256, 256],
    ];
    const lines = ['file,id,ra,dec,z_spec'];
    for (let i = 0; i < 60; i++) {
      const [w, h] = sizes[i % sizes.length];
      const rgba = picture(w, h, i);
      const png = i % 2 === 0;
      const name = `${i % 3 === 0 ? 'sub/' : ''}gal${i}.${png ? 'png' : 'jpg'}`;
      const bytes = png
        ? PNG.sync.write(Object.assign(new PNG({ width: w, height: h }), { data: Buffer.from(rgba) }))
        : jpeg.encode({ data: rgba, width: w, height: h }, 95).data;
      writeFileSync(join(img, name), bytes);
      lines.push(`${name},G${i},${200 + i * 0.01},${-10 - i * 0.01},${(i / 100).toFixed(2)}`);
    }
    writeFileSync(join(img, 'empty.png'), new Uint8Array(0));
    writeFileSync(
      join(img, 'corrupt.jpg'),
      Uint8Array.from({ length: 500 }, (_, i) => (i * 37) % 256),
    );
    writeFileSync(join(img, 'notes.txt'), 'hello');
    writeFileSync(join(img, 'stray.png'), PNG.sync.write(Object.assign(new PNG({ width: 8, height: 8 }), { data: Buffer.alloc(256, 255) })));
    lines.push('empty.png,E0,1,1,0', 'corrupt.jpg,C0,2,2,0', 'missing.png,M0,3,3,0', 'gal0.png,NAN0,nan,1,0');
    const table = readCsv(lines.join('\n'));
    const run = await ingestFolder.prepare(img, { table, size: 32 });
    expect(run.shape).toEqual({ bands: ['g', 'r', 'z'], size: 32, pixscale: 0.262, unit: 'u8' });
    const ws = Workspace.create(join(dir, 'ws-rgb'), { cutout: run.shape });
    const report = await run.ingest(workspaceSink(ws));
    expect(report.added).toBe(60);
    expect(ws.objects().map((o) => o.id)).toEqual(Array.from({ length: 60 }, (_, i) => `G${i}`));
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.id, `${s.code}: ${s.reason}`]));
    expect(reasons.E0).toMatch(/IMAGE_CORRUPT: .*empty\.png: empty file \(0 bytes\)/);
    expect(reasons.C0).toMatch(/IMAGE_CORRUPT: .*corrupt\.jpg: not a valid JPEG/);
    expect(reasons.M0).toMatch(/NOT_FOUND: file not found: missing\.png/);
    expect(reasons.NAN0).toMatch(/BAD_INPUT: missing or non-numeric coordinates/);
    expect(reasons['notes.txt']).toMatch(/unknown format/);
    expect(reasons['stray.png']).toMatch(/not in the catalogue/);
    expect(report.skipped).toHaveLength(6);
    // orientation and colour mapping: the bright red top-left corner of the picture is
    // the top-left of the cutout = last rows (y = 0 is the bottom) of band z (= R)
    const c = ws.getCutout(2); // 64x64 PNG → 32x32
    const n = 32;
    const z = c.data.subarray(2 * n * n),
      g = c.data.subarray(0, n * n);
    expect(z[(n - 1) * n + 0]).toBe(255);
    expect(z[0]).toBeLessThan(20);
    expect(g[(n - 1) * n]).toBeLessThan(20);
    // resizing keeps the blob in the middle
    expect(g[(n / 2) * n + n / 2]).toBeGreaterThan(60);
    expect(ws.getObject(5).extra).toMatchObject({ z_spec: 0.05, file: join(img, 'gal5.jpg') });
    // a second run adds nothing
    const again = await run.ingest(workspaceSink(ws));
    expect(again.added).toBe(0);
    expect(again.alreadyPresent).toBe(60);
    ws.close();
  });

  it('imports FITS cubes and one-file-per-band FITS with coordinates from the WCS, resampling other pixel scales', async () => {
    const fd = join(dir, 'fits');
    mkdirSync(fd);
    const cube = (ra: number, dec: number, n: number, pixscale: number) => {
      const d = new Float32Array(3 * n * n);
      for (let b = 0; b < 3; b++) d.set(gaussian(n, 3 * (0.262 / pixscale), b + 1), b * n * n);
      return writeFits([
        {
          kind: 'image',
          shape: [3, n, n],
          data: d,
          header: [...tanHeader(ra, dec, n, pixscale), { key: 'BAND0', value: 'g' }, { key: 'BAND1', value: 'r' }, { key: 'BAND2', value: 'z' }],
        },
      ]);
    };
    writeFileSync(join(fd, 'a.fits'), cube(10, 20, 32, 0.262));
    writeFileSync(join(fd, 'b.fits'), cube(11, 21, 64, 0.131)); // twice as fine: resampled to 0.262
    for (const [k, b] of ['g', 'r', 'z'].entries())
      writeFileSync(
        join(fd, `c_${b}.fits`),
        writeFits([{ kind: 'image', shape: [40, 40], data: gaussian(40, 3, k + 1), header: [...tanHeader(12, 22, 40, 0.262), { key: 'FILTER', value: b }] }]),
      );
    writeFileSync(join(fd, 'nowcs.fits'), writeFits([{ kind: 'image', shape: [3, 32, 32], data: new Float32Array(3 * 32 * 32) }]));
    writeFileSync(join(fd, 'trunc.fits'), cube(13, 23, 32, 0.262).subarray(0, 5000));
    writeFileSync(join(fd, 'zero.fits'), new Uint8Array(0));
    const run = await ingestFolder.prepare(fd, { size: 32 });
    expect(run.shape).toEqual({ bands: ['g', 'r', 'z'], size: 32, pixscale: 0.262, unit: 'nanomaggies' });
    const ws = Workspace.create(join(dir, 'ws-fits'), { cutout: run.shape });
    const report = await run.ingest(workspaceSink(ws));
    expect(ws.objects().map((o) => o.id)).toEqual(['a', 'b', 'c']);
    const o = ws.objects();
    expect(o[0].ra).toBeCloseTo(10, 9);
    expect(o[0].dec).toBeCloseTo(20, 9);
    expect(o[2].ra).toBeCloseTo(12, 9);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.id, `${s.code}: ${s.reason}`]));
    expect(reasons.nowcs).toMatch(/no coordinates/);
    expect(reasons.trunc).toMatch(/FITS_TRUNCATED/);
    expect(reasons.zero).toMatch(/empty file/);
    const n = 32;
    const a = ws.getCutout(0),
      b = ws.getCutout(1),
      c = ws.getCutout(2);
    // same galaxy, same pixel scale after resampling: the profiles agree (f16 storage, interpolation)
    for (const band of [0, 1, 2]) {
      let maxDiff = 0;
      for (let i = 0; i < n * n; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data[band * n * n + i] - b.data[band * n * n + i]));
      expect(maxDiff).toBeLessThan(0.06 * (band + 1));
    }
    // per-band files: band r of c is the amplitude-2 gaussian, centred (40 px cropped to 32 keeps the centre)
    const r = c.data.subarray(n * n, 2 * n * n);
    const peak = r.indexOf(Math.max(...r));
    expect(Math.abs((peak % n) - 15.5)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...r)).toBeCloseTo(2 * Math.exp((-0.5 * 0.5 * 0.5) / 9) ** 2, 2);
    ws.close();
  });
});
