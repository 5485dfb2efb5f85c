/**
 * The point-spread function of the synthetic survey: a circular Gaussian per
 * band (FWHM = seeing), pixel-integrated. Extended light is blurred by a
 * separable convolution (two 1-D passes, zero padding, unit-sum kernel, so
 * flux is conserved away from the stamp edges); point sources are drawn
 * directly as pixel-integrated Gaussians so their sub-pixel position is exact.
 */

export const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.log(2)));

/** erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const SQRT1_2 = Math.SQRT1_2;

/** ∫ of a unit Gaussian (sd sigma, centre c) over [lo, hi]. */
function gaussMass(lo: number, hi: number, c: number, sigma: number): number {
  const k = SQRT1_2 / sigma;
  return 0.5 * (erf((hi - c) * k) - erf((lo - c) * k));
}

/** Pixel-integrated 1-D Gaussian kernel of half-width ceil(3.5 σ), normalised to sum 1. */
export function gaussianKernel(sigma: number): Float32Array {
  const hw = Math.max(1, Math.ceil(3.5 * sigma));
  const k = new Float32Array(2 * hw + 1);
  let s = 0;
  for (let i = -hw; i <= hw; i++) {
    const v = gaussMass(i - 0.5, i + 0.5, 0, sigma);
    k[i + hw] = v;
    s += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

const extLo = new Int32Array(1024),
  extHi = new Int32Array(1024);

/**
 * Separable convolution of img (w×h) with the 1-D kernel along x then y, in
 * place; `tmp` is scratch of the same size. Zero padding outside the image.
 * Only the span of each row that can be non-zero is computed, so sparse
 * stamps (a small galaxy in an empty field) cost little.
 */
export function convolveSeparable(img: Float32Array, w: number, h: number, kernel: Float32Array, tmp: Float32Array): void {
  const hw = (kernel.length - 1) >> 1;
  const k0 = kernel[hw];
  // x pass: img -> tmp, row spans [extLo, extHi] (extLo > extHi: empty row)
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1,
      last = -1;
    for (let x = 0; x < w; x++)
      if (img[row + x] !== 0) {
        first = x;
        break;
      }
    if (first < 0) {
      extLo[y] = 1;
      extHi[y] = 0;
      continue;
    }
    for (let x = w - 1; x >= first; x--)
      if (img[row + x] !== 0) {
        last = x;
        break;
      }
    const lo = Math.max(0, first - hw),
      hi = Math.min(w - 1, last + hw);
    extLo[y] = lo;
    extHi[y] = hi;
    for (let x = lo; x <= hi; x++) {
      const p = row + x;
      let acc = img[p] * k0;
      if (x >= hw && x < w - hw) {
        for (let j = 1; j <= hw; j++) acc += (img[p - j] + img[p + j]) * kernel[hw + j];
      } else {
        for (let j = 1; j <= hw; j++) {
          const l = x - j >= 0 ? img[p - j] : 0,
            r = x + j < w ? img[p + j] : 0;
          acc += (l + r) * kernel[hw + j];
        }
      }
      tmp[p] = acc;
    }
  }
  // y pass: tmp -> img over the union of the spans of the contributing rows
  for (let y = 0; y < h; y++) {
    const out = y * w;
    let lo = w,
      hi = -1;
    for (let yy = Math.max(0, y - hw); yy <= Math.min(h - 1, y + hw); yy++) {
      if (extLo[yy] > extHi[yy]) continue;
      if (extLo[yy] < lo) lo = extLo[yy];
      if (extHi[yy] > hi) hi = extHi[yy];
    }
    img.fill(0, out, out + w);
    if (hi < lo) continue;
    if (extLo[y] <= extHi[y]) for (let x = Math.max(lo, extLo[y]); x <= Math.min(hi, extHi[y]); x++) img[out + x] = tmp[out + x] * k0;
    for (let j = 1; j <= hw; j++) {
      const kv = kernel[hw + j];
      const up = y + j,
        dn = y - j;
      if (up < h && extLo[up] <= extHi[up]) {
        const src = up * w,
          b = Math.min(hi, extHi[up]);
        for (let x = Math.max(lo, extLo[up]); x <= b; x++) img[out + x] += tmp[src + x] * kv;
      }
      if (dn >= 0 && extLo[dn] <= extHi[dn]) {
        const src = dn * w,
          b = Math.min(hi, extHi[dn]);
        for (let x = Math.max(lo, extLo[dn]); x <= b; x++) img[out + x] += tmp[src + x] * kv;
      }
    }
  }
}

/**
 * Direct (non-separable) 2-D convolution with the outer product of the 1-D
 * kernel: the straightforward method, kept as the benchmark baseline and as a
 * cross-check of convolveSeparable in the tests. Returns a new array.
 */
export function convolveDirect(img: Float32Array, w: number, h: number, kernel: Float32Array): Float32Array {
  const hw = (kernel.length - 1) >> 1;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let j = -hw; j <= hw; j++) {
        const yy = y + j;
        if (yy < 0 || yy >= h) continue;
        const kj = kernel[j + hw];
        for (let i = -hw; i <= hw; i++) {
          const xx = x + i;
          if (xx < 0 || xx >= w) continue;
          acc += img[yy * w + xx] * kj * kernel[i + hw];
        }
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

/** Adds a point source of total `flux` at (x, y) (pixels) blurred by a Gaussian of sd sigma (pixels). */
export function addPoint(out: Float32Array, w: number, h: number, x: number, y: number, flux: number, sigma: number, gx: Float32Array, gy: Float32Array): void {
  const hw = Math.max(2, Math.ceil(4.5 * sigma));
  const x0 = Math.max(0, Math.floor(x) - hw),
    x1 = Math.min(w - 1, Math.floor(x) + hw + 1);
  const y0 = Math.max(0, Math.floor(y) - hw),
    y1 = Math.min(h - 1, Math.floor(y) + hw + 1);
  if (x0 > x1 || y0 > y1) return;
  for (let i = x0; i <= x1; i++) gx[i] = gaussMass(i - 0.5, i + 0.5, x, sigma);
  for (let j = y0; j <= y1; j++) gy[j] = gaussMass(j - 0.5, j + 0.5, y, sigma) * flux;
  for (let j = y0; j <= y1; j++) {
    const row = j * w,
      fy = gy[j];
    for (let i = x0; i <= x1; i++) out[row + i] += fy * gx[i];
  }
}
