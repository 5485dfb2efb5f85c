/**
 * Bring a band-major image to the workspace's cutout geometry.
 * - pixel scale known (FITS WCS, HDF5): resample by srcScale/dstScale
 *   (area-weighted when shrinking, linear when enlarging; flux per pixel is
 *   kept as a surface brightness, i.e. averaged, not summed), then centre-crop,
 *   or pad with NaN (no data) when the image is smaller than the cutout.
 * - pixel scale unknown (PNG/JPEG): centre-crop to a square and resize the
 *   whole square to size × size.
 * NaN pixels are ignored by the area average (NaN only where all inputs are).
 */

/** Separable 1-D resampling weights from n source to m destination pixels (scale f = m / n on the pixel grid). */
function weights(n: number, m: number, scale: number, offset: number): { idx: Int32Array; w: Float32Array; start: Int32Array } {
  const idx: number[] = [],
    w: number[] = [],
    start = new Int32Array(m + 1);
  for (let o = 0; o < m; o++) {
    start[o] = idx.length;
    // source interval covered by destination pixel o
    const a = (o - offset) / scale,
      b = (o + 1 - offset) / scale;
    if (b - a >= 1) {
      for (let s = Math.max(0, Math.floor(a)); s < Math.min(n, Math.ceil(b)); s++) {
        const ov = Math.min(b, s + 1) - Math.max(a, s);
        if (ov > 1e-9) {
          idx.push(s);
          w.push(ov);
        }
      }
    } else {
      const c = (a + b) / 2 - 0.5; // source pixel-centre coordinate
      const s0 = Math.floor(c),
        t = c - s0;
      if (s0 >= 0 && s0 < n) {
        idx.push(s0);
        w.push(1 - t);
      }
      if (s0 + 1 >= 0 && s0 + 1 < n && t > 0) {
        idx.push(s0 + 1);
        w.push(t);
      }
    }
  }
  start[m] = idx.length;
  return { idx: Int32Array.from(idx), w: Float32Array.from(w), start };
}

function applyAxis(src: Float32Array, rows: number, n: number, wt: ReturnType<typeof weights>, m: number): Float32Array {
  // resample along the fast axis of a rows × n array → rows × m
  const out = new Float32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let o = 0; o < m; o++) {
      let sum = 0,
        ws = 0;
      for (let k = wt.start[o]; k < wt.start[o + 1]; k++) {
        const v = src[base + wt.idx[k]];
        if (v === v) {
          sum += v * wt.w[k];
          ws += wt.w[k];
        }
      }
      out[r * m + o] = ws > 0 ? sum / ws : NaN;
    }
  }
  return out;
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** Resample one plane (h × w) onto an m_h × m_w grid where destination pixel o covers source [(o - off)/scale, (o + 1 - off)/scale). */
function resamplePlane(p: Float32Array, w: number, h: number, mw: number, mh: number, sx: number, sy: number, ox: number, oy: number): Float32Array {
  const x = applyAxis(p, h, w, weights(w, mw, sx, ox), mw); // h × mw
  const t = transpose(x, h, mw); // mw × h
  const y = applyAxis(t, mw, h, weights(h, mh, sy, oy), mh); // mw × mh
  return transpose(y, mw, mh); // mh × mw
}

export interface PlaneImage {
  data: Float32Array;
  width: number;
  height: number;
  bands: number;
}

/** To size × size with known pixel scales (arcsec/pixel): same sky centre, NaN outside the source. */
export function fitByPixscale(img: PlaneImage, srcScale: number, size: number, dstScale: number): Float32Array {
  const f = srcScale / dstScale; // destination pixels per source pixel
  if (Math.abs(f - 1) < 1e-9 && img.width === size && img.height === size) return img.data.slice(0, img.bands * size * size);
  // centre of source (w/2) maps to centre of destination (size/2): o = s*f + off
  const same = Math.abs(f - 1) < 1e-9; // plain crop / pad: whole-pixel offsets, no interpolation
  const ox = same ? -Math.floor((img.width - size) / 2) : size / 2 - (img.width / 2) * f;
  const oy = same ? -Math.floor((img.height - size) / 2) : size / 2 - (img.height / 2) * f;
  const out = new Float32Array(img.bands * size * size);
  const n = img.width * img.height;
  for (let b = 0; b < img.bands; b++) {
    const plane = img.data.subarray(b * n, (b + 1) * n);
    out.set(resamplePlane(plane, img.width, img.height, size, size, f, f, ox, oy), b * size * size);
  }
  return out;
}

/** To size × size without a pixel scale: centre square, then resize. */
export function fitWhole(img: PlaneImage, size: number): Float32Array {
  const s = Math.min(img.width, img.height);
  const x0 = Math.floor((img.width - s) / 2),
    y0 = Math.floor((img.height - s) / 2);
  const n = img.width * img.height;
  const out = new Float32Array(img.bands * size * size);
  const f = size / s;
  for (let b = 0; b < img.bands; b++) {
    const sq = new Float32Array(s * s);
    for (let y = 0; y < s; y++) sq.set(img.data.subarray(b * n + (y0 + y) * img.width + x0, b * n + (y0 + y) * img.width + x0 + s), y * s);
    out.set(s === size ? sq : resamplePlane(sq, s, s, size, size, f, f, 0, 0), b * size * size);
  }
  return out;
}
