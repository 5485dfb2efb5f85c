/** Base64 for Uint8Array without Node's Buffer (app/ is runtime-neutral). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64Decode(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let acc = 0,
    bits = 0,
    o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) break; // '='
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) continue; // whitespace, line breaks
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

export function base64Encode(b: Uint8Array, lineLength = 76): string {
  const parts: string[] = [];
  let line = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    const rem = b.length - i;
    line += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (rem > 1 ? ALPHABET[(n >> 6) & 63] : '=') + (rem > 2 ? ALPHABET[n & 63] : '=');
    if (lineLength > 0 && line.length >= lineLength) {
      parts.push(line);
      line = '';
    }
  }
  if (line) parts.push(line);
  return parts.join('\n');
}
