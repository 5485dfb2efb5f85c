/**
 * HEALPix, NESTED scheme (Górski et al. 2005; algorithms as in the HEALPix
 * C++ library healpix_base.cc). Orders 0..24: pixel numbers stay exact in a
 * double (12·4^24 < 2^53); that is ~12 mas pixels, finer than any HiPS.
 * theta = colatitude, phi = longitude (radians); the ra/dec helpers take
 * degrees. Corners and neighbours follow healpy's order:
 * boundaries N, W, S, E; neighbours SW, W, NW, N, NE, E, SE, S (-1 = none).
 */
import { AppError } from '../core/errors';
import { DEG } from './coords';

export const MAX_ORDER = 24;
const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const HALFPI = Math.PI / 2;

export function checkOrder(order: number): number {
  if (!Number.isInteger(order) || order < 0 || order > MAX_ORDER)
    throw new AppError('BAD_INPUT', `HEALPix order must be an integer 0..${MAX_ORDER}, got ${order}`);
  return 2 ** order;
}

export function npix(order: number): number {
  const nside = checkOrder(order);
  return 12 * nside * nside;
}

/** spread the low 24 bits of v to the even bits of the result (v < 2^24 → result < 2^48) */
function spread(v: number): number {
  let lo = v & 0xfff,
    hi = (v >>> 12) & 0xfff;
  const s = (x: number) => {
    x = (x | (x << 8)) & 0x00ff00ff;
    x = (x | (x << 4)) & 0x0f0f0f0f;
    x = (x | (x << 2)) & 0x33333333;
    return (x | (x << 1)) & 0x55555555;
  };
  lo = s(lo);
  hi = s(hi);
  return hi * 16777216 + lo; // hi << 24
}

/** inverse of spread: even bits of a < 2^48 number */
function compress(v: number): number {
  const lo = v % 16777216,
    hi = Math.floor(v / 16777216);
  const c = (x: number) => {
    x &= 0x55555555;
    x = (x | (x >>> 1)) & 0x33333333;
    x = (x | (x >>> 2)) & 0x0f0f0f0f;
    x = (x | (x >>> 4)) & 0x00ff00ff;
    return (x | (x >>> 8)) & 0x0000ffff;
  };
  return c(hi) * 4096 + c(lo);
}

export function xyf2nest(order: number, ix: number, iy: number, face: number): number {
  const nside = 2 ** order;
  return face * nside * nside + spread(ix) + 2 * spread(iy);
}

export function nest2xyf(order: number, pix: number): { ix: number; iy: number; face: number } {
  const npface = 4 ** order;
  const face = Math.floor(pix / npface);
  const p = pix - face * npface;
  return { ix: compress(p), iy: compress(Math.floor(p / 2)), face };
}

function ang2pixZPhi(order: number, z: number, phi: number, sth: number | null): number {
  const nside = 2 ** order;
  const za = Math.abs(z);
  let tt = (phi / HALFPI) % 4;
  if (tt < 0) tt += 4;
  if (tt >= 4) tt = 0;
  if (za <= 2 / 3) {
    const temp1 = nside * (0.5 + tt),
      temp2 = nside * z * 0.75;
    const jp = Math.floor(temp1 - temp2),
      jm = Math.floor(temp1 + temp2);
    const ifp = Math.floor(jp / nside),
      ifm = Math.floor(jm / nside);
    const face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    const ix = jm % nside,
      iy = nside - (jp % nside) - 1;
    return xyf2nest(order, ix, iy, face);
  }
  const ntt = Math.min(3, Math.floor(tt));
  const tp = tt - ntt;
  const tmp = za < 0.99 || sth === null ? nside * Math.sqrt(3 * (1 - za)) : (nside * sth) / Math.sqrt((1 + za) / 3);
  const jp = Math.min(Math.floor(tp * tmp), nside - 1),
    jm = Math.min(Math.floor((1 - tp) * tmp), nside - 1);
  return z >= 0 ? xyf2nest(order, nside - jm - 1, nside - jp - 1, ntt) : xyf2nest(order, jp, jm, ntt + 8);
}

/** Nested pixel containing (theta, phi) in radians. */
export function ang2pix(order: number, theta: number, phi: number): number {
  checkOrder(order);
  return ang2pixZPhi(order, Math.cos(theta), phi, Math.sin(theta));
}

/** Nested pixel containing (ra, dec) in degrees. */
export function radec2pix(order: number, ra: number, dec: number): number {
  checkOrder(order);
  return ang2pixZPhi(order, Math.sin(dec * DEG), ra * DEG, Math.cos(dec * DEG));
}

