/**
 * Display of cutouts for the inspector and the vetting grid: one entry point
 * from a Cutout and a DisplaySpec to canvas RGBA (north up).
 */
import { AppError } from '../core/errors';
import { cutoutPlane, type Cutout } from '../domain/cutout';
import { legacyRGBA, luptonRGBA, type LegacyOptions, type LuptonOptions } from './rgb';
import { monoRGBA, type StretchOptions } from './stretch';

export { percentiles, percentileOfSorted, sortedFinite } from './percentile';
export { applyStretch, monoRGBA, stretchFunction, stretchLevels, STRETCH_KINDS, type Levels, type StretchKind, type StretchOptions } from './stretch';
export { legacyRGBA, luptonRGBA, LEGACY_SCALES, type LegacyOptions, type LuptonOptions } from './rgb';

export type DisplaySpec =
  | ({ mode: 'band'; band: string } & StretchOptions)
  /** `rgb` names the bands for R, G, B (default: the three reddest known bands, reddest → R) */
  | ({ mode: 'lupton'; rgb?: [string, string, string] } & LuptonOptions)
  | ({ mode: 'legacy' } & LegacyOptions);

const WAVELENGTH_ORDER = ['u', 'g', 'r', 'i', 'z', 'y', 'Y', 'J', 'H', 'K'];

/** R, G, B band names for a colour composite: the three reddest, by known wavelength order. */
export function defaultRGBBands(bands: string[]): [string, string, string] {
  if (bands.length < 3) throw new AppError('BAD_INPUT', `a colour composite needs 3 bands, cutout has [${bands.join(', ')}]`);
  const rank = (b: string) => {
    const k = WAVELENGTH_ORDER.indexOf(b);
    return k < 0 ? bands.indexOf(b) : k;
  };
  const sorted = [...bands].sort((a, b) => rank(b) - rank(a));
  return [sorted[0], sorted[1], sorted[2]];
}

function plane(c: Cutout, band: string): Float32Array {
  const k = c.bands.indexOf(band);
  if (k < 0) throw new AppError('BAD_INPUT', `cutout has no band '${band}' (has ${c.bands.join(', ')})`);
  return cutoutPlane(c, k);
}

/** Canvas RGBA (width × height × 4, north up) of a cutout. */
export function renderCutout(c: Cutout, spec: DisplaySpec): Uint8ClampedArray {
  switch (spec.mode) {
    case 'band':
      return monoRGBA(plane(c, spec.band), c.width, c.height, spec);
    case 'lupton': {
      const rgb = spec.rgb ?? defaultRGBBands(c.bands);
      return luptonRGBA(
        rgb.map((b) => plane(c, b)),
        c.width,
        c.height,
        spec,
      );
    }
    case 'legacy':
      return legacyRGBA(
        c.bands.map((_, k) => cutoutPlane(c, k)),
        c.bands,
        c.width,
        c.height,
        spec,
      );
    default:
      throw new AppError('BAD_INPUT', `unknown display mode '${String((spec as { mode: unknown }).mode)}'`);
  }
}
