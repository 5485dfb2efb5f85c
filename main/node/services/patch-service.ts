/**
 * Patch-feature overlays: the active model's patch tokens for one object,
 * computed on demand (one encoder run), reduced to RGB by PCA (app/encoder/patch-pca).
 * The encoder session is opened once and kept for the workspace.
 */
import { AppError } from '../../../app/core/errors';
import type { PatchService } from '../../../app/contracts';
import { patchPca, toPatchOverlay } from '../../../app/encoder/patch-pca';
import { Preprocessor } from '../../../app/encoder/preprocess';
import { Encoder } from '../encoder/session';
import { activeModel } from './active-model';
import { inputRegion } from './input-region';
import type { EngineContext } from './context';

interface ModelMeta { dir?: string; patchTokens?: { name: string; dim: number; grid: [number, number] } | null }

export function activeModelMeta(ctx: EngineContext): ModelMeta | null {
  const key = activeModel(ctx);
  if (!key) return null;
  return (ctx.ws().embeddingModels().find((m) => m.modelKey === key)?.meta as ModelMeta | null) ?? null;
}

export function patchService(ctx: EngineContext): PatchService {
  return {
    async overlay({ idx }) {
      const meta = activeModelMeta(ctx);
      if (!meta?.dir || !meta.patchTokens) throw new AppError('NOT_FOUND', `the active model of ${ctx.ws().manifest.name} has no patch tokens (overlays need an encoder model that exports them)`);
      const dir = meta.dir;
      const enc = await ctx.cached(`encoder:${dir}`, () => Encoder.open(dir));
      const m = enc.manifest;
      const cutout = ctx.ws().getCutout(idx);
      const shape = m.input.shape.slice(1) as [number, number, number];
      const pre = new Preprocessor(m.preprocess, { bands: cutout.bands, height: cutout.height, width: cutout.width }, shape);
      const input = new Float32Array(pre.size);
      pre.run(cutout, input);
      const out = await enc.run(input, 1, { patchTokens: true });
      if (!out.patchTokens) throw new AppError('MODEL_INVALID', `${dir}: the model returned no patch tokens`);
      const [rows, cols] = meta.patchTokens.grid;
      return { ...toPatchOverlay(idx, patchPca(out.patchTokens, rows, cols, meta.patchTokens.dim)), region: inputRegion(m.preprocess, cutout.height, cutout.width) };
    },
  };
}
