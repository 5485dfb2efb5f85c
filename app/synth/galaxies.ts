/**
 * Generators for the common population: ellipticals (de Vaucouleurs-like
 * Sérsic n≈4, red), spirals (Sérsic bulge + exponential disk + optional
 * logarithmic arms, bluer), stars (PSF), neighbours and faint background
 * galaxies. Positions and sizes are returned in pixels.
 */
import type { Rng } from '../core/rng';
import {
  blueColours,
  clamp,
  diskAxisRatio,
  fluxFromColours,
  fluxToMag,
  magToFlux,
  redColours,
  sampleMag,
  sampleRedshift,
  sampleSize,
  starColours,
} from './population';
import type { Component, Flux, Role } from './scene';

export interface PlanCtx {
  rng: Rng;
  /** arcsec per pixel */
  pixscale: number;
  /** stamp side, pixels */
  size: number;
}

/** what the catalogue records about a generated body */
export interface BodyInfo {
  flux: Flux;
  z: number;
  /** half-light radius, arcsec (0 for stars) */
  re: number;
  n: number;
  q: number;
  /** position angle, degrees from +x counter-clockwise */
  paDeg: number;
  bulgeFrac?: number;
}

export interface Body {
  components: Component[];
  info: BodyInfo;
}

const DEG = 180 / Math.PI;

export function makeElliptical(c: PlanCtx, x: number, y: number, magR: number, role: Role = 'main', z?: number): Body {
  const { rng } = c;
  const zz = z ?? sampleRedshift(rng, magR, 'early');
  const re = sampleSize(rng, magR, zz, 'early');
  const n = clamp(rng.gauss(4, 0.6), 2.5, 6);
  const q = clamp(1 - Math.abs(rng.gauss(0, 0.25)), 0.45, 1);
  const pa = rng.uniform(0, Math.PI);
  const [gr, rz] = redColours(rng, zz);
  const flux = fluxFromColours(magR, gr, rz);
  return {
    components: [{ kind: 'sersic', role, shape: { x, y, n, re: re / c.pixscale, q, pa }, flux }],
    info: { flux, z: zz, re, n, q, paDeg: pa * DEG },
  };
}

export function makeSpiral(c: PlanCtx, x: number, y: number, magR: number, role: Role = 'main', z?: number): Body {
  const { rng } = c;
  const zz = z ?? sampleRedshift(rng, magR, 'late');
  const reDisk = sampleSize(rng, magR, zz, 'late');
  const bt = rng.uniform(0.05, 0.45);
  const q = diskAxisRatio(rng);
  const pa = rng.uniform(0, Math.PI);
  const [rgr, rrz] = redColours(rng, zz);
  const [bgr, brz] = blueColours(rng, zz);
  const total = magToFlux(magR);
  const bulge = fluxFromColours(magR - 2.5 * Math.log10(bt), rgr, rrz);
  const diskR = total * (1 - bt);
  const hasArms = q > 0.45 && rng.next() < 0.75;
  const armFrac = hasArms ? rng.uniform(0.15, 0.35) : 0;
  const disk = fluxFromColours(fluxToMag(diskR * (1 - armFrac)), bgr, brz);
  const reBulge = Math.max(0.1, reDisk * rng.uniform(0.15, 0.35));
  const diskShape = { x, y, n: 1, re: reDisk / c.pixscale, q, pa };
  const comps: Component[] = [
    { kind: 'sersic', role: role === 'main' ? 'disk' : role, shape: diskShape, flux: disk },
    {
      kind: 'sersic',
      role: role === 'main' ? 'bulge' : role,
      shape: { x, y, n: rng.uniform(1.5, 4), re: reBulge / c.pixscale, q: clamp(q + 0.3, 0.6, 1), pa },
      flux: bulge,
    },
  ];
  let flux: Flux = [disk[0] + bulge[0], disk[1] + bulge[1], disk[2] + bulge[2]];
  if (hasArms) {
    const arms = fluxFromColours(fluxToMag(diskR * armFrac), bgr - 0.2, brz - 0.15);
    const m = rng.next() < 0.7 ? 2 : rng.next() < 0.6 ? 3 : 4;
    comps.push({
      kind: 'arms',
      role: role === 'main' ? 'arms' : role,
      shape: diskShape,
      m,
      pitch: rng.uniform(12, 30) / DEG,
      phase: rng.uniform(0, 2 * Math.PI),
      flux: arms,
    });
    flux = [flux[0] + arms[0], flux[1] + arms[1], flux[2] + arms[2]];
  }
  return { components: comps, info: { flux, z: zz, re: reDisk, n: 1, q, paDeg: pa * DEG, bulgeFrac: bt } };
}

export function makeStar(c: PlanCtx, x: number, y: number, magR: number, role: Role = 'main'): Body {
  const [gr, rz] = starColours(c.rng);
  const flux = fluxFromColours(magR, gr, rz);
  return { components: [{ kind: 'point', role, x, y, flux }], info: { flux, z: 0, re: 0, n: 0, q: 1, paDeg: 0 } };
}

/** a random position in the stamp at least `minDist` pixels from (cx, cy) */
export function offCentre(c: PlanCtx, cx: number, cy: number, minDist: number): [number, number] {
  for (let k = 0; k < 20; k++) {
    const x = c.rng.uniform(-0.5, c.size - 0.5),
      y = c.rng.uniform(-0.5, c.size - 0.5);
    if ((x - cx) ** 2 + (y - cy) ** 2 >= minDist * minDist) return [x, y];
  }
  return [cx + minDist, cy];
}

/**
 * The field around the main object: faint background galaxies (Poisson mean 4,
 * r 21.5–25.5), brighter neighbour galaxies (mean 0.35, r 18.5–22) and field
 * stars (mean 0.25, r 17–22), none within 6 px of the centre except background.
 */
export function makeField(c: PlanCtx, cx: number, cy: number): Component[] {
  const { rng } = c;
  const out: Component[] = [];
  const nBg = rng.poisson(4);
  for (let k = 0; k < nBg; k++) {
    const x = rng.uniform(-0.5, c.size - 0.5),
      y = rng.uniform(-0.5, c.size - 0.5);
    const m = sampleMag(rng, 21.5, 25.5, 0.35);
    const z = sampleRedshift(rng, m, 'late');
    const [gr, rz] = rng.next() < 0.3 ? redColours(rng, z) : blueColours(rng, z);
    const re = clamp(10 ** rng.gauss(-0.45, 0.15), 0.12, 1.0);
    out.push({
      kind: 'sersic',
      role: 'background',
      flux: fluxFromColours(m, gr, rz),
      shape: { x, y, n: rng.next() < 0.7 ? 1 : 2.5, re: re / c.pixscale, q: clamp(rng.uniform(0.3, 1), 0.3, 1), pa: rng.uniform(0, Math.PI) },
    });
  }
  const nNb = rng.poisson(0.35);
  for (let k = 0; k < nNb; k++) {
    const [x, y] = offCentre(c, cx, cy, 10);
    const m = sampleMag(rng, 18.5, 22, 0.3);
    const b = rng.next() < 0.4 ? makeElliptical(c, x, y, m, 'neighbour') : makeSpiral(c, x, y, m, 'neighbour');
    out.push(...b.components);
  }
  const nSt = rng.poisson(0.25);
  for (let k = 0; k < nSt; k++) {
    const [x, y] = offCentre(c, cx, cy, 8);
    out.push(...makeStar(c, x, y, sampleMag(rng, 17, 22, 0.2), 'neighbour').components);
  }
  return out;
}
