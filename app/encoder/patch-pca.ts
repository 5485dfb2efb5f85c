/**
 * The inspector's patch-feature overlay: PCA of one object's patch tokens
 * (N = rows*cols tokens of dimension D') down to 3 components, each mapped to
 * 0..1 by its own min/max over the grid, giving an RGB grid. Exact
 * eigen-decomposition of the D'xD' covariance (app/ml/pca), so the colours
 * are deterministic (components sign-fixed by app/ml/pca's convention).
 */
import type { PatchOverlay } from '../contracts/types';
import { pcaFit, pcaTransform } from '../ml/pca';

export interface PatchPcaResult {
  rows: number;
  cols: number;
  /** rows x cols x 3 in 0..1, grid order (row 0 = first token row = first image row of the model input) */
  rgb: Float32Array;
  /** fraction of the tokens' variance each of the 3 components explains */
  explained: Float64Array;
}

export function patchPca(tokens: Float32Array, rows: number, cols: number, dim: number): PatchPcaResult {
  const n = rows * cols;
  if (tokens.length !== n * dim) throw new RangeError(`patch tokens: ${tokens.length} values for a ${rows}x${cols}x${dim} grid`);
  const k = Math.min(3, dim);
  const model = pcaFit(tokens, dim, k);
  const proj = pcaTransform(model, tokens);
  const rgb = new Float32Array(n * 3);
  for (let c = 0; c < k; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = proj[i * k + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo;
    for (let i = 0; i < n; i++) rgb[i * 3 + c] = span > 0 ? (proj[i * k + c] - lo) / span : 0.5;
  }
  for (let c = k; c < 3; c++) for (let i = 0; i < n; i++) rgb[i * 3 + c] = 0.5;
  const explained = new Float64Array(3);
  explained.set(model.explainedVarianceRatio.subarray(0, k));
  return { rows, cols, rgb, explained };
}

/**
 * The contract's PatchOverlay (bytes, row 0 at the TOP of the displayed image):
 * token row 0 is the first array row of the cutout, which is the FITS bottom row,
 * so the grid is flipped vertically.
 */
export function toPatchOverlay(idx: number, r: PatchPcaResult): PatchOverlay {
  const { rows, cols } = r;
  const rgb = new Uint8Array(rows * cols * 3);
  for (let y = 0; y < rows; y++) {
    const src = (rows - 1 - y) * cols * 3;
    for (let i = 0; i < cols * 3; i++) rgb[y * cols * 3 + i] = Math.round(r.rgb[src + i] * 255);
  }
  return { idx, rows, cols, rgb, explained: Array.from(r.explained) };
}
