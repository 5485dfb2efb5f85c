/** SkyService (app/contracts/sky): names on the sky and HiPS backgrounds, over main/node/sky and main/node/hips. */
import { join } from 'node:path';
import type { SkyService } from '@app/contracts/sky';
import type { EngineContext } from '../session/context';
import { HipsBackgrounds } from '../hips/hips-background';
import { NameResolver } from '../sky/names';
import { SesameResolver } from '../sky/sesame';

export function skyService(ctx: EngineContext): SkyService {
  const names = new NameResolver(new SesameResolver({ baseUrl: ctx.options.sesameUrl }));
  const hips = new HipsBackgrounds(join(ctx.options.stateDir, 'hips-cache'));
  return {
    resolveName: async ({ name, online }) => names.resolve(name, ctx.open, online),
    openHips: async ({ path }) => hips.open(path),
    hipsTile: async ({ path, order, npix }) => hips.tile(path, order, npix),
  };
}
