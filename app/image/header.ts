/**
 * The size a PNG or JPEG declares, read from its header before anything is decoded (PNG: the IHDR
 * chunk; JPEG: the first SOFn marker), so that a small file declaring a huge picture is refused by the
 * resource budget (app/core/limits) instead of being inflated. Malformed headers are IMAGE_CORRUPT.
 */
import { AppError } from '../core/errors';
import { checkBudget, LIMITS } from '../core/limits';

export interface ImageHeader {
  width: number;
  height: number;
  /** JPEG baseline / extended sequential Huffman (SOF0, SOF1): every 8×8 luma block costs at least 2 bits */
  sequential?: boolean;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function corrupt(name: string, kind: string, what: string): AppError {
  return new AppError('IMAGE_CORRUPT', `${name}: not a valid ${kind} (${what})`);
}

export function pngHeader(b: Uint8Array, name: string): ImageHeader {
  if (b.length < 33 || PNG_SIG.some((v, i) => b[i] !== v)) throw corrupt(name, 'PNG', 'bad signature');
  const be32 = (p: number) => ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  if (be32(8) !== 13 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') throw corrupt(name, 'PNG', 'the first chunk is not IHDR');
  const width = be32(16),
    height = be32(20);
  if (width === 0 || height === 0) throw corrupt(name, 'PNG', `size ${width}×${height}`);
  return { width, height };
}

export function jpegHeader(b: Uint8Array, name: string): ImageHeader {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw corrupt(name, 'JPEG', 'no SOI marker');
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw corrupt(name, 'JPEG', `no marker at byte ${p}`);
    const m = b[p + 1]!;
    if (m === 0xff) {
      p++;
      continue;
    } // fill byte
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    if (m === 0xd9 || m === 0xda) break; // EOI / SOS before any frame header
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (len < 2) throw corrupt(name, 'JPEG', `marker 0x${m.toString(16)} has length ${len}`);
    // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc)
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (p + 9 > b.length) break;
      const height = (b[p + 5]! << 8) | b[p + 6]!,
        width = (b[p + 7]! << 8) | b[p + 8]!;
      if (width === 0 || height === 0) throw corrupt(name, 'JPEG', `size ${width}×${height}`);
      return { width, height, sequential: m === 0xc0 || m === 0xc1 };
    }
    p += 2 + len;
  }
  throw corrupt(name, 'JPEG', 'no frame header (SOF) before the image data');
}

/**
 * The declared size of a PNG / JPEG against the budget: its R, G, B planes (float32, the cutout's form)
 * count as 3 × width × height pixels of LIMITS.maxImagePixels.
 */
export function checkPictureSize(h: ImageHeader, name: string, kind: 'PNG' | 'JPEG', fileBytes: number): void {
  checkBudget(`${name}: the ${kind} declares ${h.width}×${h.height} px (3 planes)`, 3 * h.width * h.height, LIMITS.maxImagePixels, 'pixels');
  // a sequential JPEG codes each luma block with a DC code and an end-of-block code (≥ 1 bit each): a file
  // far smaller than that is truncated or forged, and decoding it would still cost the declared size
  if (h.sequential) {
    const minBytes = Math.ceil((Math.ceil(h.width / 8) * Math.ceil(h.height / 8)) / 4);
    if (fileBytes < minBytes)
      throw corrupt(name, 'JPEG', `declares ${h.width}×${h.height} px, which needs at least ${minBytes} bytes of image data; the file has ${fileBytes}`);
  }
}
