/**
 * Scaling relations of the synthetic population: magnitudes, redshifts,
 * sizes and colours. Observed-frame colours are simple linear functions of
 * redshift (no k-correction tables), sizes follow size–luminosity relations
 * through flat ΛCDM angular scales.
 */
import type { Rng } from '../core/rng';
import { distanceModulus, kpcPerArcsec } from './cosmology';
import type { Flux } from './scene';

export const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

export const magToFlux = (m: number) => 10 ** ((22.5 - m) / 2.5);
export const fluxToMag = (f: number) => (f > 0 ? 22.5 - 2.5 * Math.log10(f) : 99);

/** [g, r, z] fluxes from an r magnitude and g−r, r−z colours */
export function fluxFromColours(magR: number, gr: number, rz: number): Flux {
  return [magToFlux(magR + gr), magToFlux(magR), magToFlux(magR - rz)];
}

export function scaleFlux(f: Flux, k: number): Flux {
  return [f[0] * k, f[1] * k, f[2] * k];
}

export function addFlux(a: Flux, b: Flux): Flux {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** magnitude in [lo, hi] with number counts dN/dm ∝ 10^(slope·m) */
export function sampleMag(rng: Rng, lo: number, hi: number, slope = 0.3): number {
  const span = 10 ** (slope * (hi - lo)) - 1;
  return lo + Math.log10(1 + rng.next() * span) / slope;
}

export type GalaxyType = 'early' | 'late';

/** true redshift from r magnitude: brighter → closer; early types sit further at fixed magnitude */
export function sampleRedshift(rng: Rng, magR: number, type: GalaxyType): number {
  const lz = type === 'early' ? -0.7 + 0.17 * (magR - 18) + rng.gauss(0, 0.07) : -0.95 + 0.18 * (magR - 18) + rng.gauss(0, 0.1);
  return clamp(10 ** lz, 0.02, 1.5);
}

/** photometric redshift: true z with σ = 0.02(1 + z) scatter and 2% outliers */
export function photoZ(rng: Rng, z: number): number {
  if (rng.next() < 0.02) return Math.round(rng.uniform(0.02, 1.2) * 1e4) / 1e4;
  return Math.round(clamp(z + rng.gauss(0, 0.02 * (1 + z)), 0.005, 2) * 1e4) / 1e4;
}

/** half-light radius in arcsec from the size–luminosity relation */
export function sampleSize(rng: Rng, magR: number, z: number, type: GalaxyType): number {
  const absM = magR - distanceModulus(z);
  const kpc = type === 'early' ? 4 * 10 ** (-0.26 * (absM + 21.5) + rng.gauss(0, 0.12)) : 5 * 10 ** (-0.12 * (absM + 21) + rng.gauss(0, 0.15));
  return clamp(kpc / kpcPerArcsec(z), 0.15, 8);
}

/** observed g−r, r−z of a red (early-type) stellar population at redshift z */
export function redColours(rng: Rng, z: number): [number, number] {
  return [clamp(0.78 + 2.0 * z, 0.7, 1.95) + rng.gauss(0, 0.05), 0.42 + 0.9 * clamp(z, 0, 0.9) + rng.gauss(0, 0.05)];
}

/** observed g−r, r−z of a star-forming disk at redshift z */
export function blueColours(rng: Rng, z: number): [number, number] {
  return [0.42 + 0.8 * clamp(z, 0, 1) + rng.gauss(0, 0.08), 0.3 + 0.5 * clamp(z, 0, 1) + rng.gauss(0, 0.08)];
}

/** colours of a star on the stellar locus */
export function starColours(rng: Rng): [number, number] {
  const gr = clamp(0.25 + Math.abs(rng.gauss(0, 0.55)), -0.2, 1.6);
  return [gr, 0.05 + 0.55 * gr + 2.5 * Math.max(0, gr - 1.25) + rng.gauss(0, 0.04)];
}

/** axis ratio of a thin disk seen at a random inclination (intrinsic thickness 0.12) */
export function diskAxisRatio(rng: Rng): number {
  const c = rng.next();
  return Math.sqrt(c * c * (1 - 0.12 * 0.12) + 0.12 * 0.12);
}
