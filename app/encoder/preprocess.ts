/**
 * The preprocessing vocabulary of app/encoder/manifest.ts, applied to a Cutout
 * to fill one [C, H, W] slot of a preallocated float32 batch tensor.
 *
 * Conventions (chosen to match PyTorch / numpy, which train the models):
 * - planes stay in the cutout's array order (row 0 = first pixel = FITS bottom row);
 *   no flip is applied, so training code must feed arrays in the same order;
 * - center_crop: offset floor((in - out) / 2) per axis; a smaller input is placed at
 *   floor((out - in) / 2) and zero-padded (torchvision's convention);
 * - resize matches torch.nn.functional.interpolate: 'bilinear' with
 *   align_corners=False and no antialias, 'area' = adaptive average pooling,
 *   'nearest' = floor(dst * in / out) (torch's legacy 'nearest');
 * - sky_asinh: median and MAD over the finite pixels of each plane (numpy median:
 *   mean of the two middle values for an even count), float64 maths;
 * - legacysurvey_rgb: a pixel with I = 0 gives 0 in every plane.
 */
import { AppError } from '../core/errors';
import type { Cutout } from '../domain/cutout';
import type { PreprocessStep } from './manifest';
import { resizePlane } from './resize';
import { madSigma } from './robust';

/** Band names and size of the image between steps (null = not known before a cutout is seen). */
export interface PlaneShape {
  bands: string[];
  height: number | null;
  width: number | null;
}

/** The image as it flows through the steps: band-major planes. */
interface Planes {
  bands: string[];
  height: number;
  width: number;
  data: Float32Array;
}

const bad = (msg: string): never => {
  throw new AppError('BAD_INPUT', msg);
};

function perBand(arr: number[], shape: PlaneShape, step: string, field: string): void {
  if (arr.length !== shape.bands.length) {
    bad(`${step}.${field} has ${arr.length} values but the image has ${shape.bands.length} planes (${shape.bands.join(',')})`);
  }
}

/**
 * The shape after each step, checked for consistency (band names present,
 * per-band parameter counts). Throws AppError BAD_INPUT naming the step.
 */
export function preprocessShape(steps: PreprocessStep[], input: PlaneShape): PlaneShape {
  let s: PlaneShape = { ...input, bands: [...input.bands] };
  steps.forEach((step, i) => {
    const where = `preprocess[${i}] ${step.op}`;
    switch (step.op) {
      case 'select_bands': {
        const missing = step.bands.filter((b) => !s.bands.includes(b));
        if (missing.length) bad(`${where}: band ${missing.map((b) => `'${b}'`).join(', ')} not in the image (has ${s.bands.join(',') || 'none'})`);
        s = { ...s, bands: [...step.bands] };
        break;
      }
      case 'center_crop':
      case 'resize':
        s = { ...s, height: step.size[0], width: step.size[1] };
        break;
      case 'scale':
        perBand(step.factors, s, where, 'factors');
        break;
      case 'sky_asinh':
        perBand(step.minSigma, s, where, 'minSigma');
        break;
      case 'asinh':
        perBand(step.softening, s, where, 'softening');
        break;
      case 'normalize':
        perBand(step.mean, s, where, 'mean');
        perBand(step.std, s, where, 'std');
        break;
      case 'legacysurvey_rgb': {
        const noScale = s.bands.filter((b) => !(b in step.scales));
        if (noScale.length) bad(`${where}: no scale for band ${noScale.join(',')}`);
        const unknown = step.outputOrder.filter((b) => !s.bands.includes(b));
        if (unknown.length) bad(`${where}: outputOrder names band ${unknown.join(',')} not in the image (${s.bands.join(',')})`);
        s = { ...s, bands: [...step.outputOrder] };
        break;
      }
      case 'nan_to_num':
      case 'clip':
        break;
    }
  });
  return s;
}

/**
 * Applies a manifest's steps to cutouts. Keeps scratch buffers between calls,
 * so one instance per thread; run() writes C*H*W floats at out[offset...].
 */
