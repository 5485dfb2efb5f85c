/**
 * Brick mode: a survey-bricks table, small tile-compressed (fpack) brick
 * images served over loopback in the coadd layout, stamps cut with the WCS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFits, readImage, writeFits } from '@app/fits';
import { readCsv } from '@app/tables/csv';
import { ingestLegacySurveyBricks } from '@main/node/ingest/legacysurvey/brick-ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';

const hasFpack = (() => {
  try {
    execFileSync('fpack', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasFpack) console.warn('tests/ingest/legacysurvey-bricks.test.ts: fpack not found, serving uncompressed brick images');

// two "bricks" of 0.02° side by side
const BRICKS = [
  { name: '1500p020', ra1: 150.0, ra2: 150.02, dec1: 2.0, dec2: 2.02 },
  { name: '1500p020b', ra1: 150.02, ra2: 150.04, dec1: 2.0, dec2: 2.02 },
];
const N = 250; // images a little smaller than their bricks, so objects near a brick edge fall partly outside

function brickFits(b: (typeof BRICKS)[number], band: number, objects: [number, number][]): Uint8Array {
  const rac = (b.ra1 + b.ra2) / 2,
    decc = (b.dec1 + b.dec2) / 2,
    s = 0.262 / 3600;
  const data = new Float32Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) data[y * N + x] = 0.01 * Math.sin(x * 0.3 + y * 0.7 + band);
  for (const [ra, dec] of objects) {
    const px = (N + 1) / 2 - 1 - ((ra - rac) * Math.cos((decc * Math.PI) / 180)) / s,
      py = (N + 1) / 2 - 1 + (dec - decc) / s;
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) data[y * N + x] += (band + 1) * Math.exp(-((x - px) ** 2 + (y - py) ** 2) / 8);
  }
  return writeFits([
    {
      kind: 'image',
      shape: [N, N],
      data,
      header: [
        { key: 'CTYPE1', value: 'RA---TAN' },
        { key: 'CTYPE2', value: 'DEC--TAN' },
        { key: 'CRVAL1', value: rac },
        { key: 'CRVAL2', value: decc },
        { key: 'CRPIX1', value: (N + 1) / 2 },
        { key: 'CRPIX2', value: (N + 1) / 2 },
        { key: 'CD1_1', value: -s },
        { key: 'CD2_2', value: s },
        { key: 'BUNIT', value: 'nanomaggy' },
      ],
    },
  ]);
}

describe('Legacy Survey coadd bricks', () => {
  let dir: string, server: Server, base: string;
  const hits = new Map<string, number>();
  const objects: [string, number, number][] = [
    ['a1', 150.005, 2.005],
    ['a2', 150.01, 2.012],
    ['b1', 150.025, 2.01],
    ['a3', 150.015, 2.003],
    ['b2', 150.035, 2.015],
    ['edge', 150.0012, 2.01],
    ['out', 151, 2.01],
  ];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bricks-'));
    const www = join(dir, 'www');
    for (const b of BRICKS) {
      const d = join(www, 'coadd', b.name.slice(0, 3), b.name);
      mkdirSync(d, { recursive: true });
      ['g', 'r', 'z'].forEach((band, k) => {
        const plain = join(d, `legacysurvey-${b.name}-image-${band}.fits`);
        writeFileSync(
          plain,
          brickFits(
            b,
            k,
            objects.map(([, ra, dec]) => [ra, dec]),
          ),
        );
        if (hasFpack) execFileSync('fpack', ['-D', '-Y', plain]);
        else writeFileSync(`${plain}.fz`, readFileSync(plain));
      });
    }
    writeFileSync(
      join(dir, 'survey-bricks.fits'),
      writeFits([
        {
          kind: 'bintable',
          columns: [
            { name: 'BRICKNAME', format: 'A', data: BRICKS.map((b) => b.name) },
            { name: 'RA1', format: 'D', data: BRICKS.map((b) => b.ra1) },
            { name: 'RA2', format: 'D', data: BRICKS.map((b) => b.ra2) },
            { name: 'DEC1', format: 'D', data: BRICKS.map((b) => b.dec1) },
            { name: 'DEC2', format: 'D', data: BRICKS.map((b) => b.dec2) },
          ],
        },
      ]),
    );
    server = createServer((req, res) => {
      const p = (req.url ?? '/').replace(/^\/dr10\/south\//, '');
      hits.set(p, (hits.get(p) ?? 0) + 1);
      try {
        res.writeHead(200).end(readFileSync(join(www, p)));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dr10/south`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches each brick image once and cuts the stamps the WCS says', async () => {
    const ws = Workspace.create(join(dir, 'ws'), { cutout: { bands: ['g', 'r', 'z'], size: 16, pixscale: 0.262, unit: 'nanomaggies', dtype: 'f32' } });
    const table = readCsv('id,ra,dec\n' + objects.map((o) => o.join(',')).join('\n'));
    const opts = {
      coaddUrl: base,
      bricksTable: join(dir, 'survey-bricks.fits'),
      layer: 'ls-dr10',
      bands: 'grz',
      cacheDir: ws.dirPath('cache', 'bricks'),
      ratePerSecond: 1000,
    };
    const r = await ingestLegacySurveyBricks(workspaceSink(ws), table, opts);
    expect(r.added).toBe(6);
    expect(r.skipped).toEqual([expect.objectContaining({ id: 'out', code: 'NOT_FOUND', reason: expect.stringMatching(/in no brick/) })]);
    expect(r.downloaded).toBe(6);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
    expect(hits.size).toBe(6);
    // brick by brick: first brick's objects in catalogue order, then the second's
    expect(ws.objects().map((o) => o.id)).toEqual(['a1', 'a2', 'a3', 'edge', 'b1', 'b2']);
    expect(ws.getObject(4).extra.brickname).toBe('1500p020b');
    // the stamp of a2 in band r peaks at its centre with the injected amplitude
    const c = ws.getCutout(1);
    const r2 = c.data.subarray(256, 512);
    const peak = r2.indexOf(Math.max(...r2));
    expect([7, 8]).toContain(peak % 16);
    expect([7, 8]).toContain(Math.floor(peak / 16));
    expect(Math.max(...r2)).toBeGreaterThan(1.5);
    // pixels are exactly the brick's (as read from the .fz by app/fits)
    const fz = readFits(readFileSync(join(dir, 'www', 'coadd', '150', '1500p020', 'legacysurvey-1500p020-image-z.fits.fz')));
    const img = readImage(fz.hdus.find((h) => h.shape.length === 2)!);
    const z = c.data.subarray(512);
    const row = Array.from(z.subarray(8 * 16, 9 * 16));
    const flat = Array.from(img.data as Float32Array);
    const at = flat.findIndex((_, i) => row.every((v, k) => flat[i + k] === v));
    expect(at).toBeGreaterThanOrEqual(0);
    // the object at the brick edge is half outside: NaN there, data elsewhere
    const e = ws.getCutout(3).data.subarray(0, 256);
    expect(e.some((v) => Number.isNaN(v))).toBe(true);
    expect(e.some((v) => v > 0.5)).toBe(true);
    // rerun: nothing fetched
    const before = [...hits.values()].reduce((a, b) => a + b, 0);
    const again = await ingestLegacySurveyBricks(workspaceSink(ws), table, opts);
    expect(again.added).toBe(0);
    expect(again.alreadyPresent).toBe(6);
    expect([...hits.values()].reduce((a, b) => a + b, 0)).toBe(before);
    ws.close();
  });
});
