/**
 * `latent-sky demo`: the whole discovery loop on the built-in synthetic
 * survey. Each step is resumable and skipped when already done:
 *   synth → embed (default model) → morphology features → index → PCA (→ UMAP) → for each rare class
 *   a simulated astronomer (3 known examples, active-learning rounds answered
 *   from the synthetic truth).
 * Simulation results are kept in kv 'demo' by (model, feature set, exploit,
 * rounds, labels per round, seed), so a rerun prints them without recomputing.
 */
import { AppError } from '@app/core/errors';
import { DEFAULT_EXPLOIT } from '@app/ml/active-learning';
import type { FeatureSet } from '@app/ml/representation';
import { runEmbedJob } from '../encoder/embed-job';
import { runFeaturesJob } from '../features/features-job';
import { ensureIndex } from '../index/index-service';
import { computeProjection } from '../projection/projection-service';
import { DEFAULT_PCA, DEFAULT_UMAP } from '../projection/types';
import { Workspace } from '../workspace';
import { fillSynthetic } from '../workspace/synth-fill';
import { loadEmbeddingView } from './embedding-view';
import { simulateSearch, type SimulationResult, type SimulationRow } from './simulate';
import { visibilityRules, type VisibilityRule } from './visibility-rules';

export const RARE_CLASSES = ['lens', 'ring', 'tidal', 'merger'];

/** the simulated search of a class: a name the contract's name rule accepts (letters, digits, space, - _ .) */
export const demoSearchName = (cls: string): string => `demo-${cls}`;

export interface DemoOptions {
  dir: string;
  count: number;
  seed: number;
  /** model folder (resolved by the caller) */
  modelDir: string;
  umap: boolean;
  classes?: string[];
  rounds?: number;
  perRound?: number;
  startExamples?: number;
  /** the probe's representation (default 'both') */
  features?: FeatureSet;
  /** share of suggestions from the top of the ranking (default DEFAULT_EXPLOIT) */
  exploit?: number;
  signal?: AbortSignal;
  /** a step starts (name) or ends (name, status, seconds) */
  onStep?: (step: string, status: 'start' | 'done' | 'skipped', seconds?: number, note?: string) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
  onRound?: (className: string, row: SimulationRow) => void;
}

export interface DemoReport {
  dir: string;
  objects: number;
  model: string;
  features: FeatureSet;
  exploit: number;
  /** per class with a visibility rule: what "visible" means */
  visibility: Record<string, VisibilityRule>;
  steps: { step: string; status: 'done' | 'skipped'; seconds: number; note?: string }[];
  searches: SimulationResult[];
  /** rare classes not simulated (too few members) */
  skipped: { className: string; members: number }[];
  seconds: number;
}

interface DemoCache {
  key: string;
  results: SimulationResult[];
}

