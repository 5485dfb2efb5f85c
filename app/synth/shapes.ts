/**
 * Renderers of the non-Sérsic light components onto a scratch plane (unit
 * amplitude); each returns the pixel box it touched and the sum of what it
 * drew, so the caller can scale to a flux. Lensed sources are ray-traced
 * through a singular isothermal ellipsoid (Kormann et al. 1994 deflection)
 * with 3×3 supersampling; surface brightness is conserved, so the drawn sum of
 * a unit-flux source is its magnification.
 */
import { sersicB, sersicI0, type Box } from './sersic';
import type { Component } from './scene';

type Of<K extends Component['kind']> = Extract<Component, { kind: K }>;

export interface Drawn {
  box: Box;
  sum: number;
}

function boxAround(x: number, y: number, r: number, w: number, h: number): Box {
  return [Math.max(0, Math.floor(x - r)), Math.min(w - 1, Math.ceil(x + r)), Math.max(0, Math.floor(y - r)), Math.min(h - 1, Math.ceil(y + r))];
}

/** logarithmic spiral arms on an exponential disk, faded towards the centre */
export function drawArms(out: Float32Array, w: number, h: number, a: Of<'arms'>): Drawn {
  const s = a.shape;
  const box = boxAround(s.x, s.y, 4 * s.re, w, h);
  const cs = Math.cos(s.pa),
    sn = Math.sin(s.pa),
    iq = 1 / s.q,
    ire = 1 / s.re;
  const b = sersicB(1),
    cot = 1 / Math.tan(a.pitch);
  let sum = 0;
  for (let y = box[2]; y <= box[3]; y++) {
    const dy = y - s.y;
    for (let x = box[0]; x <= box[1]; x++) {
      const dx = x - s.x;
      const u = dx * cs + dy * sn,
        v = (-dx * sn + dy * cs) * iq;
      const r = Math.sqrt(u * u + v * v) * ire + 1e-6;
      if (r > 4) continue;
      const psi = a.m * (Math.atan2(v, u) - Math.log(r) * cot) - a.phase;
      const p = 0.5 * (1 + Math.cos(psi));
      const val = Math.exp(-b * r) * p * p * p * (1 - Math.exp(-4 * r * r));
      out[y * w + x] += val;
      sum += val;
    }
  }
  return { box, sum };
}

/** clumpy ring: Gaussian in (deprojected radius − R), modulated by knots in azimuth */
export function drawRing(out: Float32Array, w: number, h: number, g: Of<'ring'>): Drawn {
  const box = boxAround(g.x, g.y, g.radius + 4 * g.width, w, h);
  const cs = Math.cos(g.pa),
    sn = Math.sin(g.pa),
    iq = 1 / g.q,
    i2w = 1 / (2 * g.width * g.width);
  let sum = 0;
  for (let y = box[2]; y <= box[3]; y++) {
    const dy = y - g.y;
    for (let x = box[0]; x <= box[1]; x++) {
      const dx = x - g.x;
      const u = dx * cs + dy * sn,
        v = (-dx * sn + dy * cs) * iq;
      const d = Math.sqrt(u * u + v * v) - g.radius;
      if (d * d * i2w > 8) continue;
      const val = Math.exp(-d * d * i2w) * (1 + g.knotAmp * Math.cos(g.knots * Math.atan2(v, u) + g.phase));
      out[y * w + x] += val;
      sum += val;
    }
  }
  return { box, sum };
}

/** arc of a circle: a Gaussian stream or a sharp-edged shell, tapered along its length */
export function drawArc(out: Float32Array, w: number, h: number, a: Of<'arc'>): Drawn {
  const box = boxAround(a.cx, a.cy, a.radius + 4 * a.width, w, h);
  const iw = 1 / a.width,
    twoPi = 2 * Math.PI;
  let sum = 0;
  for (let y = box[2]; y <= box[3]; y++) {
    const dy = y - a.cy;
    for (let x = box[0]; x <= box[1]; x++) {
      const dx = x - a.cx;
      let t = (Math.atan2(dy, dx) - a.theta0) % twoPi;
      if (t < 0) t += twoPi;
      t /= a.dtheta;
      if (t >= 1) continue;
      const d = (Math.sqrt(dx * dx + dy * dy) - a.radius) * iw;
      const radial = a.profile === 'stream' ? Math.exp(-0.5 * d * d) : d < 0 ? Math.exp(d) : Math.exp(-8 * d);
      if (radial < 1e-4) continue;
      const val = radial * Math.sin(Math.PI * t) ** 1.5;
      out[y * w + x] += val;
      sum += val;
    }
  }
  return { box, sum };
}

