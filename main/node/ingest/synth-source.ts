/**
 * The synthetic survey as an ingest source: fills a workspace (created with
 * the given cutout geometry when missing) with synthetic objects, resumable,
 * through workspace/synth-fill.ts.
 */
import { AppError } from '@app/core/errors';
import { fillSynthetic, type FillOptions, type FillResult } from '../workspace/synth-fill';
import { Workspace, type CreateOptions } from '../workspace/workspace';

export interface SynthIntoOptions extends FillOptions {
  /** for a new workspace */
  create: CreateOptions;
  /** the size was given explicitly (a clash with an existing workspace is an error) */
  explicitSize?: boolean;
}

export async function synthInto(dir: string, o: SynthIntoOptions): Promise<FillResult & { workspace: string; objects: number }> {
  const isNew = !Workspace.isWorkspace(dir);
  const ws = isNew ? Workspace.create(dir, o.create) : Workspace.open(dir);
  try {
    const spec = ws.manifest.cutout;
    if (!isNew && o.explicitSize && o.create.cutout.size !== spec.size)
      throw new AppError('CONFLICT', `${ws.dir} holds ${spec.size}x${spec.size} cutouts; --size ${o.create.cutout.size} applies to new workspaces only`);
    const r = await fillSynthetic(ws, o);
    return { ...r, workspace: ws.dir, objects: ws.count() };
  } finally {
    ws.close();
  }
}
