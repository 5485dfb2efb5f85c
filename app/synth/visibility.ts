/**
 * How visible a rare object's defining feature is, recorded as catalogue
 * columns so a demo can report recall of the members one could see at all
 * (nothing is brightened: these only measure what the plan already holds).
 *  - lens `arc_snr`: integrated S/N of the lensed arcs alone, the matched-
 *    filter S/N √(Σ_bands Σ_px m² / σ²) of the PSF-blurred arc model m,
 *    with σ² = sky noise² + the arcs' own Poisson variance (the deflector's
 *    light is neither subtracted nor counted). Collett (2015, ApJ 811, 20)
 *    calls a lens detectable at S/N ≥ 20 with total magnification ≥ 3 and
 *    arcs resolved (θE larger than about half the seeing FWHM);
 *    LENS_VISIBLE applies those three.
 *  - tidal `tidal_sb_r`: mean r surface brightness (mag/arcsec²) of the tidal
 *    light within the area holding half of it (pixels brightest first, PSF
 *    not applied), and `tidal_sigma_px`, the same as a fraction of the r sky
 *    noise per pixel. TIDAL_VISIBLE_SB: 26.0 mag/arcsec² ≈ 0.37σ per pixel at
 *    the survey's depth.
 */
import type { ResolvedOptions } from './options';
import { effectiveGain } from './noise';
import { convolveSeparable, FWHM_TO_SIGMA, gaussianKernel } from './psf';
import type { Component, Flux } from './scene';
import { drawArc, drawLensed } from './shapes';

export const LENS_VISIBLE = { arcSnr: 20, magnification: 3, thetaEOverFwhm: 0.5 } as const;
export const TIDAL_VISIBLE_SB = 26.0;

const BAND_INDEX: Record<string, number> = { g: 0, r: 1, z: 2 };
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** `arc_snr` of a lens's lensed components. */
export function arcSnr(comps: Component[], fwhm: Flux, o: ResolvedOptions): number {
  const w = o.size,
    n = w * w;
  const unit = new Float32Array(n),
    tmp = new Float32Array(n);
  let s2 = 0;
  o.bands.forEach((band, k) => {
    const bi = BAND_INDEX[band];
    if (bi === undefined) return;
    unit.fill(0);
    let flux = 0;
    for (const c of comps) {
      if (c.kind !== 'lensed') continue;
      drawLensed(unit, w, w, c);
      flux = c.flux[bi];
    }
    if (flux <= 0) return;
    convolveSeparable(unit, w, w, gaussianKernel((fwhm[bi] * FWHM_TO_SIGMA) / o.pixscale), tmp);
    const cond = o.conditions[k];
    const gain = effectiveGain(cond.skyMag, cond.skySigma, o.pixscale);
    for (let i = 0; i < n; i++) {
      const m = flux * unit[i];
      if (m > 0) s2 += (m * m) / (cond.skySigma * cond.skySigma + m / gain);
    }
  });
  return r3(Math.sqrt(s2));
}

/** `tidal_sb_r` and `tidal_sigma_px` of a tidal object's 'tidal' arcs. */
export function tidalSurfaceBrightness(comps: Component[], o: ResolvedOptions): { sb: number; sigmaPx: number } | null {
  const w = o.size,
    n = w * w;
  const img = new Float64Array(n),
    unit = new Float32Array(n);
  let total = 0;
  for (const c of comps) {
    if (c.kind !== 'arc' || c.role !== 'tidal') continue;
    unit.fill(0);
    const d = drawArc(unit, w, w, c);
    if (!(d.sum > 0)) continue;
    const f = c.flux[1] / d.sum;
    for (let i = 0; i < n; i++) img[i] += f * unit[i];
    total += c.flux[1];
  }
  if (!(total > 0)) return null;
  const sorted = Float64Array.from(img).sort().reverse();
  let acc = 0,
    k = 0;
  while (k < n && acc < 0.5 * total) acc += sorted[k++];
  const perPix = acc / k;
  const sb = 22.5 - 2.5 * Math.log10(perPix / (o.pixscale * o.pixscale));
  const ri = o.bands.indexOf('r');
  const sky = ri >= 0 ? o.conditions[ri].skySigma : o.conditions[0].skySigma;
  return { sb: r3(sb), sigmaPx: r3(perPix / sky) };
}

/** Is a lens (by its catalogue extras) visible by LENS_VISIBLE? */
export function lensVisible(extra: Record<string, unknown>): boolean {
  const snr = Number(extra.arc_snr),
    mu = Number(extra.magnification),
    te = Number(extra.einstein_radius),
    fw = Number(extra.psf_fwhm_r);
  return snr >= LENS_VISIBLE.arcSnr && mu >= LENS_VISIBLE.magnification && te >= LENS_VISIBLE.thetaEOverFwhm * fw;
}

export function tidalVisible(extra: Record<string, unknown>): boolean {
  return Number(extra.tidal_sb_r) <= TIDAL_VISIBLE_SB;
}
