/**
 * Which members of a rare class one could see at all, from the synthetic
 * survey's visibility columns (app/synth/visibility.ts): lenses by arc S/N,
 * magnification and Einstein radius vs seeing (Collett 2015), tidal features
 * by their surface brightness. Classes without a rule are absent.
 */
import { LENS_VISIBLE, lensVisible, TIDAL_VISIBLE_SB, tidalVisible } from '@app/synth/visibility';
import type { Workspace } from '../workspace';

export interface VisibilityRule {
  rule: string;
}

export function visibilityRules(ws: Workspace): { rules: Record<string, VisibilityRule>; visible: Record<string, (i: number) => boolean> } {
  const have = new Set(ws.columns().map((c) => c.name));
  const rules: Record<string, VisibilityRule> = {};
  const visible: Record<string, (i: number) => boolean> = {};
  if (['arc_snr', 'magnification', 'einstein_radius', 'psf_fwhm_r'].every((c) => have.has(c))) {
    const snr = ws.column('arc_snr'),
      mu = ws.column('magnification'),
      te = ws.column('einstein_radius'),
      fw = ws.column('psf_fwhm_r');
    rules.lens = {
      rule: `arc_snr ≥ ${LENS_VISIBLE.arcSnr} and magnification ≥ ${LENS_VISIBLE.magnification} and einstein_radius ≥ ${LENS_VISIBLE.thetaEOverFwhm} × psf_fwhm_r`,
    };
    visible.lens = (i) => lensVisible({ arc_snr: snr[i], magnification: mu[i], einstein_radius: te[i], psf_fwhm_r: fw[i] });
  }
  if (have.has('tidal_sb_r')) {
    const sb = ws.column('tidal_sb_r');
    rules.tidal = { rule: `tidal_sb_r ≤ ${TIDAL_VISIBLE_SB} mag/arcsec² (half-light surface brightness of the tidal light)` };
    visible.tidal = (i) => tidalVisible({ tidal_sb_r: sb[i] });
  }
  return { rules, visible };
}
