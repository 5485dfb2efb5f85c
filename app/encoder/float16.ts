/**
 * Half-precision tensors for models whose input or outputs are float16 (Node
 * 20 has no Float16Array: ONNX Runtime takes/returns the bits as a
 * Uint16Array): app/core/float16.ts with IEEE overflow to +-Inf.
 */
import { decodeF16, encodeF16, fromHalfBits, toHalfBits as bits } from '../core/float16';

const IEEE = { saturate: false };

export { fromHalfBits };

export function toHalfBits(v: number): number {
  return bits(v, IEEE);
}

export function floatsToHalf(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  encodeF16(src, out, IEEE);
  return out;
}

export function halfToFloats(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  decodeF16(src, out);
  return out;
}
