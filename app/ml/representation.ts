/**
 * The representation a search's probe is fitted on: the embedding, the
 * morphology feature block, or both. Blocks are standardised separately
 * (each column z-scored over the rows that have it, clipped at ±CLIP so a
 * few extreme objects — saturated stars, bright neighbours — do not own a
 * column) and concatenated; rows without a block get 0 (its mean) there.
 * The embedding block is z-scored like the probe always did (of its L2-unit
 * rows), so `embedding` alone gives the same fit as before. k-NN and
 * similarity never use this: they stay on the embedding.
 */
import { AppError } from '../core/errors';

export const FEATURE_SETS = ['embedding', 'morphology', 'both'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];
export const DEFAULT_FEATURE_SET: FeatureSet = 'both';
export const CLIP = 8;

export function isFeatureSet(v: unknown): v is FeatureSet {
  return typeof v === 'string' && (FEATURE_SETS as readonly string[]).includes(v);
}

export interface Block {
  /** n × dim, row-major */
  data: Float32Array;
  dim: number;
  /** 1 where the row is present (default: all) */
  present?: Uint8Array;
}

/** Column z-scores of a block over its present rows, clipped; absent rows and constant columns give 0. */
export function standardiseBlock(b: Block, n: number, clip = CLIP): Float32Array {
  const { data, dim } = b;
  if (data.length !== n * dim) throw new AppError('BAD_INPUT', `block has ${data.length} values, expected ${n} × ${dim}`);
  const mean = new Float64Array(dim),
    m2 = new Float64Array(dim);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (b.present && !b.present[i]) continue;
    count++;
    const o = i * dim;
    for (let j = 0; j < dim; j++) {
      const v = data[o + j];
      mean[j] += v;
      m2[j] += v * v;
    }
  }
  const inv = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    mean[j] = count ? mean[j] / count : 0;
    const sd = count ? Math.sqrt(Math.max(0, m2[j] / count - mean[j] * mean[j])) : 0;
    inv[j] = sd > 1e-12 * (1 + Math.abs(mean[j])) ? 1 / sd : 0;
  }
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    if (b.present && !b.present[i]) continue;
    const o = i * dim;
    for (let j = 0; j < dim; j++) {
      const z = (data[o + j] - mean[j]) * inv[j];
      out[o + j] = z > clip ? clip : z < -clip ? -clip : z;
    }
  }
  return out;
}

/** Row-wise concatenation of standardised blocks: n × Σ dims. */
export function concatBlocks(blocks: { data: Float32Array; dim: number }[], n: number): { data: Float32Array; dim: number } {
  const dim = blocks.reduce((s, b) => s + b.dim, 0);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let o = i * dim;
    for (const b of blocks) {
      out.set(b.data.subarray(i * b.dim, (i + 1) * b.dim), o);
      o += b.dim;
    }
  }
  return { data: out, dim };
}

/** The probe's rows for a feature set from its blocks (already-standardised output: centre 0, scale 1). */
export function buildRepresentation(set: FeatureSet, n: number, embedding: Block, morphology: Block | null): { data: Float32Array; dim: number } {
  if (set !== 'embedding' && !morphology) throw new AppError('UNAVAILABLE', `the '${set}' representation needs the morphology features`);
  const blocks: { data: Float32Array; dim: number }[] = [];
  if (set !== 'morphology') blocks.push({ data: standardiseBlock(embedding, n), dim: embedding.dim });
  if (set !== 'embedding') blocks.push({ data: standardiseBlock(morphology!, n), dim: morphology!.dim });
  return blocks.length === 1 ? blocks[0] : concatBlocks(blocks, n);
}
