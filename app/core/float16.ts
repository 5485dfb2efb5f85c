/**
 * IEEE 754 half precision <-> float32, the one codec (cutout storage in
 * main/node/workspace, float16 model tensors in app/encoder). Encoding rounds
 * to nearest even (as numpy's astype(float16)); NaN and +-Inf are kept;
 * finite values beyond the half range saturate or overflow as asked.
 */
let decodeTable: Float32Array | null = null;

/** one half value (bits) as a number */
export function fromHalfBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function table(): Float32Array {
  if (!decodeTable) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = fromHalfBits(h);
  }
  return decodeTable;
}

export interface F16Options {
  /**
   * true: finite values beyond the half range become +-65504 (cutout storage:
   * a saturated star stays a bright pixel); false: +-Inf, as IEEE 754 and
   * ONNX Runtime do (model inputs and outputs)
   */
  saturate: boolean;
}

/** float32 values -> half bits (round to nearest even), written into `out` (same length). */
export function encodeF16(src: Float32Array, out: Uint16Array, opts: F16Options): void {
  const max = opts.saturate ? 0x7bff : 0x7c00;
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const f = bits[i];
    const sign = (f >>> 16) & 0x8000;
    const fexp = f & 0x7f800000;
    if (fexp >= 0x47800000) {
      if (fexp === 0x7f800000) out[i] = sign | ((f & 0x7fffff) !== 0 ? 0x7e00 : 0x7c00);
      else out[i] = sign | max;
      continue;
    }
    if (fexp <= 0x38000000) {
      if (fexp < 0x33000000) {
        out[i] = sign;
        continue;
      }
      const e = fexp >>> 23;
      let sig = (0x800000 + (f & 0x7fffff)) >>> (113 - e);
      if ((sig & 0x3fff) !== 0x1000 || (f & 0x7ff) !== 0) sig += 0x1000;
      out[i] = sign | (sig >>> 13);
      continue;
    }
    let sig = f & 0x7fffff;
    if ((sig & 0x3fff) !== 0x1000) sig += 0x1000;
    const h = ((fexp - 0x38000000) >>> 13) + (sig >>> 13);
    out[i] = sign | (h >= 0x7c00 ? max : h);
  }
}

/** half bits -> float32, written into `out` (same length). */
export function decodeF16(src: Uint16Array, out: Float32Array): void {
  const t = table();
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]];
}

const one = new Float32Array(1);
const oneOut = new Uint16Array(1);

/** one number as half bits */
export function toHalfBits(v: number, opts: F16Options): number {
  one[0] = v;
  encodeF16(one, oneOut, opts);
  return oneOut[0];
}
