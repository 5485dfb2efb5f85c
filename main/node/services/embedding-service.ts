/**
 * Embedding jobs (the encoder's embed job, or the pixel-pca baseline when no
 * model is installed) and 2-D projections for the scatter view (the
 * projection module: worker thread, cached in the workspace).
 */
import { AppError } from '@app/core/errors';
import type { EmbeddingService, ProjectionMethod } from '@app/contracts';
import { runFeaturesJob } from '../features/features-job';
import { computeProjection, loadProjection } from '../projection/projection-service';
import { defaultParams } from '../projection/types';
import { setActiveModel } from '../vectors/active-model';
import { vectorsFacade } from '../vectors/facade';
import { activeModel, activeView } from '../vectors/active-view';
import { buildActiveIndex } from '../vectors/neighbour-index';
import type { EngineContext } from '../session/context';
import type { JobBody } from '../session/jobs';
import { embedPixels, PIXEL_MODEL } from '../vectors/pixel-embedding';
import { workspaceInfo } from './workspace-info';

export function projectionJob(ctx: EngineContext, method: ProjectionMethod): JobBody {
  return async (progress, signal) => {
    const view = activeView(ctx);
    await computeProjection(ctx.ws(), view, defaultParams(method), {
      force: true,
      signal,
      onProgress: (p) => progress(p.done, p.total, `${method.toUpperCase()}: ${p.stage}`),
    });
    ctx.bus.emit({ type: 'projection', model: view.modelKey, method });
  };
}

export function embedJob(ctx: EngineContext, model: string | null): JobBody {
  return async (progress, signal) => {
    const ws = ctx.ws();
    if (model === PIXEL_MODEL) {
      await embedPixels(ws, progress, signal);
      setActiveModel(ws, PIXEL_MODEL);
    } else {
      await vectorsFacade(ctx).embed({ model, signal, onProgress: (p) => progress(p.done, p.total, `encoding (${p.rate.toFixed(0)} img/s)`) });
    }
    await runFeaturesJob({ workspace: ws.dir, signal, onProgress: (d, t) => progress(d, t, 'morphology features') });
    ctx.invalidate('view:');
    await buildActiveIndex(ctx, progress, signal);
    ctx.announce(workspaceInfo(ctx));
    await projectionJob(ctx, 'pca')(progress, signal);
  };
}

export function embeddingService(ctx: EngineContext): EmbeddingService {
  return {
    async projection({ method }) {
      const model = activeModel(ctx);
      if (!model) throw new AppError('NO_EMBEDDINGS', `${ctx.ws().manifest.name} has no complete embeddings yet: run Embed first`);
      const p = loadProjection(ctx.ws(), model, method);
      if (!p) throw new AppError('NOT_FOUND', `no ${method.toUpperCase()} projection of '${model}' in ${ctx.ws().manifest.name} yet: compute it`);
      return { method, model, xy: p.xy };
    },
    async startEmbed({ model }) {
      ctx.ws();
      return ctx.jobs.start('embed', `Embedding with ${model ?? 'the default model'}`, embedJob(ctx, model));
    },
    async startProjection({ method }) {
      ctx.ws();
      return ctx.jobs.start('project', `${method.toUpperCase()} projection`, projectionJob(ctx, method));
    },
  };
}
