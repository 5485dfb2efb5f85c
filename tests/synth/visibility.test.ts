/**
 * Visibility columns of the synthetic survey (app/synth/visibility.ts): a
 * lens's arc_snr equals the matched-filter S/N of its arcs measured on
 * rendered pixels (with and without the lensed component, noise off), and
 * tidal surface brightness is recorded for tidal objects only, without
 * changing anything else in the plan.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { planObject, renderScene, resolveOptions } from '@app/synth';
import { effectiveGain } from '@app/synth/noise';
import { lensVisible, TIDAL_VISIBLE_SB } from '@app/synth/visibility';

describe('synthetic survey visibility columns', () => {
  const o = resolveOptions({ count: 3000, seed: 41, rates: { lens: 0.1, tidal: 0.1 } });
  const scenes = Array.from({ length: 300 }, (_, i) => planObject(o, i));

  it('arc_snr is the S/N of the rendered arcs', () => {
    const lenses = scenes.filter((s) => s.object.truth === 'lens').slice(0, 5);
    expect(lenses.length).toBeGreaterThan(2);
    for (const s of lenses) {
      const all = renderScene(s, o, createRng(1), { noise: false }).data;
      const noArcs = renderScene(s, o, createRng(1), { noise: false, include: (c) => c.kind !== 'lensed' }).data;
      const n = o.size * o.size;
      let s2 = 0;
      for (let b = 0; b < 3; b++) {
        const c = o.conditions[b],
          gain = effectiveGain(c.skyMag, c.skySigma, o.pixscale);
        for (let i = 0; i < n; i++) {
          const m = all[b * n + i] - noArcs[b * n + i];
          if (m > 0) s2 += (m * m) / (c.skySigma ** 2 + m / gain);
        }
      }
      const snr = Number(s.object.extra!.arc_snr);
      expect(Math.abs(Math.sqrt(s2) - snr) / snr).toBeLessThan(0.02);
      expect(typeof lensVisible(s.object.extra!)).toBe('boolean');
    }
  });

  it('tidal surface brightness is recorded on tidal objects only, in a plausible range', () => {
    const tidal = scenes.filter((s) => s.object.truth === 'tidal');
    expect(tidal.length).toBeGreaterThan(10);
    for (const s of scenes) expect('tidal_sb_r' in s.object.extra!).toBe(s.object.truth === 'tidal');
    for (const s of tidal) {
      const sb = Number(s.object.extra!.tidal_sb_r);
      expect(sb).toBeGreaterThan(18);
      expect(sb).toBeLessThan(32);
    }
    expect(TIDAL_VISIBLE_SB).toBeGreaterThan(24);
  });
});
