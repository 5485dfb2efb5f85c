/** The point views' colour scales and draw order (renderer/src/gfx): clipping is counted, high scores go last. */
import { describe, expect, it } from 'vitest';
import { byValue, OVER, ramp, UNDER } from '@renderer/src/gfx/colors';
import { drawOrder } from '@renderer/src/gfx/draw-order';

const rgbOf = (rgba: Uint8Array, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 3));

describe('colour scales', () => {
  it('clips at p1 / p99, counts what is beyond, and draws it in the under / over colours', () => {
    const v = Float32Array.from({ length: 1000 }, (_, i) => i);
    v[0] = -1e6;
    v[999] = 1e6;
    const c = byValue(v, 'x');
    expect(c.legend.clip).toMatchObject({ lo: 10, hi: 990, how: 'p1 / p99', under: 10, over: 9 });
    expect(rgbOf(c.rgba, 0)).toEqual(UNDER);
    expect(rgbOf(c.rgba, 999)).toEqual(OVER);
    expect(rgbOf(c.rgba, 10)).toEqual(ramp(0).map(Math.floor));
  });

  it('a fixed range clips nothing inside it; NaN is neither under nor over', () => {
    const c = byValue(Float32Array.of(0, 0.5, 1, NaN), 'score', [0, 1]);
    expect(c.legend.clip).toMatchObject({ lo: 0, hi: 1, how: 'fixed range', under: 0, over: 0 });
  });
});

describe('draw order', () => {
  it('is null with nothing to do, keeps only masked-in objects, and puts high scores last', () => {
    expect(drawOrder(4, null, null)).toBeNull();
    expect(Array.from(drawOrder(4, Uint8Array.of(1, 0, 1, 1), null)!)).toEqual([0, 2, 3]);
    expect(Array.from(drawOrder(4, null, Float32Array.of(0.9, 0.1, NaN, 0.5))!)).toEqual([2, 1, 3, 0]);
    expect(Array.from(drawOrder(4, Uint8Array.of(1, 1, 0, 1), Float32Array.of(0.9, 0.1, 1, 0.5))!)).toEqual([1, 3, 0]);
  });
});
