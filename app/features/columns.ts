/**
 * The columns of the morphology feature block, in storage order, each with a
 * name and a one-line meaning. The layout depends only on the band list, so
 * a workspace stores one matrix per (feature-set version, bands): its key is
 * morphologyKey(bands). Bump MORPHOLOGY_VERSION whenever a definition or the
 * order changes (stored matrices of the old version are then recomputed).
 */
import { ANNULUS_EDGES_64, ZONE_EDGES_64 } from './geometry';

export const MORPHOLOGY_VERSION = 1;

export interface FeatureColumn {
  name: string;
  meaning: string;
}

/** `morph1-grz`: the workspace key of the block for these bands */
export function morphologyKey(bands: readonly string[]): string {
  const tag = bands.map((b) => b.replace(/[^A-Za-z0-9]/g, '')).join('');
  return `morph${MORPHOLOGY_VERSION}-${tag || 'x'}`.slice(0, 100);
}

const ring = (a: number) => `${ANNULUS_EDGES_64[a]}–${ANNULUS_EDGES_64[a + 1]} px`;
const zone = (z: number) => `${ZONE_EDGES_64[z]}–${ZONE_EDGES_64[z + 1]} px`;

export function morphologyColumns(bands: readonly string[]): FeatureColumn[] {
  const A = ANNULUS_EDGES_64.length - 1;
  const out: FeatureColumn[] = [];
  const per = (prefix: string, meaning: (b: string, a: number) => string) => {
    for (const b of bands) for (let a = 0; a < A; a++) out.push({ name: `${prefix}_${b}${a}`, meaning: meaning(b, a) });
  };
  per('prof', (b, a) => `asinh of the mean ${b} surface brightness in annulus ${ring(a)}, in units of the sky noise`);
  per('spread', (b, a) => `spread of the 8 sector means of annulus ${ring(a)} in ${b}, relative to its mean plus noise`);
  per('m1', (b, a) => `m=1 Fourier amplitude of ${b} in annulus ${ring(a)} (lopsidedness), relative to |flux| + noise`);
  per('m2', (b, a) => `m=2 Fourier amplitude of ${b} in annulus ${ring(a)} (bars, elongation, pairs), relative to |flux| + noise`);
  for (let k = 0; k + 1 < bands.length; k++)
    for (let a = 0; a < A; a++)
      out.push({ name: `col_${bands[k]}${bands[k + 1]}${a}`, meaning: `${bands[k]}−${bands[k + 1]} asinh colour (mag) of annulus ${ring(a)}` });
  per('resid', (b, a) => `positive ${b} light left after subtracting the azimuthal mean, annulus ${ring(a)} (excess over noise)`);
  out.push({ name: 'arc_area', meaning: 'share of the 1.5–19 px zone where the residual from the azimuthal mean is > 2σ in all bands together' });
  out.push({ name: 'arc_snr', meaning: 'asinh of the S/N of that residual (lensed arcs, ring knots, spiral arms)' });
  for (let k = 0; k + 1 < bands.length; k++)
    out.push({ name: `arc_col_${bands[k]}${bands[k + 1]}`, meaning: `${bands[k]}−${bands[k + 1]} colour (mag) of that residual: blue for lensed arcs` });
  for (let z = 0; z < ZONE_EDGES_64.length - 1; z++)
    out.push({
      name: `tidal_asym${z}`,
      meaning: `positive light left after removing the 180°-rotated image, smoothed 5×5, ` + `${zone(z)} (excess over noise)`,
    });
  for (let z = 0; z < ZONE_EDGES_64.length - 1; z++)
    out.push({ name: `tidal_frac${z}`, meaning: `share of ${zone(z)} where that smoothed asymmetric residual is > 2σ` });
  for (let z = 0; z < ZONE_EDGES_64.length - 1; z++)
    out.push({ name: `lsb${z}`, meaning: `asinh of the mean 5×5-smoothed surface brightness in ${zone(z)}, sky-noise units (all bands)` });
  out.push({ name: 'peaks5', meaning: 'local maxima above 5σ (3×3 smoothed, all bands) within 20 px' });
  out.push({ name: 'peaks15', meaning: 'local maxima above 15σ within 20 px' });
  const mid = bands[Math.floor(bands.length / 2)] ?? '';
  out.push({ name: 'r_petro', meaning: `circular Petrosian radius (η = 0.2) in ${mid}, pixels` });
  out.push({ name: 'r20', meaning: `radius holding 20% of the ${mid} flux within 1.5 r_petro, pixels` });
  out.push({ name: 'r80', meaning: `radius holding 80% of the ${mid} flux within 1.5 r_petro, pixels` });
  out.push({ name: 'cas_c', meaning: `concentration 5 log10(r80/r20) in ${mid} (Conselice 2003)` });
  out.push({ name: 'cas_a', meaning: `rotational asymmetry in ${mid}, noise-corrected (Conselice 2003)` });
  out.push({ name: 'cas_s', meaning: `smoothness (clumpiness) in ${mid}, noise-corrected (Conselice 2003)` });
  out.push({ name: 'gini', meaning: `Gini coefficient of the ${mid} pixel fluxes in the Petrosian segmentation (Lotz et al. 2004)` });
  out.push({ name: 'm20', meaning: `M20, second moment of the brightest 20% of the ${mid} light (Lotz et al. 2004)` });
  return out;
}
