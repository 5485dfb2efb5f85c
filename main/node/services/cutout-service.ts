import type { CutoutService } from '../../../app/contracts';
import type { EngineContext } from '../session/context';

/** Cutout pixels (float32 planes); the renderer applies display stretches itself. */
export function cutoutService(ctx: EngineContext): CutoutService {
  return {
    async get({ idx }) {
      const c = ctx.ws().getCutout(idx);
      return { idx, bands: c.bands, width: c.width, height: c.height, pixscale: c.pixscale, unit: c.unit, data: c.data };
    },
  };
}
