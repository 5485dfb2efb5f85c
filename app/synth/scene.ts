/**
 * A planned synthetic stamp: the catalogue row plus a list of light
 * components in pixel units. Planning (cheap) and rendering (pixels) are
 * separate so metadata can be produced without pixels and tests can render
 * any subset of components (e.g. a lens without its arcs).
 * Fluxes are always [g, r, z] in nanomaggies; positions and sizes in pixels,
 * pixel i covering [i - 0.5, i + 0.5], y = 0 the bottom row.
 */
import type { NewObject } from '../domain/object';
import type { SersicShape } from './sersic';

export type Flux = [number, number, number];

/** what a component is within its stamp */
export type Role =
  'main' | 'bulge' | 'disk' | 'arms' | 'companion' | 'deflector' | 'arc' | 'ring' | 'tidal' | 'neighbour' | 'background' | 'trail' | 'saturated';

export type Component =
  /** Sérsic profile, blurred by the PSF */
  | { kind: 'sersic'; role: Role; shape: SersicShape; flux: Flux }
  /** logarithmic spiral arms modulating an exponential disk of the given shape */
  | { kind: 'arms'; role: Role; shape: SersicShape; m: number; pitch: number; phase: number; flux: Flux }
  /** clumpy ring: Gaussian radial profile at `radius` in the inclined plane */
  | {
      kind: 'ring';
      role: Role;
      x: number;
      y: number;
      radius: number;
      width: number;
      q: number;
      pa: number;
      knots: number;
      knotAmp: number;
      phase: number;
      flux: Flux;
    }
  /**
   * Sérsic source behind a singular isothermal ellipsoid at (x, y): einstein
   * radius thetaE, axis ratio q, position angle pa. `source` is in the source
   * plane relative to the lens centre. `flux` is the unlensed source flux.
   */
  | { kind: 'lensed'; role: Role; x: number; y: number; thetaE: number; q: number; pa: number; source: SersicShape; flux: Flux }
  /**
   * Arc of a circle (centre cx, cy; radius) from angle theta0 spanning dtheta,
   * cross-section width `width`; 'stream' = Gaussian cross-section, 'shell' =
   * sharp outer edge with a soft inner ramp. Tapered along its length.
   */
  | { kind: 'arc'; role: Role; profile: 'stream' | 'shell'; cx: number; cy: number; radius: number; theta0: number; dtheta: number; width: number; flux: Flux }
  /** point source, drawn directly with the PSF */
  | { kind: 'point'; role: Role; x: number; y: number; flux: Flux }
  /** satellite trail through (x, y) at `angle`; flux per pixel of length, drawn with the PSF width */
  | { kind: 'trail'; role: Role; x: number; y: number; angle: number; flux: Flux }
  /**
   * saturation of the brightest pixels around (x, y) after noise: values above
   * `level` are clipped to it and the excess bleeds along the column; diffraction
   * spikes of total `spikeFlux` along the axes.
   */
  | { kind: 'saturation'; role: Role; x: number; y: number; level: Flux; spikeFlux: Flux };

export interface Scene {
  object: NewObject;
  /** class index into CLASS_NAMES */
  label: number;
  /** PSF FWHM per band [g, r, z], arcsec */
  fwhm: Flux;
  components: Component[];
}
