// Draws the Latent Sky icon (a night-sky disc with a few stars and a blue
// lensing arc around a yellow galaxy) as PNGs: icon.png (1024, for the DMG's
// .icns and the NSIS .ico, which electron-builder derives) and NxN.png for
// Linux. Deterministic; run with `node resources/icons/make-icons.mjs`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const here = dirname(fileURLToPath(import.meta.url));
const STARS = [[0.28, 0.3, 0.012], [0.7, 0.24, 0.009], [0.78, 0.66, 0.011], [0.25, 0.72, 0.008], [0.5, 0.16, 0.007], [0.6, 0.82, 0.008]];

function pixel(x, y) {
  // x, y in [0, 1]; returns [r, g, b, a] 0..1
  const dx = x - 0.5, dy = y - 0.5, r = Math.hypot(dx, dy);
  const edge = Math.min(1, Math.max(0, (0.47 - r) * 400)); // anti-aliased disc
  if (edge <= 0) return [0, 0, 0, 0];
  let c = [0.04 + 0.06 * (1 - r * 2), 0.05 + 0.07 * (1 - r * 2), 0.12 + 0.14 * (1 - r * 2)];
  const add = (k, rgb) => (c = c.map((v, i) => v + k * rgb[i]));
  add(Math.exp(-(r * r) / (2 * 0.045 ** 2)), [1.0, 0.85, 0.45]); // galaxy core
  const ring = Math.exp(-((r - 0.24) ** 2) / (2 * 0.018 ** 2));
  const ang = Math.atan2(dy, dx);
  const arc = Math.max(0, Math.cos(ang + 0.6)) ** 2; // an arc, not a full ring
  add(ring * arc, [0.35, 0.6, 1.0]);
  for (const [sx, sy, s] of STARS) add(Math.exp(-((x - sx) ** 2 + (y - sy) ** 2) / (2 * s * s)), [1, 1, 1]);
  return [...c.map((v) => Math.min(1, v)), edge];
}

function render(size) {
  const png = new PNG({ width: size, height: size });
  const ss = size >= 256 ? 1 : 3; // supersample small sizes
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let j = 0; j < ss; j++)
        for (let i = 0; i < ss; i++) {
          const p = pixel((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
          for (let k = 0; k < 4; k++) acc[k] += p[k] / (ss * ss);
        }
      const o = (y * size + x) * 4;
      for (let k = 0; k < 4; k++) png.data[o + k] = Math.round(acc[k] * 255);
    }
  return PNG.sync.write(png);
}

writeFileSync(join(here, 'icon.png'), render(1024));
for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(here, `${s}x${s}.png`), render(s));
console.log(`icons written to ${here}`);
