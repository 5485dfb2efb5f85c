import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '@app/contracts';

describe('WebSocket binary framing', () => {
  it('round-trips typed arrays as raw bytes, with NaN and infinities', () => {
    const msg = {
      t: 'res',
      id: 7,
      reply: {
        ok: true,
        value: {
          xy: Float32Array.from([1.5, -2, NaN, 3e38]),
          codes: Uint8Array.from([0, 255, 3]),
          ranked: Int32Array.from([5, -1, 2 ** 31 - 1]),
          grades: Int8Array.from([-1, 2]),
          f64: Float64Array.from([Math.PI]),
          nested: [{ a: new Uint16Array([1, 2, 3]) }],
          nums: [NaN, Infinity, -Infinity, 0],
          text: 'ångström "quoted"\n',
        },
      },
    };
    const back = decodeFrame(encodeFrame(msg)) as typeof msg;
    const v = back.reply.value;
    expect(v.xy).toBeInstanceOf(Float32Array);
    expect(Array.from(v.xy)).toEqual([1.5, -2, NaN, 3e38].map(Math.fround));
    expect(v.codes).toBeInstanceOf(Uint8Array);
    expect(Array.from(v.codes)).toEqual([0, 255, 3]);
    expect(Array.from(v.ranked)).toEqual([5, -1, 2 ** 31 - 1]);
    expect(Array.from(v.grades)).toEqual([-1, 2]);
    expect(v.f64[0]).toBe(Math.PI);
    expect(Array.from(v.nested[0].a)).toEqual([1, 2, 3]);
    expect(v.nums).toEqual([NaN, Infinity, -Infinity, 0]);
    expect(v.text).toBe('ångström "quoted"\n');
  });

  it('sends the bytes of a subarray view, not its whole buffer, and the payload is not JSON numbers', () => {
    const big = new Float32Array(100_000).map((_v, i) => i);
    const frame = encodeFrame({ part: big.subarray(10, 13), all: big });
    expect(frame.byteLength).toBeLessThan(400_000 + 12 + 1024);
    const back = decodeFrame(frame) as { part: Float32Array; all: Float32Array };
    expect(Array.from(back.part)).toEqual([10, 11, 12]);
    expect(back.all[99_999]).toBe(99_999);
  });

  it('rejects truncated or inconsistent frames with BAD_INPUT', () => {
    const frame = encodeFrame({ a: new Float64Array(16) });
    expect(() => decodeFrame(frame.subarray(0, 3))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 64))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    const bad = frame.slice();
    new DataView(bad.buffer).setUint32(0, 1e9, true);
    expect(() => decodeFrame(bad)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
