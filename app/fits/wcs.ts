/**
 * Celestial WCS for TAN (gnomonic) and SIN (orthographic) projections
 * (Calabretta & Greisen 2002), from CRPIX/CRVAL with a CD matrix, PC + CDELT,
 * or CDELT + CROTA2, and LONPOLE/LATPOLE.
 *
 * Pixel convention: the methods take and return 0-based pixel coordinates,
 * as numpy indices and astropy's `wcs_pix2world(x, y, 0)`: the centre of the
 * first pixel is (0, 0), x along NAXIS1 (columns), y along NAXIS2 (rows).
 * FITS (1-based) pixel = 0-based pixel + 1; pass `origin: 1` to use FITS pixels.
 * Sky coordinates are degrees (longitude in [0, 360)).
 */
import { AppError } from '../core/errors';
import type { FitsHeader } from './header';

export type Projection = 'TAN' | 'SIN';

export interface Wcs {
  projection: Projection;
  /** 1-based reference pixel (CRPIX1, CRPIX2) of the celestial axes */
  crpix: [number, number];
  /** reference sky position in degrees (CRVAL) */
  crval: [number, number];
  /** linear transformation, degrees per pixel: [[cd11, cd12], [cd21, cd22]] */
  cd: [[number, number], [number, number]];
  /** longitude axis type, e.g. 'RA', 'GLON' */
  lngType: string;
  latType: string;
  /** RADESYS (default ICRS, or FK5 when EQUINOX is given) */
  radesys: string;
  /** pixel scale, arcsec/pixel (sqrt |det CD|) */
  pixscale: number;
  /** 0-based pixel → [lon, lat] degrees (NaN outside the projection) */
  pixToSky(x: number, y: number, origin?: 0 | 1): [number, number];
  /** [lon, lat] degrees → 0-based pixel (NaN if the point is behind the projection plane) */
  skyToPix(lon: number, lat: number, origin?: 0 | 1): [number, number];
}

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

function atan2d(y: number, x: number): number {
  return Math.atan2(y, x) * R2D;
}

/** Celestial axes (1-based) from CTYPEn: longitude first. */
function celestialAxes(h: FitsHeader, where: string): { lng: number; lat: number; proj: string; lngType: string; latType: string } {
  const n = h.number('WCSAXES') ?? h.number('NAXIS') ?? 2;
  let lng = 0,
    lat = 0,
    proj = '',
    lngType = '',
    latType = '';
  for (let i = 1; i <= Math.max(n, 2); i++) {
    const t = (h.string(`CTYPE${i}`) ?? '').trim().toUpperCase();
    const m = /^([A-Z]{1,4})-*-([A-Z0-9]{3})$/.exec(t) ?? /^([A-Z]{1,4})$/.exec(t);
    if (!m) continue;
    const axis = m[1]!;
    if (/^(RA|GLON|ELON|SLON|HLON)$/.test(axis) || /^.LON$/.test(axis)) {
      lng = i;
      lngType = axis;
      proj = m[2] ?? proj;
    } else if (/^(DEC|GLAT|ELAT|SLAT|HLAT)$/.test(axis) || /^.LAT$/.test(axis)) {
      lat = i;
      latType = axis;
      proj = m[2] ?? proj;
    }
  }
  if (!lng || !lat) throw new AppError('NOT_FOUND', `${where}: no celestial WCS (CTYPEn with RA/DEC or GLON/GLAT)`);
  return { lng, lat, proj, lngType, latType };
}

