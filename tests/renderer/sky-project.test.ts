/**
 * The sky map's projector for loops over every object (renderer/src/gfx/sky-project.ts): from
 * precomputed unit vectors / Hammer positions it must put each object where the angle-based
 * pointToScreen (SkyMap.toScreen) does, hide the same far-side objects, for any centre and zoom.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { pointToScreen, SkyProjector, type SkyFrame } from '@renderer/src/gfx/sky-project';

const N = 5000;
const rng = createRng(4);
const ra = Float32Array.from({ length: N }, () => rng.uniform(0, 360));
const dec = Float32Array.from({ length: N }, () => (Math.asin(rng.uniform(-1, 1)) * 180) / Math.PI);

describe('sky projector', () => {
  const frames: SkyFrame[] = [
    { mode: 'globe', ra0: 0, dec0: 0, camX: 0, camY: 0, zoom: 1, right: 1.2, top: 1.2, width: 600, height: 600 },
    { mode: 'globe', ra0: 202.5, dec0: 47.2, camX: 0.1, camY: -0.05, zoom: 40, right: 1.5, top: 1, width: 900, height: 600 },
    { mode: 'globe', ra0: 359, dec0: -89, camX: 0, camY: 0, zoom: 3, right: 1, top: 1, width: 400, height: 300 },
    { mode: 'aitoff', ra0: 0, dec0: 0, camX: 0.3, camY: 0.2, zoom: 2, right: 3, top: 1.6, width: 800, height: 420 },
  ];

  it('puts every object where the angle-based projection does, and hides the same far side', () => {
    const proj = new SkyProjector(ra, dec, 180);
    for (const f of frames) {
      const project = proj.project(f),
        out = new Float64Array(2);
      let hidden = 0,
        disagree = 0,
        worst = 0;
      for (let i = 0; i < N; i++) {
        const ref = pointToScreen(f, ra[i], dec[i], 180);
        const seen = project(i, out);
        if (ref === null) hidden++;
        // only an object within float32 rounding of the horizon may fall on the other side
        if ((ref === null) === seen) disagree++;
        if (ref === null || !seen) continue;
        worst = Math.max(worst, Math.abs(out[0] - ref[0]), Math.abs(out[1] - ref[1]));
      }
      expect(disagree).toBeLessThanOrEqual(1);
      // pixels at zoom 40 on 900 px: float32 unit vectors keep objects well under a pixel
      expect(worst).toBeLessThan(0.05);
      if (f.mode === 'globe') expect(hidden / N).toBeGreaterThan(0.4);
      else expect(hidden).toBe(0);
    }
  });
});
