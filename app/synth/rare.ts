/**
 * The rare classes, each with its ground-truth parameters:
 *  - lens: red elliptical deflector (r 18–20.5) with a singular isothermal
 *    ellipsoid of Einstein radius 1.0–2.6" lensing a compact blue Sérsic source
 *    (unlensed r 21.5–24, z_s = z_l + 0.4–1.8) placed within 0.6 θE of the axis,
 *    giving arcs, pairs, crosses and near-complete rings;
 *  - ring: bulge + clumpy blue ring (radius 1.8–5", width 10–25% of radius,
 *    30–65% of the light), inclined q 0.45–1;
 *  - tidal: bright host (r 16.5–19, 70% elliptical) with low-surface-brightness
 *    shells (40%), a stream (40%) or a plume (20%) holding 5–20% of the host flux;
 *  - merger: two galaxies 1.2–4.5" apart, flux ratio 1–4, same redshift, with two
 *    curved tidal tails (6–18% of the light), bluer than usual (star formation);
 *  - artefact: 'trail' (60%, a satellite trail through an ordinary object, in one
 *    band 70% of the time, peak S/N 2–25) or 'saturated' (40%, an r 11.5–14.5 star with clipped
 *    core, column bleed and diffraction spikes).
 */
import { clamp, fluxFromColours, fluxToMag, magToFlux, sampleMag, sampleRedshift, scaleFlux, addFlux } from './population';
import { makeElliptical, makeSpiral, makeStar, type Body, type PlanCtx } from './galaxies';
import type { Component, Flux } from './scene';
import { renderLensedUnit } from './shapes';

export interface RareBody extends Body {
  extra: Record<string, number | string>;
}

const DEG = 180 / Math.PI;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

export function makeLens(c: PlanCtx, x: number, y: number): RareBody {
  const { rng } = c;
  const magR = sampleMag(rng, 18, 20.5, 0.3);
  const defl = makeElliptical(c, x, y, magR, 'deflector');
  const thetaE = rng.uniform(1.0, 2.6);
  const lq = clamp(defl.info.q, 0.55, 1);
  const zs = defl.info.z + rng.uniform(0.4, 1.8);
  const srcMag = sampleMag(rng, 21.5, 24, 0.3);
  const beta = (thetaE / c.pixscale) * 0.6 * Math.sqrt(rng.next());
  const ang = rng.uniform(0, 2 * Math.PI);
  const source = {
    x: beta * Math.cos(ang),
    y: beta * Math.sin(ang),
    n: 1,
    re: rng.uniform(0.08, 0.3) / c.pixscale,
    q: rng.uniform(0.5, 1),
    pa: rng.uniform(0, Math.PI),
  };
  const flux = fluxFromColours(srcMag, rng.uniform(0.0, 0.45), rng.uniform(-0.1, 0.4));
  const lensed: Component = { kind: 'lensed', role: 'arc', x, y, thetaE: thetaE / c.pixscale, q: lq, pa: defl.info.paDeg / DEG, source, flux };
  const mu = renderLensedUnit(lensed as Extract<Component, { kind: 'lensed' }>, c.size).magnification;
  return {
    components: [...defl.components, lensed],
    info: defl.info,
    extra: {
      einstein_radius: r3(thetaE),
      lens_q: r3(lq),
      source_mag_r: r3(srcMag),
      source_z: r3(zs),
      source_offset: r3((beta * c.pixscale) / thetaE),
      magnification: r3(mu),
    },
  };
}

