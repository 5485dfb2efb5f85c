/**
 * Big-endian (FITS) ↔ native typed arrays. Decoding copies the bytes into a
 * fresh aligned buffer and swaps in place through 16/32-bit views, which is
 * several times faster than DataView element access.
 */
export type RawArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swap16(u: Uint16Array): void {
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    u[i] = ((x & 0xff) << 8) | (x >>> 8);
  }
}

function swap32(u: Uint32Array): void {
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    u[i] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  }
}

function swap64(u: Uint32Array): void {
  for (let i = 0; i < u.length; i += 2) {
    const a = u[i]!,
      b = u[i + 1]!;
    u[i] = ((b & 0xff) << 24) | ((b & 0xff00) << 8) | ((b >>> 8) & 0xff00) | (b >>> 24);
    u[i + 1] = ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
  }
}

/** `n` big-endian elements of a FITS BITPIX type starting at bytes[0] → native array (a copy). */
export function decodeBE(bytes: Uint8Array, bitpix: number, n: number): RawArray {
  const size = Math.abs(bitpix) / 8;
  const buf = new ArrayBuffer(n * size);
  const u8 = new Uint8Array(buf);
  u8.set(bytes.subarray(0, n * size));
  if (LITTLE) {
    if (size === 2) swap16(new Uint16Array(buf));
    else if (size === 4) swap32(new Uint32Array(buf));
    else if (size === 8) swap64(new Uint32Array(buf));
  }
  switch (bitpix) {
    case 8:
      return u8;
    case 16:
      return new Int16Array(buf);
    case 32:
      return new Int32Array(buf);
    case 64:
      return new BigInt64Array(buf);
    case -32:
      return new Float32Array(buf);
    default:
      return new Float64Array(buf);
  }
}

/** Native array → big-endian bytes (a copy). */
export function encodeBE(data: ArrayBufferView, elemSize: number): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (LITTLE && elemSize > 1) {
    if (elemSize === 2) swap16(new Uint16Array(out.buffer));
    else if (elemSize === 4) swap32(new Uint32Array(out.buffer));
    else swap64(new Uint32Array(out.buffer));
  }
  return out;
}
