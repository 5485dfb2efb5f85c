/**
 * The embedding the views and the probe use: the workspace's 'activeModel'
 * (kv) when it is complete, else the first model whose embeddings cover
 * every object. Its discovery view (unit rows, F's embedding-view) is loaded
 * once per workspace and kept in memory.
 */
import { AppError } from '../../../app/core/errors';
import { loadEmbeddingView, type EmbeddingView } from '../discovery/embedding-view';
import type { EngineContext } from './context';

export function activeModel(ctx: EngineContext): string | null {
  const ws = ctx.ws();
  const n = ws.count();
  const models = ws.embeddingModels().filter((m) => m.done === n && n > 0);
  const chosen = ws.kv.get<string>('activeModel');
  return models.find((m) => m.modelKey === chosen)?.modelKey ?? models[0]?.modelKey ?? null;
}

export function activeView(ctx: EngineContext): EmbeddingView {
  const model = activeModel(ctx);
  if (!model) throw new AppError('NO_EMBEDDINGS', `${ctx.ws().manifest.name} has no complete embeddings yet: run Embed first`);
  return ctx.cached(`view:${model}`, () => loadEmbeddingView(ctx.ws(), model));
}
