/**
 * Sérsic profiles rendered onto pixel grids: I(r) = I0 exp(-b_n (r/re)^(1/n)),
 * normalised analytically to unit total flux, elliptical (axis ratio q,
 * position angle pa in radians from the +x axis, counter-clockwise). Central
 * pixels are supersampled so compact cusps keep their flux.
 */

/** b_n such that re encloses half the light (Ciotti & Bertin 1999 expansion). */
export function sersicB(n: number): number {
  return 2 * n - 1 / 3 + 4 / (405 * n) + 46 / (25515 * n * n) + 131 / (1148175 * n ** 3);
}

/** ln Γ(x) by Lanczos (g = 7). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Central intensity I0 (per pixel²) of a unit-flux Sérsic profile. */
export function sersicI0(n: number, re: number, q: number): number {
  const b = sersicB(n);
  // total = 2π q re² n Γ(2n) / b^(2n) · I0
  return 1 / (2 * Math.PI * q * re * re * n * Math.exp(lnGamma(2 * n) - 2 * n * Math.log(b)));
}

export interface SersicShape {
  /** centre in pixels (pixel i covers [i-0.5, i+0.5]) */
  x: number;
  y: number;
  n: number;
  /** half-light radius along the major axis, pixels */
  re: number;
  q: number;
  /** radians, from +x counter-clockwise */
  pa: number;
}

/**
 * Radius (pixels, major axis) beyond which a profile of total `flux` falls below
 * `threshold` per pixel; capped at `maxRadius`.
 */
export function sersicCutRadius(s: SersicShape, flux: number, threshold: number, maxRadius: number): number {
  if (threshold <= 0) return maxRadius;
  const peak = flux * sersicI0(s.n, s.re, s.q);
  if (peak <= threshold) return Math.min(maxRadius, 1.5);
  const r = s.re * (Math.log(peak / threshold) / sersicB(s.n)) ** s.n;
  return Math.min(maxRadius, Math.max(1.5, r));
}

/** Pixel box [x0, x1, y0, y1] (inclusive) a renderer touched. */
export type Box = [number, number, number, number];

const TABLE_SIZE = 1024;
const table = new Float64Array(TABLE_SIZE + 2);
const MODE_EXP = 0,
  MODE_POW = 1,
  MODE_TABLE = 2;

/** exp(−b (r/re)^(1/n)) at r2n = (r/re)²: directly or from the table in ρ = (r/re)^(1/4) */
function profile(r2n: number, mode: number, b: number, expo: number, scale: number): number {
  if (mode === MODE_TABLE) {
    const u = Math.sqrt(Math.sqrt(Math.sqrt(r2n))) * scale;
    const k = u | 0;
    return k >= TABLE_SIZE ? table[TABLE_SIZE] : table[k] + (table[k + 1] - table[k]) * (u - k);
  }
  if (mode === MODE_EXP) return Math.exp(-b * Math.sqrt(r2n));
  return Math.exp(-b * Math.pow(r2n, 0.5 * expo));
}

/**
 * Adds `amp` × (unit-flux Sérsic) into `out` (w×h) within radius `cut` (pixels, major axis).
 * Pixels within 2 px of the centre are supersampled (9×9 centre pixel, with its central
 * sub-pixel 9×9 again; 7×7 and 5×5 neighbours).
 * Over large boxes the profile is tabulated in ρ = (r/re)^(1/4) (where it is
 * smooth) and interpolated linearly, which avoids a Math.pow per pixel.
 */
export function addSersic(out: Float32Array, w: number, h: number, s: SersicShape, amp: number, cut: number): Box {
  const b = sersicB(s.n);
  const i0 = amp * sersicI0(s.n, s.re, s.q);
  const inv = 1 / s.re,
    inv2 = inv * inv;
  const expo = 1 / s.n;
  const cs = Math.cos(s.pa),
    sn = Math.sin(s.pa),
    iq = 1 / s.q;
  const cut2 = cut * cut;
  const x0 = Math.max(0, Math.floor(s.x - cut)),
    x1 = Math.min(w - 1, Math.ceil(s.x + cut));
  const y0 = Math.max(0, Math.floor(s.y - cut)),
    y1 = Math.min(h - 1, Math.ceil(s.y + cut));
  const isExp = Math.abs(s.n - 1) < 1e-9;
  const mode = (x1 - x0 + 1) * (y1 - y0 + 1) > 2 * TABLE_SIZE ? MODE_TABLE : isExp ? MODE_EXP : MODE_POW;
  let scale = 0;
  if (mode === MODE_TABLE) {
    const rhoMax = Math.sqrt(Math.sqrt(cut * inv)) * 1.001;
    scale = TABLE_SIZE / rhoMax;
    const p = 4 / s.n;
    for (let i = 0; i <= TABLE_SIZE + 1; i++) table[i] = Math.exp(-b * Math.pow(i / scale, p));
  }
  const cx = Math.round(s.x),
    cy = Math.round(s.y);
  for (let y = y0; y <= y1; y++) {
    const dy = y - s.y;
    const row = y * w;
    for (let x = x0; x <= x1; x++) {
      const dx = x - s.x;
      const u = dx * cs + dy * sn;
      const v = (-dx * sn + dy * cs) * iq;
      const r2 = u * u + v * v;
      if (r2 > cut2) continue;
      const ax = Math.abs(x - cx),
        ay = Math.abs(y - cy);
      let val: number;
      if (ax <= 2 && ay <= 2 && s.re < 8) {
        const k = ax === 0 && ay === 0 ? 9 : ax <= 1 && ay <= 1 ? 7 : 5;
        let acc = 0;
        for (let j = 0; j < k; j++) {
          const sy = dy + (j + 0.5) / k - 0.5;
          for (let i = 0; i < k; i++) {
            const sx = dx + (i + 0.5) / k - 0.5;
            if (k === 9 && Math.abs(sx) <= 1 / 18 && Math.abs(sy) <= 1 / 18) {
              // the sub-pixel holding the cusp: sample it 9×9 again
              let inner = 0;
              for (let jj = 0; jj < 9; jj++)
                for (let ii = 0; ii < 9; ii++) {
                  const tx = sx + ((ii + 0.5) / 9 - 0.5) / 9,
                    ty = sy + ((jj + 0.5) / 9 - 0.5) / 9;
                  const tu = tx * cs + ty * sn,
                    tv = (-tx * sn + ty * cs) * iq;
                  inner += profile((tu * tu + tv * tv) * inv2, mode, b, expo, scale);
                }
              acc += inner / 81;
              continue;
            }
            const su = sx * cs + sy * sn,
              sv = (-sx * sn + sy * cs) * iq;
            acc += profile((su * su + sv * sv) * inv2, mode, b, expo, scale);
          }
        }
        val = acc / (k * k);
      } else {
        val = profile(r2 * inv2, mode, b, expo, scale);
      }
      out[row + x] += i0 * val;
    }
  }
  return [x0, x1, y0, y1];
}
