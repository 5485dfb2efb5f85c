/**
 * Flat ΛCDM distances (H0 = 70 km/s/Mpc, Ωm = 0.3) for the synthetic
 * population: angular scale (kpc per arcsec) and distance modulus.
 */
const H0 = 70;
const OM = 0.3;
const C_KM_S = 299792.458;
const HUBBLE_MPC = C_KM_S / H0;

/** comoving distance in Mpc (Simpson's rule, 32 intervals) */
export function comovingDistance(z: number): number {
  if (z <= 0) return 0;
  const n = 32;
  const h = z / n;
  const f = (x: number) => 1 / Math.sqrt(OM * (1 + x) ** 3 + (1 - OM));
  let s = f(0) + f(z);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return (HUBBLE_MPC * s * h) / 3;
}

/** proper kpc per arcsec at redshift z */
export function kpcPerArcsec(z: number): number {
  const da = comovingDistance(z) / (1 + z);
  return (da * 1000 * Math.PI) / (180 * 3600);
}

/** distance modulus m - M */
export function distanceModulus(z: number): number {
  const dl = comovingDistance(z) * (1 + z);
  return 5 * Math.log10(Math.max(dl, 1e-6) * 1e5);
}
