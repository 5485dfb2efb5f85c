import type { CutoutService } from '@app/contracts';
import { fetchRemoteCutout } from '../ingest/legacysurvey/remote-cutout';
import type { EngineContext } from '../session/context';

/**
 * Cutout pixels (float32 planes); the renderer applies display stretches itself.
 * A workspace without pixels fetches them from the Legacy Survey (cached), or says "no pixels offline".
 */
export function cutoutService(ctx: EngineContext): CutoutService {
  return {
    async get({ idx }) {
      const ws = ctx.ws();
      const c = ws.hasPixels ? ws.getCutout(idx) : await fetchRemoteCutout(ws, idx);
      return { idx, bands: c.bands, width: c.width, height: c.height, pixscale: c.pixscale, unit: c.unit, data: c.data };
    },
    // any workspace: the object's ra/dec and the workspace's cutout spec (a workspace with pixels keeps its own image)
    async layer({ idx, layer }) {
      const ws = ctx.ws();
      const c = layer === 'ls-dr10' && ws.hasPixels ? ws.getCutout(idx) : await fetchRemoteCutout(ws, idx, { layer });
      return { idx, bands: c.bands, width: c.width, height: c.height, pixscale: c.pixscale, unit: c.unit, data: c.data };
    },
  };
}
