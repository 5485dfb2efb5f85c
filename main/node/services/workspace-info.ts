import type { WorkspaceInfo } from '@app/contracts';
import { activeModel } from '../vectors/active-view';
import type { EngineContext } from '../session/context';
import { activeModelMeta } from './patch-service';
import { loadProjection } from '../projection/projection-service';
import { indexInfo } from '../vectors/neighbour-index';

/** The contract's summary of the open workspace (null when none is open). */
export function workspaceInfo(ctx: EngineContext): WorkspaceInfo | null {
  const ws = ctx.open;
  if (!ws) return null;
  const model = activeModel(ctx);
  const n = ws.count();
  const index = indexInfo(ctx);
  return {
    path: ws.dir,
    name: ws.manifest.name,
    count: n,
    bands: [...ws.manifest.cutout.bands],
    columns: ws.columns(),
    truthClasses: Object.keys(ws.truthCounts()).sort(),
    models: ws
      .embeddingModels()
      .filter((m) => m.done === n)
      .map((m) => m.modelKey),
    activeModel: model,
    projections: model ? (['pca', 'umap'] as const).filter((m) => loadProjection(ws, model, m) !== null) : [],
    hasIndex: index.state === 'ready',
    index,
    hasPatchTokens: Boolean(activeModelMeta(ctx)?.patchTokens),
    pixels: ws.hasPixels,
  };
}
