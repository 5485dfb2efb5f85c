/**
 * The identity of imported embeddings: model name, key, dimension and metric,
 * recorded with the matrix (the workspace's models table) so catalogues of
 * different models never end up in one workspace.
 */
import { AppError } from '@app/core/errors';
import type { Workspace } from '../../workspace';

export type Metric = 'cosine' | 'l2';
export const METRICS: readonly Metric[] = ['cosine', 'l2'];

export interface ImportedModel {
  key: string;
  name: string;
  dim: number;
  metric: Metric;
}

export interface ImportedMeta {
  source: 'embedding-catalogue';
  metric: Metric;
  dim: number;
  vectors: string;
  catalog: string;
  reader: string;
}

/** a model key from a model name: letters, digits, . _ - (at most 100) */
export function modelKeyOf(name: string): string {
  const k = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  if (!k) throw new AppError('BAD_INPUT', `model name '${name}' has no letters or digits to make a key from`);
  return k;
}

/**
 * CONFLICT when `ws` already holds embeddings of another model, or of this one
 * with another dimension or metric: the vectors would not be comparable.
 */
export function checkModelFits(ws: Workspace, m: ImportedModel): void {
  for (const have of ws.embeddingModels()) {
    const meta = (have.meta ?? {}) as Partial<ImportedMeta>;
    const metric = meta.metric ?? 'cosine';
    if (have.modelKey !== m.key)
      throw new AppError(
        'CONFLICT',
        `${ws.dir} holds embeddings of model '${have.modelName}' (dim ${have.dim}, ${metric}); these are '${m.name}' (dim ${m.dim}, ${m.metric}): ` +
          `vectors of different models cannot be mixed, import into another workspace`,
      );
    if (have.dim !== m.dim || metric !== m.metric)
      throw new AppError(
        'CONFLICT',
        `${ws.dir} holds '${have.modelName}' embeddings of dim ${have.dim} (${metric}); these have dim ${m.dim} (${m.metric}): same name, different vectors`,
      );
  }
}
