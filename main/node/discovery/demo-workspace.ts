/**
 * The demo workspace: the built-in synthetic survey (app/synth) rendered into
 * a new workspace by workspace/synth-fill.ts (worker threads, resumable: a demo
 * whose creation was cancelled or killed continues where it stopped), then
 * embedded (the default encoder model when installed, else the pixel-pca
 * baseline), indexed and projected with PCA and UMAP — ready to explore.
 */
import { resolveModel } from '../models/registry';
import { fillSynthetic, type SynthRun } from '../workspace/synth-fill';
import { Workspace } from '../workspace/workspace';
import type { Progress } from '../session/jobs';

export interface DemoOptions {
  path: string;
  count: number;
  seed: number;
  /** sky patch radius in degrees (default 6) */
  radiusDeg?: number;
}

export const DEMO_RADIUS_DEG = 6;

/** true when `dir` holds a demo survey whose creation stopped before every object was written */
export function isUnfinishedDemo(dir: string): boolean {
  if (!Workspace.isWorkspace(dir)) return false;
  const ws = Workspace.open(dir, { readonly: true });
  try {
    const run = ws.kv.get<SynthRun>('synth');
    return run !== undefined && run !== null && ws.count() < run.firstIdx + run.count;
  } finally {
    ws.close();
  }
}

/** Writes (or continues writing) the synthetic survey into the workspace at opts.path (closed on return). */
export async function writeDemoSurvey(opts: DemoOptions, progress: Progress, signal: AbortSignal): Promise<void> {
  const ws = Workspace.isWorkspace(opts.path)
    ? Workspace.open(opts.path)
    : Workspace.create(opts.path, { name: `demo-${opts.count}`, cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
  try {
    await fillSynthetic(ws, {
      count: opts.count,
      seed: opts.seed,
      radiusDeg: opts.radiusDeg ?? DEMO_RADIUS_DEG,
      signal,
      onProgress: (done, total) => progress(done, total, 'synthesising the survey'),
    });
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
