/**
 * Per-point RGBA colours (Uint8Array, N x 4) for the linked views, and the
 * legend that explains them. Pure functions of typed arrays.
 */
import { LABEL_NEGATIVE, LABEL_POSITIVE, LABEL_UNSURE } from '@app/contracts';

export type Rgb = [number, number, number];
export interface LegendEntry {
  colour: Rgb;
  text: string;
}
/** where a ramp's ends are and how many values fall beyond them (drawn in the under / over colours) */
export interface RampClip {
  lo: number;
  hi: number;
  how: string;
  under: number;
  over: number;
}
export interface Legend {
  title: string;
  kind: 'classes' | 'ramp';
  entries: LegendEntry[];
  min?: number;
  max?: number;
  clip?: RampClip;
}
export interface Colouring {
  rgba: Uint8Array;
  legend: Legend;
}

/** Tableau 10 */
export const CATEGORICAL: Rgb[] = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];
const UNKNOWN: Rgb = [110, 110, 120];
/** viridis at 9 stops */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

export function ramp(t: number): Rgb {
  if (!Number.isFinite(t)) return UNKNOWN;
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i,
    a = VIRIDIS[i],
    b = VIRIDIS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

function fill(n: number, colourOf: (i: number) => Rgb, alpha = 220): Uint8Array {
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const c = colourOf(i);
    out[i * 4] = c[0];
    out[i * 4 + 1] = c[1];
    out[i * 4 + 2] = c[2];
    out[i * 4 + 3] = alpha;
  }
  return out;
}

export function byClass(codes: Uint8Array, names: string[], title: string): Colouring {
  const rgba = fill(codes.length, (i) => CATEGORICAL[codes[i]] ?? UNKNOWN);
  return { rgba, legend: { title, kind: 'classes', entries: names.map((text, i) => ({ text, colour: CATEGORICAL[i % CATEGORICAL.length] })) } };
}

export const LABEL_COLOURS: Record<number, Rgb> = {
  [LABEL_POSITIVE]: [60, 220, 110],
  [LABEL_NEGATIVE]: [235, 70, 70],
  [LABEL_UNSURE]: [245, 190, 50],
};

export function byLabel(n: number, labels: Uint8Array | null): Colouring {
  const rgba = fill(n, (i) => LABEL_COLOURS[labels?.[i] ?? 0] ?? [90, 96, 120]);
  return {
    rgba,
    legend: {
      title: 'label',
      kind: 'classes',
      entries: [
        { text: 'positive', colour: LABEL_COLOURS[LABEL_POSITIVE] },
        { text: 'negative', colour: LABEL_COLOURS[LABEL_NEGATIVE] },
        { text: 'unsure', colour: LABEL_COLOURS[LABEL_UNSURE] },
        { text: 'unlabelled', colour: [90, 96, 120] },
      ],
    },
  };
}

/** values below / above a clipped ramp's ends: distinct from both ends of viridis (and from grey = missing) */
export const UNDER: Rgb = [40, 110, 255];
export const OVER: Rgb = [255, 120, 30];

/**
 * A numeric column on the viridis ramp, clipped at its 1st and 99th percentiles
 * (or over a fixed range, e.g. scores 0–1). Values beyond the ends are drawn in
 * UNDER / OVER and counted, so the legend can say what was clipped.
 */
export function byValue(values: Float32Array, title: string, range?: [number, number]): Colouring {
  let lo: number, hi: number, how: string;
  if (range) [lo, hi, how] = [range[0], range[1], 'fixed range'];
  else {
    const finite = values.filter((v) => Number.isFinite(v)).sort();
    lo = finite.length ? finite[Math.floor(finite.length * 0.01)] : 0;
    hi = finite.length ? finite[Math.min(finite.length - 1, Math.floor(finite.length * 0.99))] : 1;
    how = 'p1 / p99';
  }
  const span = hi > lo ? hi - lo : 1;
  let under = 0,
    over = 0;
  const rgba = fill(values.length, (i) => {
    const v = values[i];
    if (v < lo) {
      under++;
      return UNDER;
    }
    if (v > hi) {
      over++;
      return OVER;
    }
    return ramp((v - lo) / span);
  });
  return { rgba, legend: { title, kind: 'ramp', entries: [], min: lo, max: hi, clip: { lo, hi, how, under, over } } };
}

export function uniform(n: number): Colouring {
  return { rgba: fill(n, () => CATEGORICAL[0]), legend: { title: '', kind: 'classes', entries: [] } };
}

export function rampCss(): string {
  return `linear-gradient(to right, ${VIRIDIS.map((c) => `rgb(${c.join(',')})`).join(', ')})`;
}
