/**
 * The CLI's one door: an in-process Engine, opened on a workspace for one
 * command, and the Engine's workspace-free tools. The Engine loads on first
 * use, so commands that need only the tools start quickly.
 */
import type { Engine } from '../node/services/engine';
import type { EngineOptions } from '../node/session/context';
import { toolsFacade } from '../node/services/tools';

export type { Engine, EngineOptions };
export const tools = toolsFacade;

/** an engine for this process (state and models under the Latent Sky home) */
export async function inProcessEngine(extra: Pick<EngineOptions, 'samp'> = {}): Promise<Engine> {
  const { Engine } = await import('../node/services/engine');
  return Engine.inProcess(extra);
}

/** runs `fn` with an engine that has `dir` open; closes both afterwards */
export async function withWorkspace<T>(dir: string, opts: { readonly?: boolean }, fn: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = await inProcessEngine();
  try {
    engine.use(dir, opts);
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export type { Label } from '../node/workspace/labels';
export type { EmbeddingFormat, TableFormat } from '../node/export/write-export';
export type { EmbedProgress, EmbedReport } from '../node/encoder/embed-job';
export type { EmbedStartInfo } from '../node/encoder/embed-messages';
export type { ProjectionParams } from '../node/projection/types';
export type { WorkspaceStats } from '../node/workspace/info';
export type { DemoReport } from '../node/discovery/demo-pipeline';
export type { IngestProgress, IngestReport } from '../node/ingest/report';
export type { Hdu } from '@app/fits/index';
export type { NeighbourRequest } from '../node/vectors/facade';
export type { InstalledModel } from '../node/models/registry';
export type { ProviderName } from '../node/encoder/providers';
export type { Delivery, SampClient } from '../node/samp/client';
