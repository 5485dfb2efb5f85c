/**
 * Generates resources/sky/procedural/: a small all-sky HiPS (orders 0-2,
 * 256-pixel JPEG tiles, equatorial frame) used as the sky-map background
 * until a real survey background is bundled. It is NOT real data: a smooth
 * Milky Way model in galactic coordinates (exponential disc, a bulge, a
 * dust lane, two Magellanic-cloud-like blobs) plus seeded random stars whose
 * density follows the disc. Deterministic (seed 2024).
 *
 *   npx tsx resources/sky/make-procedural-sky.ts
 *
 * Order 2 is rendered per HEALPix cell; orders 1 and 0 are 2×2 averages of
 * their children, as hipsgen builds a HiPS.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { createRng, hashString } from '../../app/core/rng';
import { angularSeparation, icrsToGalactic } from '../../app/sky/coords';
import { tilePath, tilePixelCell, tilePixelLonLat, writeHipsProperties } from '../../app/sky/hips';

const W = 256;
const ORDER = 2;
const QUALITY = 62;
const out = join(dirname(fileURLToPath(import.meta.url)), 'procedural');

function wrap180(l: number): number {
  return l > 180 ? l - 360 : l;
}

/** RGB (0..1) of the diffuse model at galactic (l, b). */
function diffuse(l: number, b: number): [number, number, number] {
  const L = wrap180(l);
  const h = 6 + 4 * Math.abs(L) / 180; // the disc flares outward
  const disc = 0.32 * Math.exp(-Math.abs(b) / h) * (0.55 + 0.45 * Math.cos((L * Math.PI) / 360) ** 2);
  const bulge = 0.55 * Math.exp(-((L / 14) ** 2 + (b / 9) ** 2) / 2);
  const dust = 1 - 0.75 * Math.exp(-((b + 0.5) ** 2) / (2 * 1.6 ** 2)) * (Math.abs(L) < 70 ? 1 : 0.45);
  const lmc = 0.25 * Math.exp(-(angularSeparation(l, b, 280.5, -32.9) ** 2) / (2 * 2.5 ** 2));
  const smc = 0.14 * Math.exp(-(angularSeparation(l, b, 302.8, -44.3) ** 2) / (2 * 1.5 ** 2));
  const sky = 0.035; // airglow-like floor so the map is never pure black
  const warm = bulge * dust, cool = disc * dust + lmc + smc;
  return [sky + 1.0 * warm + 0.8 * cool, sky + 0.85 * warm + 0.85 * cool, sky * 1.3 + 0.55 * warm + 1.0 * cool];
}

function stretch(x: number): number {
  return Math.max(0, Math.min(255, Math.round(255 * Math.asinh(6 * x) / Math.asinh(6))));
}

function renderTile(tile: number): Uint8Array {
  const rgba = new Uint8Array(W * W * 4);
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) {
      const [ra, dec] = tilePixelLonLat(ORDER, tile, W, x, y);
      const [l, b] = icrsToGalactic(ra, dec);
      const c = diffuse(l, b);
      // a star in this cell? density rises towards the plane; magnitudes from a power law
      const cell = tilePixelCell(ORDER, tile, W, x, y).pix;
      const rng = createRng(hashString(`star${cell}`) ^ 2024);
      const density = 0.0015 + 0.012 * Math.exp(-Math.abs(b) / 12);
      if (rng.next() < density) {
        const flux = 0.15 * Math.pow(rng.next(), -0.9);
        const tint = rng.uniform(-0.25, 0.25);
        c[0] += flux * (1 + tint); c[1] += flux; c[2] += flux * (1 - tint);
      }
      const i = (y * W + x) * 4;
      rgba[i] = stretch(c[0]); rgba[i + 1] = stretch(c[1]); rgba[i + 2] = stretch(c[2]); rgba[i + 3] = 255;
    }
  return rgba;
}

/**
 * Parent tile from its 4 children. Child k of a tile (nested sub-index k = ix bit + 2 iy bit)
 * covers image rows ix·W/2.. and columns iy·W/2.. of the parent (ix runs down the rows, iy along the columns).
 */
function parentTile(children: Uint8Array[]): Uint8Array {
  const rgba = new Uint8Array(W * W * 4);
  const h = W / 2;
  children.forEach((c, k) => {
    const row0 = (k & 1) * h, col0 = ((k >> 1) & 1) * h;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < h; x++)
        for (let ch = 0; ch < 4; ch++) {
          const s = (a: number, b: number) => c[((2 * y + a) * W + 2 * x + b) * 4 + ch];
          rgba[((row0 + y) * W + col0 + x) * 4 + ch] = Math.round((s(0, 0) + s(0, 1) + s(1, 0) + s(1, 1)) / 4);
        }
  });
  return rgba;
}

function save(order: number, tile: number, rgba: Uint8Array): number {
  const p = join(out, tilePath(order, tile, 'jpeg'));
  mkdirSync(dirname(p), { recursive: true });
  const bytes = jpeg.encode({ data: rgba, width: W, height: W }, QUALITY).data;
  writeFileSync(p, bytes);
  return bytes.length;
}

rmSync(out, { recursive: true, force: true });
let bytes = 0;
let level = Array.from({ length: 12 * 4 ** ORDER }, (_, t) => renderTile(t));
level.forEach((t, i) => (bytes += save(ORDER, i, t)));
for (let order = ORDER - 1; order >= 0; order--) {
  level = Array.from({ length: 12 * 4 ** order }, (_, t) => parentTile([0, 1, 2, 3].map((k) => level[4 * t + k])));
  level.forEach((t, i) => (bytes += save(order, i, t)));
}
writeFileSync(join(out, 'properties'), writeHipsProperties({
  creator_did: 'ivo://latent-sky/P/procedural-placeholder',
  obs_title: 'Procedural placeholder sky (not real data)',
  obs_description: 'A synthetic Milky Way (galactic disc, bulge, dust lane, Magellanic-cloud-like blobs) and seeded random stars, generated by resources/sky/make-procedural-sky.ts as a background until a real survey HiPS is bundled. Not an observation.',
  obs_copyright: 'Latent Sky contributors, MIT',
  dataproduct_type: 'image',
  hips_version: '1.4',
  hips_release_date: '2026-01-01T00:00Z',
  hips_status: 'public master clonableOnce',
  hips_frame: 'equatorial',
  hips_order: ORDER,
  hips_order_min: 0,
  hips_tile_width: W,
  hips_tile_format: 'jpeg',
  hips_pixel_scale: (Math.sqrt((4 * Math.PI) / (12 * (2 ** ORDER * W) ** 2)) * 180) / Math.PI,
  hips_initial_ra: 266.4,
  hips_initial_dec: -28.9,
  hips_initial_fov: 180,
  moc_sky_fraction: 1,
}));
console.log(`wrote ${out}: ${Math.round(bytes / 1024)} KiB of tiles`);
