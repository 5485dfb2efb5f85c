/**
 * The folder importer's decode path (main/node/ingest/folder/decode.ts) on decompression bombs and
 * corrupt pictures made here: a small PNG or JPEG that declares a huge picture is refused from its
 * header (IHDR / SOF) before anything is inflated, a corrupt PNG is IMAGE_CORRUPT (not FITS_CORRUPT),
 * a .fits.gz that inflates past the budget is refused, and the batch goes on with the other files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@app/core/limits';
import { writeFits } from '@app/fits';
import { crc32 } from '@app/fits/gzip';
import { readCsv } from '@app/tables/csv';
import { decodeImageBytes } from '@main/node/ingest/folder/decode';
import { ingestFolder } from '@main/node/ingest/folder/ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';

function png(w: number, h: number, fill = 90): Uint8Array {
  const p = new PNG({ width: w, height: h });
  p.data.fill(fill);
  return new Uint8Array(PNG.sync.write(p));
}

/** a valid small PNG whose IHDR (with a correct CRC) declares w × h */
function pngDeclaring(w: number, h: number): Uint8Array {
  const b = png(16, 16);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, w);
  dv.setUint32(20, h);
  dv.setUint32(29, crc32(b.subarray(12, 29)));
  return b;
}

function jpegDeclaring(w: number, h: number): Uint8Array {
  const b = new Uint8Array(jpeg.encode({ data: Buffer.alloc(16 * 16 * 4, 120), width: 16, height: 16 }, 80).data);
  for (let p = 2; p < b.length;) {
    const m = b[p + 1]!;
    if (m === 0xc0) {
      new DataView(b.buffer).setUint16(p + 5, h);
      new DataView(b.buffer).setUint16(p + 7, w);
      return b;
    }
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
  throw new Error('no SOF0');
}

/** ~800 kB of gzip members that inflate to 600 MB: a FITS header, then zeros */
function fitsGzBomb(): Uint8Array {
  const head = gzipSync(writeFits([{ kind: 'image', shape: [8, 8], data: new Float32Array(64) }]).subarray(0, 2880));
  const zeros = gzipSync(new Uint8Array(2 ** 20), { level: 9 });
  const out = new Uint8Array(head.length + 600 * zeros.length);
  out.set(head);
  for (let i = 0; i < 600; i++) out.set(zeros, head.length + i * zeros.length);
  return out;
}

describe('decode path', () => {
  it('a 16000² PNG of a few hundred bytes is refused from its IHDR (pngjs never inflates it)', () => {
    const b = pngDeclaring(16000, 16000);
    expect(b.length).toBeLessThan(1000);
    const before = process.memoryUsage().rss;
    expect(() => decodeImageBytes(b, 'bomb.png', 'png')).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: 'bomb.png: the PNG declares 16000×16000 px (3 planes): 732 Mpx, over the 64 Mpx limit' }),
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it('a JPEG whose SOF declares 60000² is refused before jpeg-js allocates', () => {
    expect(() => decodeImageBytes(jpegDeclaring(60000, 60000), 'bomb.jpg', 'jpeg')).toThrow(
      expect.objectContaining({
        code: 'BAD_INPUT',
        message: expect.stringMatching(/^bomb\.jpg: the JPEG declares 60000×60000 px \(3 planes\): \d+ Mpx, over the 64 Mpx limit$/),
      }),
    );
  });

  it('pictures within the budget decode; corrupt ones are IMAGE_CORRUPT naming the file', () => {
    expect(decodeImageBytes(png(300, 200), 'ok.png', 'png')).toMatchObject({ width: 300, height: 200, bands: ['R', 'G', 'B'] });
    const bad = png(32, 32);
    bad[bad.length - 20] ^= 0xff; // inside IDAT: the chunk CRC no longer matches
    expect(() => decodeImageBytes(bad, 'bad.png', 'png')).toThrow(
      expect.objectContaining({ code: 'IMAGE_CORRUPT', message: expect.stringMatching(/^bad\.png: cannot decode PNG \(/) }),
    );
    expect(() => decodeImageBytes(new TextEncoder().encode('<html>'), 'page.png', 'png')).toThrow(
      expect.objectContaining({ code: 'IMAGE_CORRUPT', message: 'page.png: not a valid PNG (bad signature)' }),
    );
    expect(() => decodeImageBytes(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]), 'nosof.jpg', 'jpeg')).toThrow(
      expect.objectContaining({ code: 'IMAGE_CORRUPT', message: 'nosof.jpg: not a valid JPEG (no frame header (SOF) before the image data)' }),
    );
  });

  it('a .fits.gz that inflates past the budget is refused', () => {
    expect(() => decodeImageBytes(fitsGzBomb(), 'bomb.fits.gz', 'fits')).toThrow(
      expect.objectContaining({
        code: 'FITS_UNSUPPORTED',
        message: expect.stringMatching(/^bomb\.fits\.gz: gzip data inflates to more than \d+ MB, over the resource budget$/),
      }),
    );
    expect(LIMITS.maxDecodedBytes).toBe(512 * 2 ** 20);
  });
});

describe('folder import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-folder-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bombs and corrupt files are skipped with their reason; the other files are imported', async () => {
    const img = join(dir, 'img');
    mkdirSync(img);
    const lines = ['file,id,ra,dec'];
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(img, `g${i}.png`), png(20, 20, 30 * i));
      lines.push(`g${i}.png,G${i},${10 + i},${5 + i}`);
    }
    writeFileSync(join(img, 'bomb.png'), pngDeclaring(16000, 16000));
    writeFileSync(join(img, 'bomb.jpg'), jpegDeclaring(60000, 60000));
    const bad = png(20, 20);
    bad[bad.length - 20] ^= 0xff;
    writeFileSync(join(img, 'bad.png'), bad);
    lines.push('bomb.png,B0,20,1', 'bomb.jpg,B1,21,1', 'bad.png,B2,22,1');
    const run = await ingestFolder.prepare(img, { table: readCsv(lines.join('\n')), size: 16 });
    const ws = Workspace.create(join(dir, 'ws'), { cutout: run.shape });
    const report = await run.ingest(workspaceSink(ws));
    expect(report.added).toBe(4);
    expect(ws.objects().map((o) => o.id)).toEqual(['G0', 'G1', 'G2', 'G3']);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.id, `${s.code}: ${s.reason}`]));
    expect(reasons.B0).toMatch(/^BAD_INPUT: .*bomb\.png: the PNG declares 16000×16000 px/);
    expect(reasons.B1).toMatch(/^BAD_INPUT: .*bomb\.jpg: the JPEG declares 60000×60000 px/);
    expect(reasons.B2).toMatch(/^IMAGE_CORRUPT: .*bad\.png: cannot decode PNG/);
    ws.close();
  });
});