export function makeRing(c: PlanCtx, x: number, y: number): RareBody {
  const { rng } = c;
  const magR = sampleMag(rng, 17, 20.5, 0.3);
  const z = sampleRedshift(rng, magR, 'late');
  const frac = rng.uniform(0.3, 0.65);
  const total = magToFlux(magR);
  const core = makeElliptical(c, x, y, fluxToMag(total * (1 - frac)), 'bulge', z);
  const bulge = core.components[0];
  if (bulge.kind === 'sersic') bulge.shape.n = clamp(bulge.shape.n - 1, 1.5, 4);
  const radius = rng.uniform(1.8, 5);
  const width = radius * rng.uniform(0.1, 0.25);
  const q = rng.uniform(0.45, 1);
  const pa = rng.uniform(0, Math.PI);
  const ringFlux = fluxFromColours(fluxToMag(total * frac), 0.35 + 0.8 * z + rng.gauss(0, 0.08), 0.25 + 0.5 * z + rng.gauss(0, 0.08));
  const ring: Component = {
    kind: 'ring',
    role: 'ring',
    x,
    y,
    radius: radius / c.pixscale,
    width: width / c.pixscale,
    q,
    pa,
    knots: 5 + rng.int(8),
    knotAmp: rng.uniform(0.2, 0.8),
    phase: rng.uniform(0, 2 * Math.PI),
    flux: ringFlux,
  };
  return {
    components: [...core.components, ring],
    info: { ...core.info, flux: addFlux(core.info.flux, ringFlux), re: Math.max(core.info.re, radius), q, paDeg: pa * DEG },
    extra: { ring_radius: r3(radius), ring_width: r3(width), ring_frac: r3(frac) },
  };
}

export function makeTidal(c: PlanCtx, x: number, y: number): RareBody {
  const { rng } = c;
  const magR = sampleMag(rng, 16.5, 19, 0.3);
  const host = rng.next() < 0.7 ? makeElliptical(c, x, y, magR) : makeSpiral(c, x, y, magR);
  const frac = rng.uniform(0.05, 0.2);
  const u = rng.next();
  const kind = u < 0.4 ? 'shells' : u < 0.8 ? 'stream' : 'plume';
  const repx = Math.max(host.info.re / c.pixscale, 3);
  const maxR = c.size * 0.45;
  const tflux = fluxFromColours(
    fluxToMag(host.info.flux[1] * frac),
    2.5 * Math.log10(host.info.flux[1] / host.info.flux[0]) - 0.05,
    2.5 * Math.log10(host.info.flux[2] / host.info.flux[1]),
  );
  const comps: Component[] = [];
  const phi = rng.uniform(0, 2 * Math.PI);
  if (kind === 'shells') {
    const n = 2 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const radius = Math.min(maxR, repx * (2 + k * rng.uniform(1, 1.6)));
      const span = rng.uniform(60, 140) / DEG;
      comps.push({
        kind: 'arc',
        role: 'tidal',
        profile: 'shell',
        cx: x,
        cy: y,
        radius,
        theta0: phi + k * Math.PI - span / 2,
        dtheta: span,
        width: radius * 0.25,
        flux: scaleFlux(tflux, 1 / n),
      });
    }
  } else if (kind === 'stream') {
    const radius = Math.min(maxR, repx * rng.uniform(2.5, 6));
    const span = rng.uniform(90, 240) / DEG;
    comps.push({
      kind: 'arc',
      role: 'tidal',
      profile: 'stream',
      cx: x + rng.gauss(0, 2),
      cy: y + rng.gauss(0, 2),
      radius,
      theta0: phi,
      dtheta: span,
      width: rng.uniform(0.6, 1.5) / c.pixscale,
      flux: tflux,
    });
  } else {
    const radius = Math.min(maxR, repx * rng.uniform(1.5, 3));
    const span = rng.uniform(40, 80) / DEG;
    comps.push({ kind: 'arc', role: 'tidal', profile: 'stream', cx: x, cy: y, radius, theta0: phi, dtheta: span, width: radius * 0.4, flux: tflux });
  }
  return { components: [...host.components, ...comps], info: host.info, extra: { tidal_kind: kind, tidal_frac: r3(frac) } };
}

