/**
 * WS/features/<set>/matrix.f32 + done.bits: hand-crafted feature blocks
 * (app/features), one N × D matrix per feature-set version and band list,
 * in exactly the embedding-matrix format (embeddings.ts: header, done bitmap,
 * rows fsync'ed before their bits are set, so resumable and kill -9 safe).
 * Their columns are catalogue columns too: `morph_<name>` (numeric, NaN
 * where the row is not computed yet), listed by Workspace.columns() once
 * any row is done, so the scatter can colour by them, filters and exports
 * can use them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { morphologyColumns, morphologyKey, type FeatureColumn } from '@app/features';
import { EmbeddingMatrix } from './embeddings';
import type { Db } from './db';

export const FEATURES_DIR = 'features';
export const FEATURE_COLUMN_PREFIX = 'morph_';

export interface FeatureSetInfo {
  key: string;
  columns: FeatureColumn[];
}

/** The morphology set a workspace with these bands stores. */
export function morphologySet(bands: readonly string[]): FeatureSetInfo {
  return { key: morphologyKey(bands), columns: morphologyColumns(bands) };
}

/** Opens (create: creates) the matrix of `set`; null when it does not exist and create is false. */
export function openFeatureMatrix(dir: string, db: Db, count: () => number, readonly: boolean, set: FeatureSetInfo, create: boolean): EmbeddingMatrix | null {
  const root = join(dir, FEATURES_DIR);
  if (!create && !existsSync(join(root, set.key, 'matrix.f32'))) return null;
  return new EmbeddingMatrix(set.key, root, db, count, readonly, create && !readonly ? { dim: set.columns.length, modelName: set.key } : undefined);
}

/** Catalogue column names of a set (morph_<name>). */
export function featureColumnNames(set: FeatureSetInfo): string[] {
  return set.columns.map((c) => FEATURE_COLUMN_PREFIX + c.name);
}

/** One column of the matrix for all N objects, NaN where not computed. */
export function readFeatureColumn(m: EmbeddingMatrix, col: number): Float64Array {
  const n = m.rows(),
    out = new Float64Array(n);
  const BLOCK = 4096;
  for (let s = 0; s < n; s += BLOCK) {
    const c = Math.min(BLOCK, n - s);
    const b = m.readBlock(s, c);
    for (let r = 0; r < c; r++) out[s + r] = b[r * m.dim + col];
  }
  return out;
}
