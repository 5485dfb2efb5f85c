/**
 * The built-in baseline embedding 'pixel-pca': per-band asinh of the flux in
 * units of a robust per-cutout sky noise, 2×2-binned, projected on the first
 * 32 principal components of the survey. Needs no model file, so a fresh
 * install (or a machine without the ONNX model) can still explore; the
 * encoder's embeddings replace it as the active model when they exist.
 */
import { AppError } from '@app/core/errors';
import { madSigma, medianInPlace } from '@app/encoder/robust';
import { CovarianceAccumulator, pcaFromAccumulator, pcaTransform } from '@app/ml/pca';
import type { Workspace } from '../workspace/workspace';
import type { Progress } from '../session/jobs';

export const PIXEL_MODEL = 'pixel-pca';
const DIM = 32;
const BATCH = 256;

/** output side of the binned central crop (12 × 12 per band: PCA on ≤ 432 dimensions stays fast) */
const SIDE = 12;

function geometry(size: number): { side: number; bin: number; off: number } {
  const side = Math.min(SIDE, size);
  const bin = Math.max(1, Math.floor(Math.min(size, 4 * SIDE) / side));
  return { side, bin, off: (size - side * bin) >> 1 };
}

function features(block: Float32Array, count: number, bands: number, size: number): Float32Array {
  const { side, bin, off } = geometry(size);
  const per = bands * side * side;
  const out = new Float32Array(count * per);
  const scratch = new Float64Array(size * size);
  for (let c = 0; c < count; c++) {
    for (let b = 0; b < bands; b++) {
      const plane = block.subarray((c * bands + b) * size * size, (c * bands + b + 1) * size * size);
      let finite = 0;
      for (const v of plane) if (Number.isFinite(v)) scratch[finite++] = v;
      const med = finite ? medianInPlace(scratch, finite) : 0;
      const sigma = Math.max(madSigma(plane, scratch), 1e-6);
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) {
          let s = 0;
          for (let dy = 0; dy < bin; dy++)
            for (let dx = 0; dx < bin; dx++) {
              const v = plane[(off + y * bin + dy) * size + off + x * bin + dx];
              s += Number.isFinite(v) ? v : med;
            }
          out[c * per + (b * side + y) * side + x] = Math.asinh((s / (bin * bin) - med) / (3 * sigma));
        }
    }
  }
  return out;
}

export async function embedPixels(ws: Workspace, progress: Progress, signal: AbortSignal): Promise<void> {
  const n = ws.count(),
    spec = ws.manifest.cutout;
  if (n < 2) throw new AppError('BAD_INPUT', `${ws.manifest.name}: pixel-pca needs at least 2 objects`);
  const side = geometry(spec.size).side;
  const dimIn = spec.bands.length * side * side;
  const acc = new CovarianceAccumulator(dimIn);
  const stride = Math.max(1, Math.floor(n / 4000));
  for (let s = 0; s < n; s += BATCH) {
    if (signal.aborted) throw new AppError('CANCELLED', 'pixel-pca embedding cancelled');
    const count = Math.min(BATCH, n - s);
    const f = features(ws.readCutoutBlock(s, count), count, spec.bands.length, spec.size);
    acc.add(f, stride);
    progress(s + count, 2 * n, 'pixel-pca: fitting components');
    await new Promise((r) => setImmediate(r));
  }
  const model = pcaFromAccumulator(acc, Math.min(DIM, dimIn));
  const m = ws.embeddings(PIXEL_MODEL, model.components.length / dimIn, { modelName: 'pixel PCA baseline', meta: { bands: spec.bands, side } });
  for (let s = 0; s < n; s += BATCH) {
    if (signal.aborted) throw new AppError('CANCELLED', 'pixel-pca embedding cancelled');
    const count = Math.min(BATCH, n - s);
    const f = features(ws.readCutoutBlock(s, count), count, spec.bands.length, spec.size);
    m.write(
      Int32Array.from({ length: count }, (_, i) => s + i),
      pcaTransform(model, f),
    );
    progress(n + s + count, 2 * n, 'pixel-pca: projecting');
    await new Promise((r) => setImmediate(r));
  }
}
