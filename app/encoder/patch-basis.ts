/**
 * One patch-feature PCA basis for a workspace and model, so overlay colours
 * mean the same on every object: fitted once over the patch tokens of a
 * stated reference set (a fixed random sample of the workspace's objects),
 * with each component's colour range set by the reference tokens' 1st and
 * 99th percentiles (values beyond are clipped). Plain JSON, so the engine
 * caches it in the workspace.
 */
import { createRng } from '../core/rng';
import { pcaFit, pcaTransform } from '../ml/pca';
import type { PatchPcaResult } from './patch-pca';

export const BASIS_COMPONENTS = 3;

export interface PatchBasis {
  dim: number;
  mean: number[];
  /** BASIS_COMPONENTS rows of dim, unit length */
  components: number[][];
  /** fraction of the reference tokens' variance each component explains */
  explained: number[];
  /** per component: the 1st and 99th percentile of the reference projections (colour 0 and 1) */
  lo: number[];
  hi: number[];
  reference: { objects: number[]; seed: number; tokens: number; workspaceCount: number };
}

/** the reference set: `size` distinct object indices drawn with a fixed seed (all objects when there are fewer), sorted */
export function referenceSample(count: number, size: number, seed: number): number[] {
  if (count <= size) return Array.from({ length: count }, (_, i) => i);
  const rng = createRng(seed);
  const idx = Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(count - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, size).sort((a, b) => a - b);
}

function percentile(sorted: Float32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * (sorted.length - 1))))];
}

/** fits the basis on the reference objects' tokens, concatenated (tokens x dim) */
export function fitPatchBasis(tokens: Float32Array, dim: number, reference: Omit<PatchBasis['reference'], 'tokens'>): PatchBasis {
  const rows = tokens.length / dim;
  if (!Number.isInteger(rows) || rows < 2) throw new RangeError(`patch basis: ${tokens.length} values are not ≥ 2 tokens of dimension ${dim}`);
  const k = Math.min(BASIS_COMPONENTS, dim);
  const model = pcaFit(tokens, dim, k);
  const proj = pcaTransform(model, tokens);
  const lo: number[] = [],
    hi: number[] = [];
  for (let c = 0; c < k; c++) {
    const v = new Float32Array(rows);
    for (let i = 0; i < rows; i++) v[i] = proj[i * k + c];
    v.sort();
    lo.push(percentile(v, 0.01));
    hi.push(percentile(v, 0.99));
  }
  const components = Array.from({ length: k }, (_, c) => Array.from(model.components.subarray(c * dim, (c + 1) * dim)));
  return {
    dim,
    mean: Array.from(model.mean),
    components,
    explained: Array.from(model.explainedVarianceRatio.subarray(0, k)),
    lo,
    hi,
    reference: { ...reference, tokens: rows },
  };
}

/** one object's tokens in the shared basis: RGB in 0..1 (clipped at the reference percentiles; 0.5 for missing components) */
export function applyPatchBasis(b: PatchBasis, tokens: Float32Array, rows: number, cols: number): PatchPcaResult {
  const n = rows * cols,
    dim = b.dim;
  if (tokens.length !== n * dim)
    throw new RangeError(`patch tokens: ${tokens.length} values for a ${rows}x${cols}x${dim} grid (the basis has dimension ${dim})`);
  const rgb = new Float32Array(n * 3).fill(0.5);
  b.components.forEach((comp, c) => {
    const span = b.hi[c] - b.lo[c];
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let d = 0; d < dim; d++) v += (tokens[i * dim + d] - b.mean[d]) * comp[d];
      rgb[i * 3 + c] = span > 0 ? Math.min(1, Math.max(0, (v - b.lo[c]) / span)) : 0.5;
    }
  });
  const explained = new Float64Array(3);
  explained.set(b.explained);
  return { rows, cols, rgb, explained };
}
