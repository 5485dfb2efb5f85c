/**
 * Small hostile FITS files made from the repository's fixtures by editing header cards in place
 * (what a broken writer or a malicious file does), for tests/fits/hostile.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFits } from '@app/fits/index';

export const FITS_DIR = join(__dirname, '..', 'fixtures', 'fits');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FITS_DIR, name)));
}

function card(key: string, value: string): Uint8Array {
  return Uint8Array.from(`${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80), (c) => c.charCodeAt(0));
}

/**
 * Sets `key` to the raw value text (e.g. "1.5", "'X'") in the header of HDU `hdu`: the card is
 * replaced where it is, or written over the END card (END moves one card on, within the same block).
 */
export function setCard(bytes: Uint8Array, hdu: number, key: string, value: string): Uint8Array {
  const f = readFits(bytes, { strict: false });
  const h = f.hdus[hdu]!;
  const out = new Uint8Array(bytes);
  const text = (p: number) => String.fromCharCode(...out.subarray(p, p + 80));
  for (let p = h.headerOffset; p < h.dataOffset; p += 80) {
    const k = text(p).slice(0, 8).trimEnd();
    if (k === key) {
      out.set(card(key, value), p);
      return out;
    }
    if (k === 'END') {
      if ((p + 80 - h.headerOffset) % 2880 === 0) throw new Error(`no room for ${key} in HDU ${hdu}`);
      out.set(card(key, value), p);
      out.set(
        Uint8Array.from('END'.padEnd(80), (c) => c.charCodeAt(0)),
        p + 80,
      );
      return out;
    }
  }
  throw new Error(`no END card in HDU ${hdu}`);
}