/** Parses the celestial WCS of a header. `where` names the file/HDU for errors. */
export function parseWcs(h: FitsHeader, where = 'header'): Wcs {
  const { lng, lat, proj, lngType, latType } = celestialAxes(h, where);
  if (proj !== 'TAN' && proj !== 'SIN') throw new AppError('FITS_UNSUPPORTED', `${where}: projection '${proj || 'linear'}' is not supported (TAN, SIN)`);
  if (proj === 'SIN' && ((h.number(`PV${lat}_1`, 0) ?? 0) !== 0 || (h.number(`PV${lat}_2`, 0) ?? 0) !== 0)) {
    throw new AppError('FITS_UNSUPPORTED', `${where}: slant orthographic SIN (PV${lat}_1/PV${lat}_2 ≠ 0) is not supported`);
  }
  if (h.has('A_ORDER') || /-SIP$/.test(h.string(`CTYPE${lng}`) ?? '')) throw new AppError('FITS_UNSUPPORTED', `${where}: SIP distortions are not supported`);
  const ax = [lng, lat];
  const num = (k: string, d: number) => {
    const v = h.number(k, d);
    if (v === undefined || !Number.isFinite(v)) throw new AppError('FITS_CORRUPT', `${where}: ${k} is not a number`);
    return v;
  };
  const crpix: [number, number] = [num(`CRPIX${lng}`, 0), num(`CRPIX${lat}`, 0)];
  const crval: [number, number] = [num(`CRVAL${lng}`, 0), num(`CRVAL${lat}`, 0)];
  let cd: [[number, number], [number, number]];
  if (ax.some((i) => ax.some((j) => h.has(`CD${i}_${j}`)))) {
    cd = [
      [num(`CD${lng}_${lng}`, 0), num(`CD${lng}_${lat}`, 0)],
      [num(`CD${lat}_${lng}`, 0), num(`CD${lat}_${lat}`, 0)],
    ];
  } else {
    const c1 = num(`CDELT${lng}`, 1),
      c2 = num(`CDELT${lat}`, 1);
    const hasPc = ax.some((i) => ax.some((j) => h.has(`PC${i}_${j}`)));
    if (!hasPc && h.has(`CROTA${lat}`)) {
      const r = num(`CROTA${lat}`, 0) * D2R;
      cd = [
        [c1 * Math.cos(r), -c2 * Math.sin(r)],
        [c1 * Math.sin(r), c2 * Math.cos(r)],
      ];
    } else {
      const pc = (i: number, j: number) => num(`PC${i}_${j}`, i === j ? 1 : 0);
      cd = [
        [c1 * pc(lng, lng), c1 * pc(lng, lat)],
        [c2 * pc(lat, lng), c2 * pc(lat, lat)],
      ];
    }
  }
  const det = cd[0][0] * cd[1][1] - cd[0][1] * cd[1][0];
  if (det === 0 || !Number.isFinite(det)) throw new AppError('FITS_CORRUPT', `${where}: the WCS matrix is singular`);
  const inv = [
    [cd[1][1] / det, -cd[0][1] / det],
    [-cd[1][0] / det, cd[0][0] / det],
  ];
  const [a0, d0] = crval;
  // zenithal projections: native reference point (0, 90); default LONPOLE 0 if δ0 ≥ 90 else 180
  const phiP = h.number(`LONPOLE`) ?? (d0 >= 90 ? 0 : 180);
  const sd0 = Math.sin(d0 * D2R),
    cd0 = Math.cos(d0 * D2R);
  const radesys = (
    h.string('RADESYS') ??
    h.string('RADECSYS') ??
    (h.has('EQUINOX') && (h.number('EQUINOX') ?? 2000) < 1984 ? 'FK4' : h.has('EQUINOX') ? 'FK5' : 'ICRS')
  ).trim();

  const pixToSky = (x: number, y: number, origin: 0 | 1 = 0): [number, number] => {
    const dx = x + (1 - origin) - crpix[0],
      dy = y + (1 - origin) - crpix[1];
    const px = cd[0][0] * dx + cd[0][1] * dy;
    const py = cd[1][0] * dx + cd[1][1] * dy;
    const r = Math.hypot(px, py);
    const phi = r === 0 ? 0 : atan2d(px, -py);
    let theta: number;
    if (proj === 'TAN') theta = r === 0 ? 90 : atan2d(R2D, r);
    else {
      const s = r * D2R;
      if (s > 1) return [NaN, NaN];
      theta = Math.acos(s) * R2D;
    }
    const st = Math.sin(theta * D2R),
      ct = Math.cos(theta * D2R);
    const dphi = (phi - phiP) * D2R;
    const sdelta = st * sd0 + ct * cd0 * Math.cos(dphi);
    const delta = Math.asin(Math.max(-1, Math.min(1, sdelta))) * R2D;
    const alpha = a0 + atan2d(-ct * Math.sin(dphi), st * cd0 - ct * sd0 * Math.cos(dphi));
    return [((alpha % 360) + 360) % 360, delta];
  };

  const skyToPix = (lon: number, latDeg: number, origin: 0 | 1 = 0): [number, number] => {
    const da = (lon - a0) * D2R;
    const sd = Math.sin(latDeg * D2R),
      cdl = Math.cos(latDeg * D2R);
    const a = -cdl * Math.sin(da);
    const b = sd * cd0 - cdl * sd0 * Math.cos(da);
    const phi = phiP + atan2d(a, b);
    const stheta = sd * sd0 + cdl * cd0 * Math.cos(da);
    if (stheta <= 0) return [NaN, NaN];
    const ctheta = Math.hypot(a, b); // stable near the reference point, unlike cos(asin(sin θ))
    const r = proj === 'TAN' ? (R2D * ctheta) / stheta : R2D * ctheta;
    const px = r * Math.sin(phi * D2R),
      py = -r * Math.cos(phi * D2R);
    const dx = inv[0]![0]! * px + inv[0]![1]! * py;
    const dy = inv[1]![0]! * px + inv[1]![1]! * py;
    return [dx + crpix[0] - (1 - origin), dy + crpix[1] - (1 - origin)];
  };

  return { projection: proj, crpix, crval, cd, lngType, latType, radesys, pixscale: Math.sqrt(Math.abs(det)) * 3600, pixToSky, skyToPix };
}
