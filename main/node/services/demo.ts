/**
 * The demo workspace: the built-in synthetic survey (app/synth) written into
 * a new workspace, embedded (the default encoder model when installed, else
 * the pixel-pca baseline) and projected with PCA and UMAP — ready to explore.
 */
import { generateSurvey } from '../../../app/synth';
import { AppError } from '../../../app/core/errors';
import { resolveModel } from '../models/registry';
import { Workspace, type AddItem } from '../workspace/workspace';
import type { Progress } from './jobs';

export interface DemoOptions {
  path: string;
  count: number;
  seed: number;
  /** sky patch radius in degrees (default 6) */
  radiusDeg?: number;
}

const BATCH = 128;

/** Writes the synthetic survey into a new workspace at opts.path (closed on return). */
export async function writeDemoSurvey(opts: DemoOptions, progress: Progress, signal: AbortSignal): Promise<void> {
  const ws = Workspace.create(opts.path, { name: `demo-${opts.count}`, cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
  try {
    let batch: AddItem[] = [];
    let done = 0;
    for (const item of generateSurvey({ count: opts.count, seed: opts.seed, radiusDeg: opts.radiusDeg ?? 6 })) {
      if (signal.aborted) throw new AppError('CANCELLED', 'demo creation cancelled');
      batch.push({ object: item.object, cutout: item.cutout });
      if (batch.length === BATCH || done + batch.length === opts.count) {
        ws.addObjects(batch);
        done += batch.length;
        batch = [];
        progress(done, opts.count, 'synthesising the survey');
        await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    ws.close();
  }
}

/** the default encoder model's folder, or null when none is installed (→ pixel-pca) */
export async function defaultModelDir(): Promise<string | null> {
  try {
    return await resolveModel();
  } catch {
    return null;
  }
}