export class Preprocessor {
  readonly steps: PreprocessStep[];
  /** [C, H, W] the steps produce */
  readonly outShape: [number, number, number];
  private scratch = new Float64Array(0);

  /**
   * `input` describes the cutouts to expect: their bands and, when known, their
   * size (then the output size is checked now; otherwise per cutout in run()).
   */
  constructor(steps: PreprocessStep[], input: { bands: string[]; height?: number; width?: number }, target: [number, number, number]) {
    this.steps = steps;
    const s = preprocessShape(steps, { bands: input.bands, height: input.height ?? null, width: input.width ?? null });
    const got = `[${s.bands.length},${s.height ?? '?'},${s.width ?? '?'}]`;
    if (s.bands.length !== target[0] || (s.height !== null && s.height !== target[1]) || (s.width !== null && s.width !== target[2])) {
      bad(`preprocess produces ${got} but the model input is [${target.join(',')}]`);
    }
    this.outShape = target;
  }

  get size(): number {
    return this.outShape[0] * this.outShape[1] * this.outShape[2];
  }

  /** Preprocess one cutout into out[offset, offset + size). Throws BAD_INPUT on a cutout that cannot be made to fit. */
  run(cutout: Cutout, out: Float32Array, offset = 0): void {
    if (cutout.data.length !== cutout.bands.length * cutout.width * cutout.height) {
      bad(`cutout data has ${cutout.data.length} values, expected ${cutout.bands.length}x${cutout.height}x${cutout.width}`);
    }
    let p: Planes = { bands: cutout.bands, height: cutout.height, width: cutout.width, data: cutout.data };
    let owned = false; // p.data may be modified in place only once it is our own copy
    for (const step of this.steps) {
      const r = this.apply(step, p, owned);
      p = r;
      owned = true;
    }
    if (p.data.length !== this.size)
      bad(
        `preprocessed ${cutout.width}x${cutout.height} cutout gives [${p.bands.length},${p.height},${p.width}], the model input is [${this.outShape.join(',')}]`,
      );
    out.set(p.data, offset);
  }

  private apply(step: PreprocessStep, p: Planes, owned: boolean): Planes {
    const n = p.height * p.width;
    const mutable = (): Planes => (owned ? p : { ...p, data: p.data.slice() });
    switch (step.op) {
      case 'select_bands':
        return selectBands(p, step.bands);
      case 'center_crop':
        return centerCrop(p, step.size[0], step.size[1]);
      case 'resize': {
        const [h, w] = step.size;
        const data = new Float32Array(p.bands.length * h * w);
        for (let b = 0; b < p.bands.length; b++) {
          resizePlane(p.data.subarray(b * n, (b + 1) * n), p.height, p.width, data.subarray(b * h * w, (b + 1) * h * w), h, w, step.method);
        }
        return { bands: p.bands, height: h, width: w, data };
      }
      case 'nan_to_num': {
        const q = mutable();
        const d = q.data;
        for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) d[i] = step.value;
        return q;
      }
      case 'scale': {
        perBand(step.factors, p, 'scale', 'factors');
        const q = mutable();
        for (let b = 0; b < q.bands.length; b++) {
          const f = step.factors[b];
          const d = q.data.subarray(b * n, (b + 1) * n);
          for (let i = 0; i < n; i++) d[i] *= f;
        }
        return q;
      }
      case 'sky_asinh': {
        perBand(step.minSigma, p, 'sky_asinh', 'minSigma');
        const q = mutable();
        if (this.scratch.length < n) this.scratch = new Float64Array(n);
        for (let b = 0; b < q.bands.length; b++) {
          const d = q.data.subarray(b * n, (b + 1) * n);
          const sigma = Math.max(madSigma(d, this.scratch), step.minSigma[b]);
          const inv = 1 / (step.k * sigma);
          for (let i = 0; i < n; i++) d[i] = Math.asinh(d[i] * inv);
        }
        return q;
      }
      case 'asinh': {
        perBand(step.softening, p, 'asinh', 'softening');
        const q = mutable();
        for (let b = 0; b < q.bands.length; b++) {
          const s = step.softening[b];
          const d = q.data.subarray(b * n, (b + 1) * n);
          for (let i = 0; i < n; i++) d[i] = Math.asinh(d[i] / s) * step.multiplier;
        }
        return q;
      }
      case 'legacysurvey_rgb':
        return legacySurveyRgb(p, step.scales, step.offset, step.Q, step.outputOrder);
      case 'normalize': {
        perBand(step.mean, p, 'normalize', 'mean');
        perBand(step.std, p, 'normalize', 'std');
        const q = mutable();
        for (let b = 0; b < q.bands.length; b++) {
          const m = step.mean[b];
          const s = step.std[b];
          const d = q.data.subarray(b * n, (b + 1) * n);
          for (let i = 0; i < n; i++) d[i] = (d[i] - m) / s;
        }
        return q;
      }
      case 'clip': {
        const q = mutable();
        const d = q.data;
        for (let i = 0; i < d.length; i++) {
          if (d[i] < step.min) d[i] = step.min;
          else if (d[i] > step.max) d[i] = step.max;
        }
        return q;
      }
    }
  }
}

