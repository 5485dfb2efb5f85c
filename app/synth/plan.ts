/**
 * Plans object i of a survey from its own random stream (createRng(seed).fork(i)):
 * class, sky position, seeing, main body, rare features and field. Cheap: no
 * pixels except the ray-traced magnification of lenses.
 */
import { createRng, type Rng } from '../core/rng';
import type { NewObject } from '../domain/object';
import { CLASS_NAMES, DEFAULT_CONDITIONS, type ResolvedOptions, type SynthClass } from './options';
import { makeElliptical, makeField, makeSpiral, makeStar, type BodyInfo, type PlanCtx } from './galaxies';
import { fluxToMag, photoZ, sampleMag } from './population';
import { FWHM_TO_SIGMA } from './psf';
import { makeArtefact, makeLens, makeMerger, makeRing, makeTidal } from './rare';
import type { Component, Flux, Scene } from './scene';
import { arcSnr, tidalSurfaceBrightness } from './visibility';

const DEG = Math.PI / 180;

/** object id: 'SYN-000001' for index 0 */
export function synthId(i: number): string {
  return `SYN-${String(i + 1).padStart(6, '0')}`;
}

/** uniform position in the spherical cap of radius radiusDeg around the centre */
function skyPosition(rng: Rng, o: ResolvedOptions): { ra: number; dec: number } {
  const cosR = Math.cos(o.radiusDeg * DEG);
  const ct = 1 - rng.next() * (1 - cosR),
    st = Math.sqrt(Math.max(0, 1 - ct * ct));
  const phi = rng.uniform(0, 2 * Math.PI);
  // offset around the +z pole, then rotate the pole onto (ra0, dec0)
  const x = st * Math.cos(phi),
    y = st * Math.sin(phi),
    z = ct;
  const a = o.center.ra * DEG,
    d = o.center.dec * DEG;
  // pole -> (ra0, dec0): rotate about y by (90° - dec0), then about z by ra0
  const t = Math.PI / 2 - d;
  const x1 = x * Math.cos(t) + z * Math.sin(t),
    z1 = -x * Math.sin(t) + z * Math.cos(t);
  const x2 = x1 * Math.cos(a) - y * Math.sin(a),
    y2 = x1 * Math.sin(a) + y * Math.cos(a);
  let ra = Math.atan2(y2, x2) / DEG;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  const dec = Math.asin(Math.max(-1, Math.min(1, z1))) / DEG;
  return { ra: Math.round(ra * 1e7) / 1e7, dec: Math.round(dec * 1e7) / 1e7 };
}

function pickClass(rng: Rng, rates: Record<SynthClass, number>): number {
  const u = rng.next();
  let acc = 0;
  for (let k = 0; k < CLASS_NAMES.length; k++) {
    acc += rates[CLASS_NAMES[k]];
    if (u < acc) return k;
  }
  return CLASS_NAMES.indexOf('spiral');
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** The scene of object i (deterministic in (options, i)). */
export function planObject(o: ResolvedOptions, i: number): Scene {
  const rng = createRng(o.seed).fork(i);
  const label = pickClass(rng, o.rates);
  const cls = CLASS_NAMES[label];
  const { ra, dec } = skyPosition(rng, o);
  const seeingR = rng.uniform(o.seeing[0], o.seeing[1]);
  const fwhm: Flux = [seeingR * 1.08, seeingR, seeingR * 0.93];
  const c: PlanCtx = { rng, pixscale: o.pixscale, size: o.size };
  const cx = o.size / 2 + rng.uniform(-0.5, 0.5),
    cy = o.size / 2 + rng.uniform(-0.5, 0.5);
  let comps: Component[];
  let info: BodyInfo;
  let extra: Record<string, number | string> = {};
  switch (cls) {
    case 'elliptical':
      ({ components: comps, info } = makeElliptical(c, cx, cy, sampleMag(rng, 16.5, 21, 0.35)));
      break;
    case 'spiral':
      ({ components: comps, info } = makeSpiral(c, cx, cy, sampleMag(rng, 16.5, 21, 0.3)));
      break;
    case 'star':
      ({ components: comps, info } = makeStar(c, cx, cy, sampleMag(rng, 15.5, 21.5, 0.2)));
      break;
    case 'lens':
      ({ components: comps, info, extra } = makeLens(c, cx, cy));
      break;
    case 'ring':
      ({ components: comps, info, extra } = makeRing(c, cx, cy));
      break;
    case 'tidal':
      ({ components: comps, info, extra } = makeTidal(c, cx, cy));
      break;
    case 'merger':
      ({ components: comps, info, extra } = makeMerger(c, cx, cy));
      break;
    default: {
      const sky: Flux = [DEFAULT_CONDITIONS.g.skySigma, DEFAULT_CONDITIONS.r.skySigma, DEFAULT_CONDITIONS.z.skySigma];
      const sig = fwhm.map((f) => (f * FWHM_TO_SIGMA) / o.pixscale) as Flux;
      ({ components: comps, info, extra } = makeArtefact(c, cx, cy, sky, sig));
    }
  }
  // visibility of the defining feature (no rng drawn: the plan stays the same)
  if (cls === 'lens') extra = { ...extra, arc_snr: arcSnr(comps, fwhm, o) };
  if (cls === 'tidal') {
    const t = tidalSurfaceBrightness(comps, o);
    if (t) extra = { ...extra, tidal_sb_r: t.sb, tidal_sigma_px: t.sigmaPx };
  }
  comps = comps.concat(makeField(c, cx, cy));
  const object: NewObject = {
    id: synthId(i),
    ra,
    dec,
    source: 'synthetic',
    truth: cls,
    extra: {
      mag_g: r3(fluxToMag(info.flux[0])),
      mag_r: r3(fluxToMag(info.flux[1])),
      mag_z: r3(fluxToMag(info.flux[2])),
      redshift: info.z > 0 ? photoZ(rng, info.z) : 0,
      z_true: r3(info.z),
      half_light_radius: r3(info.re),
      sersic_n: r3(info.n),
      axis_ratio: r3(info.q),
      pa_deg: r3(info.paDeg),
      ...(info.bulgeFrac !== undefined ? { bulge_frac: r3(info.bulgeFrac) } : {}),
      psf_fwhm_g: r3(fwhm[0]),
      psf_fwhm_r: r3(fwhm[1]),
      psf_fwhm_z: r3(fwhm[2]),
      ...extra,
    },
  };
  return { object, label, fwhm, components: comps };
}
