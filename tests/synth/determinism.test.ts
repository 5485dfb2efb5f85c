import { describe, expect, it } from 'vitest';
import { isAppError } from '@app/core/errors';
import { CLASS_NAMES, generateSurvey, surveyObject, surveyObjectMeta } from '@app/synth/index';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('synthetic survey: determinism and access', () => {
  it('same seed gives the same bytes and catalogue rows, a different seed differs', () => {
    for (const i of [0, 7, 19]) {
      const a = surveyObject({ count: 20, seed: 42 }, i);
      const b = surveyObject({ count: 20, seed: 42 }, i);
      const c = surveyObject({ count: 20, seed: 43 }, i);
      expect(bytes(a.cutout.data).equals(bytes(b.cutout.data))).toBe(true);
      expect(a.object).toEqual(b.object);
      expect(bytes(a.cutout.data).equals(bytes(c.cutout.data))).toBe(false);
      expect(a.object.ra).not.toBe(c.object.ra);
    }
  });

  it('random access in any order equals iteration, and the metadata path agrees', () => {
    const opts = { count: 24, seed: 7 };
    const iterated = [...generateSurvey(opts)];
    expect(iterated).toHaveLength(24);
    for (const i of [23, 5, 0, 17, 11]) {
      const r = surveyObject(opts, i);
      expect(bytes(r.cutout.data).equals(bytes(iterated[i].cutout.data))).toBe(true);
      expect(r.object).toEqual(iterated[i].object);
      const m = surveyObjectMeta(opts, i);
      expect(m.object).toEqual(r.object);
      expect(m.label).toBe(r.label);
      expect(CLASS_NAMES[m.label]).toBe(r.object.truth);
    }
    expect(iterated.map((x) => x.object.id).slice(0, 3)).toEqual(['SYN-000001', 'SYN-000002', 'SYN-000003']);
    expect([...generateSurvey(opts, 20)].map((x) => x.object.id)).toEqual(['SYN-000021', 'SYN-000022', 'SYN-000023', 'SYN-000024']);
  });

  it('cutouts have the requested shape, bands and units and no NaN', () => {
    const o = { count: 200, seed: 3, size: 48, bands: ['r', 'g'] };
    for (const { cutout, object } of generateSurvey(o)) {
      expect(cutout.width).toBe(48);
      expect(cutout.height).toBe(48);
      expect(cutout.bands).toEqual(['r', 'g']);
      expect(cutout.unit).toBe('nanomaggies');
      expect(cutout.pixscale).toBeCloseTo(0.262, 6);
      expect(cutout.data.length).toBe(2 * 48 * 48);
      let finite = true;
      for (const v of cutout.data) if (!Number.isFinite(v)) finite = false;
      expect(finite, object.id).toBe(true);
    }
  });

  it('band subsets are the same pixels as the full survey', () => {
    const full = surveyObject({ count: 5, seed: 9, noise: false }, 2).cutout;
    const r = surveyObject({ count: 5, seed: 9, noise: false, bands: ['r'] }, 2).cutout;
    expect(Array.from(r.data)).toEqual(Array.from(full.data.subarray(64 * 64, 2 * 64 * 64)));
  });

  it('rejects bad options with BAD_INPUT', () => {
    const bad = [
      { count: -1, seed: 1 },
      { count: 10, seed: 1, size: 3 },
      { count: 10, seed: 1, bands: ['q'] },
      { count: 10, seed: 1, rates: { dragon: 0.1 } },
      { count: 10, seed: 1, rates: { lens: -1 } },
      { count: 10, seed: 1, center: { ra: 400, dec: 0 } },
      { count: 10, seed: 1, radiusDeg: 0 },
    ];
    for (const o of bad) {
      let err: unknown;
      try {
        surveyObject(o as never, 0);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err) && err.code === 'BAD_INPUT', JSON.stringify(o)).toBe(true);
    }
  });
});