function selectBands(p: Planes, bands: string[]): Planes {
  const n = p.height * p.width;
  const data = new Float32Array(bands.length * n);
  bands.forEach((name, j) => {
    const b = p.bands.indexOf(name);
    if (b < 0) bad(`cutout has no '${name}' band (has ${p.bands.join(',') || 'none'})`);
    data.set(p.data.subarray(b * n, (b + 1) * n), j * n);
  });
  return { bands: [...bands], height: p.height, width: p.width, data };
}

function centerCrop(p: Planes, h: number, w: number): Planes {
  const data = new Float32Array(p.bands.length * h * w);
  const sy = Math.max(0, Math.floor((p.height - h) / 2));
  const sx = Math.max(0, Math.floor((p.width - w) / 2));
  const dy = Math.max(0, Math.floor((h - p.height) / 2));
  const dx = Math.max(0, Math.floor((w - p.width) / 2));
  const rows = Math.min(h, p.height);
  const cols = Math.min(w, p.width);
  for (let b = 0; b < p.bands.length; b++) {
    const src = b * p.height * p.width;
    const dst = b * h * w;
    for (let y = 0; y < rows; y++) {
      const so = src + (sy + y) * p.width + sx;
      data.set(p.data.subarray(so, so + cols), dst + (dy + y) * w + dx);
    }
  }
  return { bands: p.bands, height: h, width: w, data };
}

function legacySurveyRgb(p: Planes, scales: Record<string, number>, offset: number, Q: number, order: string[]): Planes {
  const n = p.height * p.width;
  const nb = p.bands.length;
  const s = p.bands.map((b) => {
    const v = scales[b];
    if (v === undefined) bad(`legacysurvey_rgb: no scale for band '${b}'`);
    return v;
  });
  const src = order.map((b) => {
    const i = p.bands.indexOf(b);
    if (i < 0) bad(`legacysurvey_rgb: outputOrder band '${b}' not in the image (${p.bands.join(',')})`);
    return i;
  });
  const data = new Float32Array(order.length * n);
  const y = new Float64Array(nb);
  const sqrtQ = Math.sqrt(Q);
  for (let i = 0; i < n; i++) {
    let I = 0;
    for (let b = 0; b < nb; b++) {
      y[b] = Math.max(0, p.data[b * n + i] * s[b] + offset);
      I += y[b];
    }
    I /= nb;
    const f = I > 0 ? Math.asinh(Q * I) / sqrtQ / I : 0;
    for (let o = 0; o < src.length; o++) {
      const v = y[src[o]] * f;
      data[o * n + i] = v > 1 ? 1 : v < 0 || Number.isNaN(v) ? 0 : v;
    }
  }
  return { bands: [...order], height: p.height, width: p.width, data };
}
