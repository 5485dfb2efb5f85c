/** The CLI's one door: an in-process Engine, opened on a workspace for one command. */
import { Engine } from '../node/services/engine';

export { Engine };

/** runs `fn` with an engine that has `dir` open; closes both afterwards */
export async function withWorkspace<T>(dir: string, opts: { readonly?: boolean }, fn: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = Engine.inProcess();
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
export type { Hdu } from '../../app/fits/index';
export type { NeighbourRequest } from '../node/vectors/facade';
export type { InstalledModel } from '../node/models/registry';
export type { ProviderName } from '../node/encoder/providers';
export type { SampClient } from '../node/samp/client';
