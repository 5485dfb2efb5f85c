/**
 * Stretch settings as the views hold them, and the app/image display spec
 * they mean (no DOM: the e2e tests render the same spec to compare pixels).
 */
import type { CutoutData } from '@app/contracts';
import { LEGACY_SCALES, type DisplaySpec } from '@app/image';

export type StretchMode = 'lupton' | 'legacy' | 'asinh' | 'sqrt' | 'log' | 'linear';

export interface StretchSettings {
  mode: StretchMode;
  /** band index for single-band modes */
  band: number;
  /** softening (Lupton Q / Legacy Q multiplier) */
  q: number;
  /** brightness multiplier */
  scale: number;
  /** single-band modes: black point at the sky level (the cutout's median) instead of its 1st percentile */
  skyBlack?: boolean;
}

/** the default for every grid: the Legacy Survey viewer's colour mapping (blue rings and arcs stay blue) */
export const FIXED_STRETCH: StretchSettings = Object.freeze({ mode: 'legacy', band: 1, q: 8, scale: 1, skyBlack: true });

/** presets for the vetting enlarged view (and any grid) */
export const STRETCH_PRESETS: Readonly<Record<string, StretchSettings>> = Object.freeze({
  survey: FIXED_STRETCH,
  /** low surface brightness: faint shells and streams lifted, bright cores compressed harder */
  lsb: Object.freeze({ mode: 'legacy', band: 1, q: 30, scale: 2, skyBlack: true }),
  /** one band (r), asinh from the sky level */
  'r-asinh': Object.freeze({ mode: 'asinh', band: 1, q: 16, scale: 1, skyBlack: true }),
});

export const sameStretch = (a: StretchSettings, b: StretchSettings): boolean =>
  a.mode === b.mode && a.band === b.band && a.q === b.q && a.scale === b.scale && Boolean(a.skyBlack) === Boolean(b.skyBlack);

/** Lupton linear range for scale 1, in the cutout's flux units (nanomaggies: a bright galaxy core) */
const LUPTON_STRETCH = 0.2;

/** The display spec of app/image for these settings; fixed (not per-cutout) levels for RGB so grids compare fairly. */
export function displaySpec(c: CutoutData, s: StretchSettings): DisplaySpec {
  if (s.mode === 'lupton')
    return c.bands.length >= 3 ? { mode: 'lupton', Q: s.q, stretch: LUPTON_STRETCH / s.scale } : { mode: 'band', band: c.bands[0], kind: 'asinh' };
  if (s.mode === 'legacy' && ['g', 'r', 'z'].every((b) => c.bands.includes(b))) {
    const scales = Object.fromEntries(Object.entries(LEGACY_SCALES).map(([b, v]) => [b, v * s.scale]));
    return { mode: 'legacy', Q: 20 * (s.q / 8), scales };
  }
  if (s.mode === 'legacy')
    return c.bands.length >= 3 ? { mode: 'lupton', Q: s.q, stretch: LUPTON_STRETCH / s.scale } : { mode: 'band', band: c.bands[0], kind: 'asinh' };
  const band = c.bands[Math.min(s.band, c.bands.length - 1)];
  return {
    mode: 'band',
    band,
    kind: s.mode,
    lowPercentile: s.skyBlack ? 50 : 1,
    highPercentile: 100 - 0.5 / s.scale,
    softening: s.mode === 'asinh' ? 0.8 / s.q : undefined,
  };
}
