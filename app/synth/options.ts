/**
 * Options of the synthetic survey, the class vocabulary and its default rates.
 * See app/synth/index.ts for the population these drive.
 */
import { AppError } from '../core/errors';

/** Ground-truth classes, in label-index order (index = position). */
export const CLASS_NAMES = ['elliptical', 'spiral', 'star', 'lens', 'ring', 'tidal', 'merger', 'artefact'] as const;
export type SynthClass = (typeof CLASS_NAMES)[number];

/** Default class rates (fractions of all objects; they sum to 1). */
export const DEFAULT_RATES: Readonly<Record<SynthClass, number>> = Object.freeze({
  elliptical: 0.33,
  spiral: 0.47,
  star: 0.15,
  lens: 0.005,
  ring: 0.005,
  tidal: 0.015,
  merger: 0.015,
  artefact: 0.01,
});

/** Per-band observing conditions (nanomaggies per pixel, mag/arcsec², arcsec). */
export interface BandConditions {
  /** 1-sigma sky noise per pixel, nanomaggies */
  skySigma: number;
  /** sky surface brightness, mag/arcsec² (sets the source Poisson noise through the effective gain) */
  skyMag: number;
  /** seeing FWHM relative to the r band */
  seeingFactor: number;
}

export const DEFAULT_CONDITIONS: Readonly<Record<string, BandConditions>> = Object.freeze({
  g: { skySigma: 0.0042, skyMag: 22.0, seeingFactor: 1.08 },
  r: { skySigma: 0.0073, skyMag: 20.8, seeingFactor: 1.0 },
  z: { skySigma: 0.017, skyMag: 19.8, seeingFactor: 0.93 },
});

export interface SurveyOptions {
  /** number of objects */
  count: number;
  seed: number;
  /** stamp side in pixels (default 64) */
  size?: number;
  /** arcsec per pixel (default 0.262, Legacy Survey) */
  pixscale?: number;
  /** subset of 'g','r','z' in output order (default ['g','r','z']) */
  bands?: string[];
  /** patch centre, degrees (default ra 150, dec 2.2) */
  center?: { ra: number; dec: number };
  /** patch radius, degrees (default 2) */
  radiusDeg?: number;
  /** class rates; missing classes keep their default, then all are renormalised to sum 1 */
  rates?: Partial<Record<SynthClass, number>>;
  /** r-band seeing FWHM range in arcsec (default [1.0, 1.5]) */
  seeing?: [number, number];
  /** add sky + source noise (default true); false gives the noise-free model */
  noise?: boolean;
}

export interface ResolvedOptions {
  count: number;
  seed: number;
  size: number;
  pixscale: number;
  bands: string[];
  center: { ra: number; dec: number };
  radiusDeg: number;
  rates: Record<SynthClass, number>;
  seeing: [number, number];
  noise: boolean;
  conditions: BandConditions[];
}

function bad(msg: string, detail?: unknown): never {
  throw new AppError('BAD_INPUT', `synthetic survey: ${msg}`, detail);
}

/** Class rates after defaults and renormalisation. */
export function classRates(rates?: Partial<Record<SynthClass, number>>): Record<SynthClass, number> {
  const out = { ...DEFAULT_RATES } as Record<SynthClass, number>;
  for (const [k, v] of Object.entries(rates ?? {})) {
    if (!(CLASS_NAMES as readonly string[]).includes(k)) bad(`unknown class '${k}' in rates (known: ${CLASS_NAMES.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`rate of '${k}' must be a number >= 0, got ${String(v)}`);
    out[k as SynthClass] = v;
  }
  const sum = CLASS_NAMES.reduce((s, c) => s + out[c], 0);
  if (!(sum > 0)) bad('class rates sum to 0');
  for (const c of CLASS_NAMES) out[c] /= sum;
  return out;
}

/** Expected number of objects of each class for `count` objects. */
export function expectedClassCounts(count: number, rates?: Partial<Record<SynthClass, number>>): Record<SynthClass, number> {
  const r = classRates(rates);
  const out = {} as Record<SynthClass, number>;
  for (const c of CLASS_NAMES) out[c] = count * r[c];
  return out;
}

export function resolveOptions(o: SurveyOptions): ResolvedOptions {
  if (!Number.isInteger(o.count) || o.count < 0) bad(`count must be an integer >= 0, got ${o.count}`);
  if (!Number.isFinite(o.seed)) bad(`seed must be a number, got ${o.seed}`);
  const size = o.size ?? 64;
  if (!Number.isInteger(size) || size < 16 || size > 1024) bad(`size must be an integer in [16, 1024], got ${size}`);
  const pixscale = o.pixscale ?? 0.262;
  if (!(pixscale > 0.01 && pixscale < 10)) bad(`pixscale must be in (0.01, 10) arcsec, got ${pixscale}`);
  const bands = o.bands ?? ['g', 'r', 'z'];
  if (bands.length === 0) bad('bands must not be empty');
  for (const b of bands) if (!DEFAULT_CONDITIONS[b]) bad(`unknown band '${b}' (known: g, r, z)`);
  if (new Set(bands).size !== bands.length) bad(`duplicate band in [${bands.join(', ')}]`);
  const center = o.center ?? { ra: 150, dec: 2.2 };
  if (!(center.ra >= 0 && center.ra < 360 && center.dec >= -90 && center.dec <= 90))
    bad(`center must have 0 <= ra < 360 and |dec| <= 90, got ${center.ra}, ${center.dec}`);
  const radiusDeg = o.radiusDeg ?? 2;
  if (!(radiusDeg > 0 && radiusDeg <= 90)) bad(`radiusDeg must be in (0, 90], got ${radiusDeg}`);
  const seeing = o.seeing ?? [1.0, 1.5];
  if (!(seeing[0] > 0 && seeing[1] >= seeing[0])) bad(`seeing range must be 0 < lo <= hi, got [${seeing.join(', ')}]`);
  return {
    count: o.count,
    seed: Math.floor(o.seed) >>> 0,
    size,
    pixscale,
    bands: [...bands],
    center,
    radiusDeg,
    rates: classRates(o.rates),
    seeing,
    noise: o.noise ?? true,
    conditions: bands.map((b) => DEFAULT_CONDITIONS[b]),
  };
}
