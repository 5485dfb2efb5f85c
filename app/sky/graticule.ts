/**
 * An adaptive RA/Dec graticule: the grid step chosen from the field of view
 * (30° at the widest down to 1′), the lines around a view centre at that
 * step, and their labels (RA in hours, Dec in degrees, with as many fields as
 * the step needs). Pure: the sky map (renderer/src/gfx) draws what it returns.
 */

/** grid steps in degrees, widest first: 30°, 15°, 10°, 5°, 2°, 1°, 30′, 20′, 10′, 5′, 2′, 1′ */
export const GRID_STEPS = [30, 15, 10, 5, 2, 1, 0.5, 1 / 3, 1 / 6, 1 / 12, 1 / 30, 1 / 60];

/** the finest step that still leaves at most `maxLines` lines across a field of `fovDeg` (never finer than 1′) */
export function gridStep(fovDeg: number, maxLines = 8): number {
  const want = Math.max(0, fovDeg) / maxLines;
  for (let i = GRID_STEPS.length - 1; i >= 0; i--) if (GRID_STEPS[i] >= want) return GRID_STEPS[i];
  return GRID_STEPS[0];
}

/** a step as text: '30°', '30′', '1′' */
export function formatStep(step: number): string {
  return step >= 1 ? `${+step.toFixed(6)}°` : `${Math.round(step * 60)}′`;
}

const pad = (v: number) => String(v).padStart(2, '0');

/** an RA grid line's label in hours: '10h', '10h20m', '10h20m40s' (as fine as the step) */
export function formatRaLabel(raDeg: number, step: number): string {
  const totalS = Math.round(((((raDeg % 360) + 360) % 360) / 15) * 3600) % 86400;
  const h = Math.floor(totalS / 3600),
    m = Math.floor((totalS % 3600) / 60),
    s = totalS % 60;
  if (step >= 15 || (m === 0 && s === 0 && step >= 1)) return `${h}h`;
  if (step >= 0.25 && s === 0) return `${h}h${pad(m)}m`;
  return `${h}h${pad(m)}m${pad(s)}s`;
}

/** a Dec grid line's label: '+30°', '-2°30′' */
export function formatDecLabel(decDeg: number, step: number): string {
  const sign = decDeg < 0 ? '-' : '+';
  const totalM = Math.round(Math.abs(decDeg) * 60);
  const d = Math.floor(totalM / 60),
    m = totalM % 60;
  return step >= 1 || m === 0 ? `${sign}${d}°` : `${sign}${d}°${pad(m)}′`;
}

export interface GridLines {
  step: number;
  /** RA values of the meridians drawn, and Dec values of the parallels */
  ras: number[];
  decs: number[];
  /** polylines of [ra, dec] points */
  lines: [number, number][][];
}

const snap = (v: number, step: number) => Math.round(v / step) * step;

/**
 * Grid lines at `step` covering a field of `fovDeg` around (ra0, dec0): the
 * whole sky when the field is wide, else a window of about twice the field
 * (the RA window widened by 1/cos(dec), all of RA near a pole).
 */
export function gridLines(ra0: number, dec0: number, fovDeg: number, step: number, samples = 64): GridLines {
  const whole = fovDeg >= 90;
  const half = whole ? 90 : Math.min(90, fovDeg);
  const decLo = whole ? -90 : Math.max(-90, snap(dec0 - half, step) - step);
  const decHi = whole ? 90 : Math.min(90, snap(dec0 + half, step) + step);
  const cosMin = Math.cos((Math.min(89.9, Math.max(Math.abs(decLo), Math.abs(decHi))) * Math.PI) / 180);
  const raHalf = whole || half / cosMin >= 180 ? 180 : half / cosMin;
  const ras: number[] = [],
    decs: number[] = [];
  if (raHalf >= 180) for (let k = 0; k * step < 360 - 1e-9; k++) ras.push(k * step);
  else for (let r = snap(ra0 - raHalf, step) - step; r <= ra0 + raHalf + step; r += step) ras.push(((r % 360) + 360) % 360);
  for (let d = Math.ceil((decLo + 1e-9) / step) * step; d <= decHi - 1e-9; d += step) if (Math.abs(d) < 90 - 1e-9) decs.push(+d.toFixed(9));
  const lines: [number, number][][] = [];
  for (const r of ras) {
    const l: [number, number][] = [];
    for (let k = 0; k <= samples; k++) l.push([r, decLo + ((decHi - decLo) * k) / samples]);
    lines.push(l);
  }
  const raFrom = raHalf >= 180 ? 0 : ra0 - raHalf - step,
    raSpan = raHalf >= 180 ? 360 : 2 * (raHalf + step);
  for (const d of decs) {
    const l: [number, number][] = [];
    for (let k = 0; k <= samples * 2; k++) l.push([(((raFrom + (raSpan * k) / (samples * 2)) % 360) + 360) % 360, d]);
    lines.push(l);
  }
  return { step, ras, decs, lines };
}
