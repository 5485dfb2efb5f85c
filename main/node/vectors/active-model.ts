/**
 * The one active-model policy, for the CLI and the app alike: an explicitly
 * requested model (it must have embeddings); else the workspace's chosen
 * model (kv 'activeModel', set by every embedding run that finishes) while it
 * has embedded rows; else the model with the most embedded rows (ties by
 * key). Only embeddings (encoder or pixel baseline) set the choice.
 */
import { AppError } from '@app/core/errors';
import type { Workspace } from '../workspace/workspace';

const KV_ACTIVE = 'activeModel';

/** the model views, the probe and the index use; null when nothing is embedded */
export function chooseModel(ws: Workspace, requested?: string): string | null {
  const models = ws.embeddingModels().filter((m) => m.done > 0);
  if (requested) {
    if (!models.some((m) => m.modelKey === requested)) {
      const known = models.map((m) => m.modelKey).join(', ') || 'none';
      throw new AppError('NO_EMBEDDINGS', `no embeddings for model '${requested}' in ${ws.manifest.name} (have: ${known})`);
    }
    return requested;
  }
  const chosen = ws.kv.get<string>(KV_ACTIVE);
  if (chosen && models.some((m) => m.modelKey === chosen)) return chosen;
  return models.sort((a, b) => b.done - a.done || a.modelKey.localeCompare(b.modelKey))[0]?.modelKey ?? null;
}

/** like chooseModel, NO_EMBEDDINGS when nothing is embedded */
export function requireModel(ws: Workspace, requested?: string): string {
  const key = chooseModel(ws, requested);
  if (!key) throw new AppError('NO_EMBEDDINGS', `${ws.manifest.name} has no embeddings yet: run Embed (latent-sky embed) first`);
  return key;
}

/** records the model an embedding run just finished as the workspace's choice */
export function setActiveModel(ws: Workspace, modelKey: string): void {
  ws.kv.set(KV_ACTIVE, modelKey);
}
