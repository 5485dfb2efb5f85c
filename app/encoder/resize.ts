/**
 * Plane resampling with torch.nn.functional.interpolate's semantics (the
 * models are trained in PyTorch):
 * - 'bilinear': align_corners=False, src = (dst + 0.5) * in/out - 0.5 clamped at 0, no antialias;
 * - 'area': adaptive average pooling, cell [floor(i*in/out), ceil((i+1)*in/out));
 * - 'nearest': src = floor(dst * in/out) (torch's legacy 'nearest', not 'nearest-exact').
 */
export type ResizeMethod = 'bilinear' | 'area' | 'nearest';

export function resizePlane(src: ArrayLike<number>, inH: number, inW: number, dst: Float32Array, outH: number, outW: number, method: ResizeMethod): void {
  if (method === 'nearest') {
    const sy = inH / outH;
    const sx = inW / outW;
    for (let y = 0; y < outH; y++) {
      const yy = Math.min(inH - 1, Math.floor(y * sy));
      for (let x = 0; x < outW; x++) dst[y * outW + x] = src[yy * inW + Math.min(inW - 1, Math.floor(x * sx))];
    }
    return;
  }
  if (method === 'area') {
    for (let y = 0; y < outH; y++) {
      const y0 = Math.floor((y * inH) / outH);
      const y1 = Math.ceil(((y + 1) * inH) / outH);
      for (let x = 0; x < outW; x++) {
        const x0 = Math.floor((x * inW) / outW);
        const x1 = Math.ceil(((x + 1) * inW) / outW);
        let s = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += src[yy * inW + xx];
        dst[y * outW + x] = s / ((y1 - y0) * (x1 - x0));
      }
    }
    return;
  }
  const ys = axisWeights(inH, outH);
  const xs = axisWeights(inW, outW);
  for (let y = 0; y < outH; y++) {
    const r0 = ys.i0[y] * inW;
    const r1 = ys.i1[y] * inW;
    const ly = ys.l[y];
    for (let x = 0; x < outW; x++) {
      const c0 = xs.i0[x];
      const c1 = xs.i1[x];
      const lx = xs.l[x];
      const top = src[r0 + c0] * (1 - lx) + src[r0 + c1] * lx;
      const bottom = src[r1 + c0] * (1 - lx) + src[r1 + c1] * lx;
      dst[y * outW + x] = top * (1 - ly) + bottom * ly;
    }
  }
}

function axisWeights(inN: number, outN: number): { i0: Int32Array; i1: Int32Array; l: Float64Array } {
  const scale = inN / outN;
  const i0 = new Int32Array(outN);
  const i1 = new Int32Array(outN);
  const l = new Float64Array(outN);
  for (let o = 0; o < outN; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5);
    const f = Math.min(Math.floor(s), inN - 1);
    i0[o] = f;
    i1[o] = Math.min(f + 1, inN - 1);
    l[o] = s - f;
  }
  return { i0, i1, l };
}