export function makeMerger(c: PlanCtx, x: number, y: number): RareBody {
  const { rng } = c;
  const magR = sampleMag(rng, 17, 20, 0.3);
  const ratio = rng.uniform(1, 4);
  const total = magToFlux(magR);
  const f1 = total / (1 + 1 / ratio),
    f2 = total - f1;
  const tailFrac = rng.uniform(0.06, 0.18);
  const sep = rng.uniform(1.2, 4.5) / c.pixscale;
  const ang = rng.uniform(0, 2 * Math.PI);
  const dx = (sep / 2) * Math.cos(ang),
    dy = (sep / 2) * Math.sin(ang);
  const z = sampleRedshift(rng, magR, 'late');
  const dry = rng.next() < 0.3;
  const mk = (px: number, py: number, f: number) =>
    dry ? makeElliptical(c, px, py, fluxToMag(f * (1 - tailFrac)), 'main', z) : makeSpiral(c, px, py, fluxToMag(f * (1 - tailFrac)), 'main', z);
  const g1 = mk(x + dx * 2 * (f2 / total), y + dy * 2 * (f2 / total), f1);
  const g2 = mk(x - dx * 2 * (f1 / total), y - dy * 2 * (f1 / total), f2);
  for (const k of g2.components) k.role = 'companion';
  const blue = dry ? 0 : 0.1;
  const col = g1.info.flux;
  const tail = fluxFromColours(fluxToMag((total * tailFrac) / 2), 2.5 * Math.log10(col[1] / col[0]) - blue, 2.5 * Math.log10(col[2] / col[1]) - blue);
  const comps: Component[] = [...g1.components, ...g2.components];
  const rad = Math.max((sep / 2) * rng.uniform(1.2, 2.2), rng.uniform(6, 12));
  const span = rng.uniform(60, 150) / DEG;
  const sense = rng.next() < 0.5 ? 1 : -1;
  for (const a0 of [ang, ang + Math.PI]) {
    comps.push({
      kind: 'arc',
      role: 'tidal',
      profile: 'stream',
      cx: x,
      cy: y,
      radius: rad,
      theta0: sense > 0 ? a0 : a0 - span,
      dtheta: span,
      width: rng.uniform(0.5, 1.2) / c.pixscale,
      flux: tail,
    });
  }
  return {
    components: comps,
    info: { ...g1.info, flux: addFlux(addFlux(g1.info.flux, g2.info.flux), scaleFlux(tail, 2)) },
    extra: { merger_sep: r3(sep * c.pixscale), flux_ratio: r3(ratio), merger_kind: dry ? 'dry' : 'wet' },
  };
}

export function makeArtefact(c: PlanCtx, x: number, y: number, sigmaSky: Flux, psfSigmaPx: Flux): RareBody {
  const { rng } = c;
  if (rng.next() < 0.6) {
    const u = rng.next();
    const host =
      u < 0.4
        ? makeElliptical(c, x, y, sampleMag(rng, 17, 21, 0.3))
        : u < 0.85
          ? makeSpiral(c, x, y, sampleMag(rng, 17, 21, 0.3))
          : makeStar(c, x, y, sampleMag(rng, 16, 21, 0.2));
    const bandChoice = rng.next() < 0.7 ? rng.int(3) : -1;
    const snr = rng.uniform(2, 25);
    const flux: Flux = [0, 0, 0];
    for (let b = 0; b < 3; b++) if (bandChoice < 0 || bandChoice === b) flux[b] = snr * sigmaSky[b] * Math.sqrt(2 * Math.PI) * psfSigmaPx[b];
    const tx = x + rng.uniform(-20, 20),
      ty = y + rng.uniform(-20, 20);
    const trail: Component = { kind: 'trail', role: 'trail', x: tx, y: ty, angle: rng.uniform(0, Math.PI), flux };
    return {
      components: [...host.components, trail],
      info: host.info,
      extra: {
        artefact_kind: 'trail',
        trail_band: bandChoice < 0 ? 'all' : 'grz'[bandChoice],
        trail_snr: r3(snr),
        host_class: u < 0.4 ? 'elliptical' : u < 0.85 ? 'spiral' : 'star',
      },
    };
  }
  const magR = rng.uniform(11.5, 14.5);
  const star = makeStar(c, x, y, magR);
  const level: Flux = [25, 30, 45];
  const sat: Component = { kind: 'saturation', role: 'saturated', x, y, level, spikeFlux: scaleFlux(star.info.flux, rng.uniform(0.01, 0.03)) };
  return { components: [...star.components, sat], info: star.info, extra: { artefact_kind: 'saturated', star_mag_r: r3(magR) } };
}
