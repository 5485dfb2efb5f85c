/** BSCALE / BZERO / BLANK: stored integers → physical values (shared by plain and compressed images). */
import { violation, type FitsContext } from './context';
import type { RawArray } from './endian';
import type { FitsHeader } from './header';

export interface Scaling {
  scale: number;
  zero: number;
  blank?: number | bigint;
}

/**
 * Keywords whose wrong type would silently change every pixel: BSCALE / BZERO must be numbers, BLANK
 * an integer (integer images only), ZDITHER0 an integer (compressed images). Strict: FITS_CORRUPT (astropy
 * refuses BSCALE = 'X' and ZDITHER0 = 1.5); lenient: a warning, then BSCALE 1 / BZERO 0, BLANK ignored
 * (as astropy does) and ZDITHER0 truncated (as CFITSIO does).
 */
export function checkScalingKeywords(h: FitsHeader, bitpix: number, compressed: boolean, ctx: FitsContext, hdu: number): void {
  for (const key of ['BSCALE', 'BZERO']) {
    const v = h.get(key);
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) violation(ctx, hdu, `${key} = ${String(v)} is not a number`);
  }
  const blank = h.get('BLANK');
  if (bitpix > 0 && blank !== undefined && !isIntegerCard(h, 'BLANK')) violation(ctx, hdu, `BLANK = ${String(blank)} is not an integer`);
  const dither = h.get('ZDITHER0');
  if (compressed && dither !== undefined && (typeof dither !== 'number' || !Number.isInteger(dither)))
    violation(ctx, hdu, `ZDITHER0 = ${String(dither)} is not an integer`);
}

function isIntegerCard(h: FitsHeader, key: string): boolean {
  const c = h.card(key);
  return !!c && typeof c.value === 'number' && /^[+-]?\d+$/.test(c.valueText);
}

/** BSCALE / BZERO / BLANK of an image header (a non-integer BLANK is ignored). */
export function imageScaling(h: FitsHeader): Scaling {
  const card = h.card('BLANK');
  const blank = card && isIntegerCard(h, 'BLANK') ? (card.value as number) : undefined;
  return {
    scale: h.number('BSCALE', 1) ?? 1,
    zero: h.number('BZERO', 0) ?? 0,
    ...(blank !== undefined ? { blank: Number.isSafeInteger(blank) ? blank : BigInt(card!.valueText.replace('+', '')) } : {}),
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
    for (let i = 0; i < n; i++) {
      const v = r[i]!;
      out[at + i] = v === blank ? NaN : zero + scale * v;
    }
  } else if (scale === 1 && zero === 0) {
    out.set(r, at);
  } else {
    for (let i = 0; i < n; i++) out[at + i] = zero + scale * r[i]!;
  }
}
