/**
 * The open workspace's active model (vectors/active-model.ts: the one
 * policy) and its discovery view, loaded once per workspace and kept.
 */
import { loadEmbeddingView, type EmbeddingView } from '../discovery/embedding-view';
import { chooseModel, requireModel } from './active-model';
import type { EngineContext } from '../session/context';

export function activeModel(ctx: EngineContext): string | null {
  return chooseModel(ctx.ws());
}

export function activeView(ctx: EngineContext, requested?: string): EmbeddingView {
  const model = requireModel(ctx.ws(), requested);
  return ctx.cached(`view:${model}`, () => loadEmbeddingView(ctx.ws(), model));
}