/**
 * Lensed image of a unit-flux Sérsic source (per pixel, supersampled 3×3) into
 * `out`; returns the box and the drawn sum (= magnification within the stamp).
 */
export function drawLensed(out: Float32Array, w: number, h: number, l: Of<'lensed'>): Drawn {
  const s = l.source;
  const reach = l.thetaE * 1.3 + Math.hypot(s.x, s.y) + 8 * s.re + 3;
  const box = boxAround(l.x, l.y, reach, w, h);
  const cp = Math.cos(l.pa),
    sp = Math.sin(l.pa);
  const cs = Math.cos(s.pa),
    ss = Math.sin(s.pa),
    isq = 1 / s.q;
  const q = Math.min(l.q, 0.9999),
    f = Math.sqrt(1 - q * q),
    k = (l.thetaE * Math.sqrt(q)) / f;
  const i0 = sersicI0(s.n, s.re, s.q),
    b = sersicB(s.n),
    ire = 1 / s.re,
    expo = 1 / s.n;
  const N = 3;
  let sum = 0;
  for (let y = box[2]; y <= box[3]; y++) {
    for (let x = box[0]; x <= box[1]; x++) {
      let acc = 0;
      for (let j = 0; j < N; j++) {
        const ty = y + (j + 0.5) / N - 0.5 - l.y;
        for (let i = 0; i < N; i++) {
          const tx = x + (i + 0.5) / N - 0.5 - l.x;
          // image-plane position in the lens frame
          const u = tx * cp + ty * sp,
            v = -tx * sp + ty * cp;
          const psi = Math.sqrt(q * q * u * u + v * v) + 1e-9;
          const au = k * Math.atan((f * u) / psi),
            av = k * Math.atanh(Math.min(0.999999, (f * v) / psi));
          // source-plane position, back in stamp orientation, relative to the source centre
          const bx = tx - (au * cp - av * sp) - s.x,
            by = ty - (au * sp + av * cp) - s.y;
          const su = bx * cs + by * ss,
            sv = (-bx * ss + by * cs) * isq;
          const rr = Math.sqrt(su * su + sv * sv) * ire;
          acc += Math.exp(-b * Math.pow(rr, expo));
        }
      }
      const val = (i0 * acc) / (N * N);
      out[y * w + x] += val;
      sum += val;
    }
  }
  return { box, sum };
}

/** the lensed image of a unit-flux source on its own size×size plane */
export function renderLensedUnit(l: Of<'lensed'>, size: number): { image: Float32Array; magnification: number } {
  const image = new Float32Array(size * size);
  const d = drawLensed(image, size, size, l);
  return { image, magnification: d.sum };
}

/** a straight trail with a Gaussian cross-section of sd sigma, unit flux per pixel of length */
export function addTrail(out: Float32Array, w: number, h: number, t: Of<'trail'>, flux: number, sigma: number): void {
  const cs = Math.cos(t.angle),
    sn = Math.sin(t.angle);
  const k = flux / (Math.sqrt(2 * Math.PI) * sigma),
    i2s = 1 / (2 * sigma * sigma);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = (x - t.x) * sn - (y - t.y) * cs;
      const e = d * d * i2s;
      if (e < 12) out[y * w + x] += k * Math.exp(-e);
    }
  }
}

/** four diffraction spikes along the pixel axes, total `flux`, Lorentzian-like fall-off */
export function addSpikes(out: Float32Array, w: number, h: number, x0: number, y0: number, flux: number, sigma: number): void {
  const d0 = 2 * sigma,
    i2s = 1 / (2 * 0.36 * sigma * sigma);
  // unit profile: along-spike 1/(1 + (d/d0)^2), across Gaussian; normalise numerically over the stamp
  let norm = 0;
  const vals = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const dy = y - y0;
    for (let x = 0; x < w; x++) {
      const dx = x - x0;
      const v = Math.exp(-dy * dy * i2s) / (1 + (dx / d0) ** 2) + Math.exp(-dx * dx * i2s) / (1 + (dy / d0) ** 2);
      vals[y * w + x] = v;
      norm += v;
    }
  }
  if (norm > 0) for (let i = 0; i < vals.length; i++) out[i] += (vals[i] * flux) / norm;
}
