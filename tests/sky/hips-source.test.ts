import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { galacticToIcrs } from '@app/sky/coords';
import { skyToTilePixel, tilePixelLonLat } from '@app/sky/hips';
import { bundledSkyDir, openHips } from '@main/node/hips/hips-source';

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

describe('bundled procedural sky (resources/sky/procedural)', () => {
  it('is a complete order 0-2 HiPS under 2 MB, labelled as a placeholder', async () => {
    const dir = bundledSkyDir();
    const files = walk(dir);
    const tiles = files.filter((f) => f.endsWith('.jpg'));
    expect(tiles).toHaveLength(12 + 48 + 192);
    expect(files.reduce((s, f) => s + statSync(f).size, 0)).toBeLessThan(2 * 1024 * 1024);
    const sky = await openHips(dir);
    expect(sky.properties).toMatchObject({ order: 2, minOrder: 0, tileWidth: 256, frame: 'equatorial', formats: ['jpeg'] });
    expect(sky.properties.title).toMatch(/procedural placeholder/i);
    expect(sky.properties.raw.obs_description).toMatch(/Not an observation/);
  });

  it('shows the (model) Milky Way where the Milky Way is: brighter on the galactic plane than at the poles', async () => {
    const sky = await openHips(bundledSkyDir());
    const brightness = async (l: number, b: number) => {
      const [ra, dec] = galacticToIcrs(l, b);
      const { tile, x, y } = skyToTilePixel(1, 256, ra, dec);
      const img = (await sky.tileImage(1, tile))!;
      expect(img.width).toBe(256);
      let s = 0;
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++) {
          const xx = Math.min(255, Math.max(0, x + dx)),
            yy = Math.min(255, Math.max(0, y + dy));
          const i = (yy * 256 + xx) * 4;
          s += img.rgba[i] + img.rgba[i + 1] + img.rgba[i + 2];
        }
      return s / 49;
    };
    const centre = await brightness(0, 6),
      plane = await brightness(90, 3),
      pole = await brightness(0, 89),
      south = await brightness(150, -80);
    expect(centre).toBeGreaterThan(2 * pole);
    expect(plane).toBeGreaterThan(1.3 * south);
  });

  it('skyToTilePixel inverts tilePixelLonLat', () => {
    for (const [t, x, y] of [
      [0, 0, 0],
      [17, 255, 3],
      [40, 128, 200],
    ]) {
      const [lon, lat] = tilePixelLonLat(1, t, 256, x, y);
      expect(skyToTilePixel(1, 256, lon, lat)).toEqual({ tile: t, x, y });
    }
  });
});

describe('remote HiPS with a local tile cache', () => {
  let server: Server, base: string, cache: string;
  const hits = new Map<string, number>();
  let fail503 = 1;
  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), 'hips-cache-'));
    server = createServer((req, res) => {
      const path = (req.url ?? '/').replace(/^\/hips\//, '');
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === 'Norder1/Dir0/Npix7.jpg' && fail503-- > 0) return void res.writeHead(503, { 'retry-after': '0' }).end();
      if (path === 'Norder2/Dir0/Npix5.jpg') return void res.writeHead(404).end();
      try {
        res.writeHead(200).end(readFileSync(join(bundledSkyDir(), path)));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hips`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(cache, { recursive: true, force: true });
  });

  it('fetches each tile once, retries a 503, remembers a missing tile, works offline afterwards', async () => {
    const sky = await openHips(base, { cacheDir: cache, policy: { backoffMs: 5, retries: 2 } });
    const a = await sky.tile(1, 7);
    expect(a).toEqual(new Uint8Array(readFileSync(join(bundledSkyDir(), 'Norder1/Dir0/Npix7.jpg'))));
    expect(hits.get('Norder1/Dir0/Npix7.jpg')).toBe(2); // the 503, then the tile
    await sky.tile(1, 7);
    expect(hits.get('Norder1/Dir0/Npix7.jpg')).toBe(2);
    expect(await sky.tile(2, 5)).toBeNull();
    expect(await sky.tile(2, 5)).toBeNull();
    expect(hits.get('Norder2/Dir0/Npix5.jpg')).toBe(1);
    // offline: a dead URL still opens from the cache
    await new Promise<void>((r) => server.close(() => r()));
    const offline = await openHips(base, { cacheDir: cache, policy: { retries: 0 } });
    expect(offline.properties.order).toBe(2);
    expect((await offline.tileImage(1, 7))!.width).toBe(256);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
});
