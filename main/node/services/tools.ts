/**
 * The Engine's workspace-free facades, one per concept folder: ingest
 * sources (the one ingest plan, the synthetic survey), the demo pipeline,
 * installed models and execution providers, FITS files and SAMP clients.
 * The CLI reaches them as `engine.tools`, never by importing the modules.
 * The heavy ones (decoders, ONNX Runtime, the demo pipeline) load on first
 * use, so a command starts without them.
 */
import type { AppError } from '@app/core/errors';
import type { DemoOptions } from '../discovery/demo-pipeline';
import { DEFAULT_BATCH } from '../encoder/embed-job';
import { parseShard } from '../cluster/shards';
import type { MergeOptions } from '../cluster/merge';
import type { SlurmOptions } from '../cluster/slurm';
import { KNOWN_PROVIDERS, parseProviders, supportedBackends, unavailableReason, type ProviderName } from '../encoder/providers';
import { INGEST_DEFAULTS, type IngestHooks } from '../ingest/plan-defaults';
import { skippedSummary } from '../ingest/report';
import type { SynthIntoOptions } from '../ingest/synth-source';
import type { IngestStartInput } from '@app/contracts/ingest';
import { addModel, latentSkyHome, listModels, removeModel, resolveModel } from '../models/registry';
import { DEFAULT_PCA, DEFAULT_UMAP } from '../projection/types';
import { SampClient, type SampClientOptions } from '../samp/client';
import { Workspace } from '../workspace/workspace';
import { isUnfinishedDemo } from '../discovery/demo-workspace';

export const toolsFacade = {
  ingest: {
    defaults: INGEST_DEFAULTS,
    skippedSummary,
    async into(dir: string, input: IngestStartInput, hooks: IngestHooks & { onNote?: (note: string) => void } = {}) {
      return (await import('../ingest/plan')).ingestInto(dir, input, hooks);
    },
  },
  /** cluster embedding: shard specs, assembling shards, Slurm job scripts */
  cluster: {
    parseShard,
    merge: async (dir: string, o?: MergeOptions) => (await import('../cluster/merge')).mergeShards(dir, o),
    slurm: async (o: SlurmOptions, defaultCommand: string) => (await import('../cluster/slurm')).writeSlurmScripts(o, defaultCommand),
  },
  synth: { into: async (dir: string, o: SynthIntoOptions) => (await import('../ingest/synth-source')).synthInto(dir, o) },
  demo: {
    run: async (o: DemoOptions) => (await import('../discovery/demo-pipeline')).runDemo(o),
    rareClasses: async () => (await import('../discovery/demo-pipeline')).RARE_CLASSES,
    isUnfinished: isUnfinishedDemo,
  },
  models: {
    home: latentSkyHome,
    list: listModels,
    add: addModel,
    remove: removeModel,
    resolve: resolveModel,
    providers: KNOWN_PROVIDERS,
    parseProviders,
    supportedBackends,
    unavailableReason,
    defaultBatch: DEFAULT_BATCH,
    /** opens the model on one provider and releases it again: null when it works, else why not */
    async tryProvider(modelPath: string, provider: ProviderName): Promise<string | null> {
      const { Encoder, ortReason } = await import('../encoder/session');
      try {
        await (await Encoder.open(modelPath, { providers: [provider] })).release();
        return null;
      } catch (e) {
        const a = ((e as AppError).detail as { attempts?: { reason?: string }[] } | undefined)?.attempts;
        return a?.[0]?.reason ?? ortReason(e);
      }
    },
  },
  projection: { pca: DEFAULT_PCA, umap: DEFAULT_UMAP },
  fits: {
    read: async (path: string, o?: Parameters<typeof import('../fits/read-file').readFitsFile>[1]) => (await import('../fits/read-file')).readFitsFile(path, o),
  },
  samp: { client: (opts: SampClientOptions) => new SampClient(opts) },
  workspace: {
    isWorkspace: (dir: string) => Workspace.isWorkspace(dir),
    /** the summary of `latent-sky info` (read-only) */
    stats(dir: string) {
      const ws = Workspace.open(dir, { readonly: true });
      try {
        return ws.info();
      } finally {
        ws.close();
      }
    },
  },
};
