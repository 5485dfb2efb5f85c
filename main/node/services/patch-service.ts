/**
 * Patch-feature overlays: the active model's patch tokens for one object
 * (encoder/patch-tokens.ts: computed on demand, cached on disk, the encoder
 * session owned by the workspace session and released with it), reduced to
 * RGB in the workspace's shared patch PCA basis (encoder/patch-basis-cache).
 */
import { AppError } from '@app/core/errors';
import type { PatchService } from '@app/contracts';
import { activeModel } from '../vectors/active-view';
import { inputRegion } from '@app/encoder/input-region';
import type { EngineContext } from '../session/context';

interface ModelMeta {
  dir?: string;
  patchTokens?: { name: string; dim: number; grid: [number, number] } | null;
}

export function activeModelMeta(ctx: EngineContext): ModelMeta | null {
  const key = activeModel(ctx);
  if (!key) return null;
  return (
    (ctx
      .ws()
      .embeddingModels()
      .find((m) => m.modelKey === key)?.meta as ModelMeta | null) ?? null
  );
}

export function patchService(ctx: EngineContext): PatchService {
  return {
    async overlay({ idx }) {
      const meta = activeModelMeta(ctx);
      if (!meta?.dir || !meta.patchTokens)
        throw new AppError('NOT_FOUND', `the active model of ${ctx.ws().manifest.name} has no patch tokens (overlays need an encoder model that exports them)`);
      const service = ctx.session!.patchTokens(meta.dir);
      const size = ctx.ws().manifest.cutout.size;
      return { ...(await service.overlay(idx)), region: inputRegion(service.folder.manifest.preprocess, size, size) };
    },
  };
}
