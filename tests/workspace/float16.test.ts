/** Half-float cutout storage against numpy's float16 conversion (run live with Debian's numpy). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { decodeF16, encodeF16 } from '@main/node/workspace';

const PY = `
import sys, numpy as np
f = np.frombuffer(sys.stdin.buffer.read(), dtype='<f4')
with np.errstate(over='ignore'):
    h = f.astype(np.float16)
sys.stdout.buffer.write(h.view('<u2').tobytes() + h.astype(np.float32).tobytes())
`;

function values(): Float32Array {
  const rng = createRng(7);
  const special = [
    0,
    -0,
    1,
    -1,
    65504,
    -65504,
    65519,
    65520,
    1e6,
    -1e6,
    Infinity,
    -Infinity,
    NaN,
    6.1e-5,
    5.96e-8,
    2.98e-8,
    2.99e-8,
    1e-9,
    0.1,
    1 / 3,
    2049,
    2051,
    4097,
  ];
  const out = new Float32Array(special.length + 200_000);
  out.set(special);
  for (let i = special.length; i < out.length; i++) {
    // log-uniform magnitudes from 1e-9 to 1e6 and both signs: the sky-noise floor to saturated stars
    out[i] = (rng.next() < 0.5 ? -1 : 1) * 10 ** rng.uniform(-9, 6);
  }
  // exact halfway cases between neighbouring halves (round to nearest even)
  for (let k = 0; k < 2000; k++) out[special.length + k] = 1 + (2 * k + 1) / 2048 / 2;
  return out;
}

describe('float16 storage', () => {
  it('encodes like numpy astype(float16), saturating finite overflow at 65504', () => {
    const f = values();
    const res = execFileSync('/usr/bin/python3', ['-c', PY], { input: Buffer.from(f.buffer), maxBuffer: 64 * 1024 * 1024 });
    const npHalf = new Uint16Array(res.buffer.slice(res.byteOffset, res.byteOffset + f.length * 2));
    const npBack = new Float32Array(res.buffer.slice(res.byteOffset + f.length * 2, res.byteOffset + f.length * 6));
    const ours = new Uint16Array(f.length);
    encodeF16(f, ours);
    const back = new Float32Array(f.length);
    decodeF16(ours, back);
    let overflow = 0;
    for (let i = 0; i < f.length; i++) {
      if (Number.isFinite(f[i]) && Math.abs(f[i]) > 65504 && !Number.isFinite(npBack[i])) {
        overflow++;
        expect(back[i]).toBe(Math.sign(f[i]) * 65504);
        continue;
      }
      if (Number.isNaN(f[i])) {
        expect(Number.isNaN(back[i])).toBe(true);
        continue;
      }
      if (ours[i] !== npHalf[i]) throw new Error(`value ${f[i]}: ours 0x${ours[i].toString(16)} numpy 0x${npHalf[i].toString(16)}`);
      expect(Object.is(back[i], npBack[i])).toBe(true);
    }
    expect(overflow).toBeGreaterThan(1000);
  });
});