export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const t0 = performance.now();
  const steps: DemoReport['steps'] = [];
  const step = async <T>(name: string, fn: () => Promise<{ value: T; skipped: boolean; note?: string }>): Promise<T> => {
    if (o.signal?.aborted) throw new AppError('CANCELLED', `demo cancelled before ${name}`);
    o.onStep?.(name, 'start');
    const s = performance.now();
    const r = await fn();
    const seconds = (performance.now() - s) / 1000;
    const status = r.skipped ? 'skipped' : 'done';
    steps.push({ step: name, status, seconds, note: r.note });
    o.onStep?.(name, status, seconds, r.note);
    return r.value;
  };

  await step('synth', async () => {
    const ws = Workspace.isWorkspace(o.dir)
      ? Workspace.open(o.dir)
      : Workspace.create(o.dir, { name: 'Latent Sky demo', cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
    try {
      const r = await fillSynthetic(ws, { count: o.count, seed: o.seed, signal: o.signal, onProgress: (d, t) => o.onProgress?.('synth', d, t) });
      return { value: null, skipped: r.added === 0, note: `${ws.count()} objects` };
    } finally {
      ws.close();
    }
  });

  await step('embed', async () => {
    const r = await runEmbedJob({ workspace: o.dir, model: o.modelDir, signal: o.signal, onProgress: (p) => o.onProgress?.('embed', p.done, p.total) });
    if (r.cancelled) throw new AppError('CANCELLED', `demo cancelled while embedding (${r.encoded} done; run again to continue)`);
    return { value: null, skipped: r.encoded === 0, note: `${r.info.modelKey} on ${r.info.provider}${r.encoded ? `, ${r.rate.toFixed(0)} img/s` : ''}` };
  });

  const features = o.features ?? 'both';
  const exploit = o.exploit ?? DEFAULT_EXPLOIT;
  if (features !== 'embedding') {
    await step('features', async () => {
      const r = await runFeaturesJob({ workspace: o.dir, signal: o.signal, onProgress: (d, t) => o.onProgress?.('features', d, t) });
      if (r.cancelled) throw new AppError('CANCELLED', `demo cancelled while computing morphology features (${r.computed} done; run again to continue)`);
      return { value: null, skipped: r.computed === 0, note: `${r.key}, ${r.dim} columns` };
    });
  }

  const ws = Workspace.open(o.dir);
  try {
    const view = loadEmbeddingView(ws);
    await step('index', async () => {
      const r = await ensureIndex(ws, view, { signal: o.signal, onProgress: (d, t) => o.onProgress?.('index', d, t) });
      return { value: null, skipped: r.added === 0 && !r.rebuilt, note: `${r.state.size} vectors` };
    });
    await step('pca', async () => {
      const r = await computeProjection(ws, view, DEFAULT_PCA, { signal: o.signal, onProgress: (p) => o.onProgress?.(`pca ${p.stage}`, p.done, p.total) });
      return { value: null, skipped: r.cached };
    });
    if (o.umap) {
      await step('umap', async () => {
        const r = await computeProjection(ws, view, DEFAULT_UMAP, { signal: o.signal, onProgress: (p) => o.onProgress?.(`umap ${p.stage}`, p.done, p.total) });
        return { value: null, skipped: r.cached, note: `fitted on ${String(r.meta.info.fitted)}` };
      });
    }
    const rounds = o.rounds ?? 5,
      perRound = o.perRound ?? 20,
      start = o.startExamples ?? 3;
    const key = JSON.stringify({ model: view.modelKey, n: view.n, rounds, perRound, start, seed: o.seed, features, exploit });
    const rules = visibilityRules(ws);
    const cache = ws.kv.get<Record<string, DemoCache>>('demo') ?? {};
    const truth = ws.truthColumn();
    const searches: SimulationResult[] = [];
    const skipped: DemoReport['skipped'] = [];
    for (const cls of o.classes ?? RARE_CLASSES) {
      const members = truth.filter((t, i) => t === cls && view.done[i]).length;
      if (members < start + 1) {
        skipped.push({ className: cls, members });
        continue;
      }
      const res = await step(`search ${cls}`, async () => {
        const hit = cache[cls];
        const search = demoSearchName(cls);
        // older workspaces named their searches 'demo: CLASS', which the contract's name rule rejects: redo them
        if (hit && hit.key === key && hit.results[0].search === search && ws.labels.hasSearch(search)) {
          hit.results[0].rows.forEach((row) => o.onRound?.(cls, row));
          return { value: hit.results[0], skipped: true };
        }
        const r = simulateSearch(ws, view, truth, cls, search, {
          seeds: start,
          rounds,
          perRound,
          seed: o.seed,
          features,
          exploit,
          visible: rules.visible[cls],
          signal: o.signal,
          onRound: (row) => o.onRound?.(cls, row),
        });
        cache[cls] = { key, results: [r] };
        ws.kv.set('demo', cache);
        return { value: r, skipped: false };
      });
      searches.push(res);
    }
    return {
      dir: ws.dir,
      objects: ws.count(),
      model: view.modelKey,
      features,
      exploit,
      visibility: rules.rules,
      steps,
      searches,
      skipped,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    ws.close();
  }
}
