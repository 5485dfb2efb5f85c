/** BSCALE / BZERO / BLANK: stored integers → physical values (shared by plain and compressed images). */
import type { RawArray } from './endian';
import type { FitsHeader } from './header';

export interface Scaling { scale: number; zero: number; blank?: number | bigint }

/** BSCALE / BZERO / BLANK of an image header. */
export function imageScaling(h: FitsHeader): Scaling {
  const blank = h.get('BLANK');
  const card = h.card('BLANK');
  return {
    scale: h.number('BSCALE', 1) ?? 1,
    zero: h.number('BZERO', 0) ?? 0,
    ...(typeof blank === 'number' ? { blank: Number.isSafeInteger(blank) ? blank : BigInt(card!.valueText.replace('+', '')) } : {}),
  };
}

export function outputArray(bitpix: number, n: number): Float32Array | Float64Array {
  return bitpix === 8 || bitpix === 16 || bitpix === -32 ? new Float32Array(n) : new Float64Array(n);
}

/** Stored values → physical values (writes into `out`). */
export function applyScaling(raw: RawArray, out: Float32Array | Float64Array, s: Scaling, isInt: boolean, at = 0): void {
  const { scale, zero } = s;
  const n = raw.length;
  if (raw instanceof BigInt64Array) {
    const blank = s.blank === undefined ? undefined : BigInt(s.blank);
    for (let i = 0; i < n; i++) {
      const v = raw[i]!;
      out[at + i] = v === blank ? NaN : zero + scale * Number(v);
    }
    return;
  }
  const r = raw as Exclude<RawArray, BigInt64Array>;
  if (isInt && s.blank !== undefined) {
    const blank = Number(s.blank);
    for (let i = 0; i < n; i++) { const v = r[i]!; out[at + i] = v === blank ? NaN : zero + scale * v; }
  } else if (scale === 1 && zero === 0) {
    out.set(r, at);
  } else {
    for (let i = 0; i < n; i++) out[at + i] = zero + scale * r[i]!;
  }
}

