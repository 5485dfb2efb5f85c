/**
 * Turns a planned Scene into pixels: extended components are drawn once as a
 * unit shape and added to each band with their flux, each band is blurred by
 * its Gaussian PSF (separable convolution), point sources, faint background
 * galaxies, trails and spikes are added already blurred, then sky + source
 * noise, then detector saturation.
 */
import { AppError } from '../core/errors';
import type { Rng } from '../core/rng';
import type { Cutout } from '../domain/cutout';
import type { ResolvedOptions } from './options';
import { addNoise, effectiveGain } from './noise';
import { addPoint, convolveSeparable, FWHM_TO_SIGMA, gaussianKernel } from './psf';
import { addSersic, sersicCutRadius, type Box } from './sersic';
import type { Component, Scene } from './scene';
import { addSpikes, addTrail, drawArc, drawArms, drawLensed, drawRing } from './shapes';

const BAND_INDEX: Record<string, number> = { g: 0, r: 1, z: 2 };

/**
 * Faint background galaxies smaller than the PSF are drawn already blurred, as
 * round Gaussians of variance σ_psf² + (0.85 re √q)² (0.85 re: the Gaussian of
 * the same half-light radius), which leaves the convolution a sparser image.
 */
const BG_SIGMA_PER_RE = 0.85;
function isSmallBackground(c: Component): c is Extract<Component, { kind: 'sersic' }> {
  return c.kind === 'sersic' && c.role === 'background';
}

/** per-pixel level below which Sérsic wings are not drawn (nanomaggies) */
const SERSIC_FLOOR = 1e-4;

interface Scratch {
  shape: Float32Array;
  tmp: Float32Array;
  gx: Float32Array;
  gy: Float32Array;
}
const scratches = new Map<number, Scratch>();
function scratchFor(size: number): Scratch {
  let s = scratches.get(size);
  if (!s) {
    const n = size * size;
    s = { shape: new Float32Array(n), tmp: new Float32Array(n), gx: new Float32Array(size), gy: new Float32Array(size) };
    scratches.set(size, s);
  }
  return s;
}

function drawExtended(c: Component, shape: Float32Array, w: number): { box: Box; norm: number } | null {
  switch (c.kind) {
    case 'sersic': {
      const fmax = Math.max(c.flux[0], c.flux[1], c.flux[2]);
      const cut = sersicCutRadius(c.shape, fmax, SERSIC_FLOOR, Math.max(8 * c.shape.re, 3));
      return { box: addSersic(shape, w, w, c.shape, 1, cut), norm: 1 };
    }
    case 'arms':
    case 'ring':
    case 'arc': {
      const d = c.kind === 'arms' ? drawArms(shape, w, w, c) : c.kind === 'ring' ? drawRing(shape, w, w, c) : drawArc(shape, w, w, c);
      return { box: d.box, norm: d.sum > 0 ? 1 / d.sum : 0 };
    }
    case 'lensed':
      return { box: drawLensed(shape, w, w, c).box, norm: 1 };
    default:
      return null;
  }
}

/** Clip values above `level` and bleed the excess up and down the same columns. */
function saturate(plane: Float32Array, w: number, h: number, x0: number, y0: number, level: number): void {
  const r = Math.ceil(w / 3);
  for (let x = Math.max(0, Math.round(x0) - r); x <= Math.min(w - 1, Math.round(x0) + r); x++) {
    let excess = 0,
      top = -1,
      bottom = h;
    for (let y = 0; y < h; y++) {
      const v = plane[y * w + x];
      if (v > level) {
        excess += v - level;
        plane[y * w + x] = level;
        top = Math.max(top, y);
        bottom = Math.min(bottom, y);
      }
    }
    if (top < 0) continue;
    const n = Math.ceil(excess / level / 2);
    for (let k = 1; k <= n; k++) {
      if (top + k < h) plane[(top + k) * w + x] = Math.max(plane[(top + k) * w + x], level);
      if (bottom - k >= 0) plane[(bottom - k) * w + x] = Math.max(plane[(bottom - k) * w + x], level);
    }
  }
}

export interface RenderOptions {
  /** only components for which this returns true (default all) */
  include?: (c: Component) => boolean;
  /** override ResolvedOptions.noise */
  noise?: boolean;
  /** write into this array (bands × size × size) instead of a new one; it is overwritten */
  out?: Float32Array;
}

/** Pixels of a scene. `noiseRng` drives the noise only, so a scene always renders the same. */
export function renderScene(scene: Scene, o: ResolvedOptions, noiseRng: Rng, ro: RenderOptions = {}): Cutout {
  const w = o.size,
    n = w * w;
  const bands = o.bands.map((b) => BAND_INDEX[b]);
  const nb = bands.length;
  let data: Float32Array;
  if (ro.out) {
    if (ro.out.length !== nb * n) throw new AppError('BAD_INPUT', `render buffer has ${ro.out.length} values, expected ${nb}×${w}×${w}`);
    data = ro.out.fill(0);
  } else data = new Float32Array(nb * n);
  const sc = scratchFor(w);
  const comps = ro.include ? scene.components.filter(ro.include) : scene.components;
  const sigmaPx = scene.fwhm.map((f) => (f * FWHM_TO_SIGMA) / o.pixscale);

  for (const c of comps) {
    if (isSmallBackground(c)) continue;
    const shape = sc.shape;
    shape.fill(0);
    const d = drawExtended(c, shape, w);
    if (!d || !('flux' in c)) continue;
    const [x0, x1, y0, y1] = d.box;
    for (let k = 0; k < nb; k++) {
      const amp = c.flux[bands[k]] * d.norm;
      if (amp === 0) continue;
      const base = k * n;
      for (let y = y0; y <= y1; y++) {
        const row = y * w;
        for (let x = x0; x <= x1; x++) data[base + row + x] += amp * shape[row + x];
      }
    }
  }
  for (let k = 0; k < nb; k++) {
    const plane = data.subarray(k * n, (k + 1) * n);
    const sigma = sigmaPx[bands[k]];
    convolveSeparable(plane, w, w, gaussianKernel(sigma), sc.tmp);
    for (const c of comps) {
      if (c.kind === 'point') addPoint(plane, w, w, c.x, c.y, c.flux[bands[k]], sigma, sc.gx, sc.gy);
      else if (isSmallBackground(c)) {
        const sg = BG_SIGMA_PER_RE * c.shape.re * Math.sqrt(c.shape.q);
        addPoint(plane, w, w, c.shape.x, c.shape.y, c.flux[bands[k]], Math.sqrt(sigma * sigma + sg * sg), sc.gx, sc.gy);
      } else if (c.kind === 'trail' && c.flux[bands[k]] > 0) addTrail(plane, w, w, c, c.flux[bands[k]], sigma);
      else if (c.kind === 'saturation') addSpikes(plane, w, w, c.x, c.y, c.spikeFlux[bands[k]], sigma);
    }
    if (ro.noise ?? o.noise) {
      const cond = o.conditions[k];
      addNoise(plane, cond.skySigma, effectiveGain(cond.skyMag, cond.skySigma, o.pixscale), noiseRng);
    }
    for (const c of comps) if (c.kind === 'saturation') saturate(plane, w, w, c.x, c.y, c.level[bands[k]]);
  }
  return { bands: [...o.bands], width: w, height: w, pixscale: o.pixscale, unit: 'nanomaggies', data };
}
