/**
 * Cutout storage in half precision: app/core/float16.ts with saturation
 * (finite values beyond the half range become +-65504, never infinite).
 */
import { decodeF16 as decode, encodeF16 as encode } from '@app/core/float16';

export function encodeF16(src: Float32Array, out: Uint16Array): void {
  encode(src, out, { saturate: true });
}

export const decodeF16 = decode;
