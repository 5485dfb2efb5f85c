/** One float16 codec (app/core/float16.ts): storage saturates, model tensors overflow to Inf, and both agree everywhere else. */
import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { floatsToHalf, toHalfBits } from '@app/encoder/float16';
import { encodeF16 } from '@main/node/workspace/float16';

describe('float16: one codec, two overflow rules', () => {
  it('differ only beyond the half range', () => {
    const rng = createRng(3);
    const v = Float32Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? rng.normal() * 1e-5 : rng.normal() * 3000));
    v.set([70000, -1e9, 65519, 65520, Infinity, -Infinity, NaN, 0, -0, 6e-8], 0);
    const stored = new Uint16Array(v.length);
    encodeF16(v, stored);
    const tensor = floatsToHalf(v);
    expect([stored[0], stored[1], stored[2], stored[3]]).toEqual([0x7bff, 0xfbff, 0x7bff, 0x7bff]);
    expect([tensor[0], tensor[1], tensor[2], tensor[3]]).toEqual([0x7c00, 0xfc00, 0x7bff, 0x7c00]);
    for (let i = 4; i < v.length; i++) if (stored[i] !== tensor[i]) throw new Error(`value ${v[i]}: ${stored[i]} vs ${tensor[i]}`);
    expect(toHalfBits(1)).toBe(0x3c00);
  });
});