/** z = cos(theta), phi and sin(theta) of a point given in face coordinates x, y ∈ [0, 1]. */
function xyf2loc(x: number, y: number, face: number): { z: number; phi: number; sth: number } {
  const jr = JRLL[face] - x - y;
  let nr: number, z: number, sth: number;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3;
    z = 1 - tmp;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3;
    z = tmp - 1;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else {
    nr = 1;
    z = ((2 - jr) * 2) / 3;
    sth = Math.sqrt((1 - z) * (1 + z));
  }
  let tmp = JPLL[face] * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  const phi = nr < 1e-15 ? 0 : (0.5 * HALFPI * tmp) / nr;
  return { z, phi, sth };
}

function locToRadec(l: { z: number; phi: number; sth: number }): [number, number] {
  let ra = l.phi / DEG;
  if (ra >= 360) ra -= 360;
  return [ra, Math.atan2(l.z, l.sth) / DEG];
}

/**
 * Sky position (degrees) of a point inside a pixel: dx, dy ∈ [0, 1] along
 * the pixel's x and y axes (0.5, 0.5 = centre; x runs from the S corner to the E corner).
 */
export function pixPointRadec(order: number, pix: number, dx = 0.5, dy = 0.5): [number, number] {
  const nside = checkOrder(order);
  const { ix, iy, face } = nest2xyf(order, pix);
  return locToRadec(xyf2loc((ix + dx) / nside, (iy + dy) / nside, face));
}

/** Pixel centre (ra, dec) in degrees. */
export function pix2radec(order: number, pix: number): [number, number] {
  return pixPointRadec(order, pix, 0.5, 0.5);
}

/** Pixel centre as (theta, phi) radians. */
export function pix2ang(order: number, pix: number): [number, number] {
  const [ra, dec] = pix2radec(order, pix);
  return [HALFPI - dec * DEG, ra * DEG];
}

/** The 4 corners (ra, dec degrees) in healpy.boundaries order: N, W, S, E. */
export function corners(order: number, pix: number): [number, number][] {
  return [pixPointRadec(order, pix, 1, 1), pixPointRadec(order, pix, 0, 1), pixPointRadec(order, pix, 0, 0), pixPointRadec(order, pix, 1, 0)];
}

const NB_X = [-1, -1, 0, 1, 1, 1, 0, -1];
const NB_Y = [0, 1, 1, 1, 0, -1, -1, -1];
const NB_FACE = [
  [8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9],
  [5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8],
  [-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1],
  [4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  [1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4],
  [-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1],
  [3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7],
  [2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3],
];
const NB_SWAP = [
  [0, 0, 3],
  [0, 0, 6],
  [0, 0, 0],
  [0, 0, 5],
  [0, 0, 0],
  [5, 0, 0],
  [0, 0, 0],
  [6, 0, 0],
  [3, 0, 0],
];

/** The 8 neighbours in healpy.get_all_neighbours order SW, W, NW, N, NE, E, SE, S; -1 where none (8 of the 12 face corners). */
export function neighbours(order: number, pix: number): number[] {
  const nside = checkOrder(order);
  const { ix, iy, face } = nest2xyf(order, pix);
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    let x = ix + NB_X[i],
      y = iy + NB_Y[i];
    let nb = 4;
    if (x < 0) {
      x += nside;
      nb -= 1;
    } else if (x >= nside) {
      x -= nside;
      nb += 1;
    }
    if (y < 0) {
      y += nside;
      nb -= 3;
    } else if (y >= nside) {
      y -= nside;
      nb += 3;
    }
    const f = NB_FACE[nb][face];
    if (f < 0) {
      out.push(-1);
      continue;
    }
    const bits = NB_SWAP[nb][face >> 2];
    if (bits & 1) x = nside - x - 1;
    if (bits & 2) y = nside - y - 1;
    if (bits & 4) {
      const t = x;
      x = y;
      y = t;
    }
    out.push(xyf2nest(order, x, y, f));
  }
  return out;
}

/** Parent pixel at a lower order. */
export function parentPix(order: number, pix: number, parentOrder: number): number {
  return Math.floor(pix / 4 ** (order - parentOrder));
}

/** Largest centre-to-corner angular distance (degrees) of any pixel at this order (HEALPix max_pixrad). */
export function maxPixelRadius(order: number): number {
  const nside = checkOrder(order);
  const vec = (z: number, phi: number) => {
    const st = Math.sqrt((1 - z) * (1 + z));
    return [st * Math.cos(phi), st * Math.sin(phi), z];
  };
  const va = vec(2 / 3, Math.PI / (4 * nside));
  const t1 = (1 - 1 / nside) ** 2;
  const vb = vec(1 - t1 / 3, 0);
  const cross = [va[1] * vb[2] - va[2] * vb[1], va[2] * vb[0] - va[0] * vb[2], va[0] * vb[1] - va[1] * vb[0]];
  return Math.atan2(Math.hypot(cross[0], cross[1], cross[2]), va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2]) / DEG;
}
