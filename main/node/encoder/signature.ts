/**
 * Checks that a manifest agrees with the ONNX graph it names: input name,
 * rank, fixed dims and dtype from the session's metadata, output names, then
 * the real output dims of a dry run on a zero batch. Any disagreement is an
 * AppError('MODEL_MISMATCH') with one line saying what differs.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { AppError } from '@app/core/errors';
import type { ModelManifest } from '@app/encoder/manifest';

const fmt = (s: readonly (number | string)[]) => `[${s.join(',')}]`;

export function checkSignature(session: InferenceSession, m: ModelManifest, where: string): void {
  const mismatch = (what: string) => new AppError('MODEL_MISMATCH', `${where}: ${what}`);
  if (!session.inputNames.includes(m.input.name)) {
    throw mismatch(`manifest input '${m.input.name}' is not an input of the ONNX graph (inputs: ${session.inputNames.join(', ')})`);
  }
  const extra = session.inputNames.filter((n) => n !== m.input.name);
  if (extra.length) throw mismatch(`the ONNX graph needs inputs the manifest does not feed: ${extra.join(', ')}`);
  const meta = session.inputMetadata.find((x) => x.name === m.input.name);
  if (meta && meta.isTensor) {
    const real = meta.shape;
    if (real.length && real.length !== m.input.shape.length) {
      throw mismatch(`manifest input shape ${fmt(m.input.shape)} but model.onnx input '${meta.name}' is ${fmt(real)}`);
    }
    real.forEach((d, i) => {
      const want = m.input.shape[i];
      if (typeof d === 'number' && d > 0 && typeof want === 'number' && d !== want) {
        throw mismatch(`manifest input shape ${fmt(m.input.shape)} but model.onnx input '${meta.name}' is ${fmt(real)}`);
      }
    });
    if (meta.type !== m.input.dtype) throw mismatch(`manifest input dtype ${m.input.dtype} but model.onnx input is ${meta.type}`);
  }
  const outs = [m.outputs.embedding.name, ...(m.outputs.patchTokens ? [m.outputs.patchTokens.name] : [])];
  for (const o of outs) {
    if (!session.outputNames.includes(o)) {
      throw mismatch(`manifest output '${o}' is not an output of the ONNX graph (outputs: ${session.outputNames.join(', ')})`);
    }
  }
}

/** Output dims of a dry run against the manifest: embedding [B, D], patch tokens [B, rows*cols, D']. */
export function checkOutputDims(batch: number, dims: Record<string, readonly number[]>, m: ModelManifest, where: string): void {
  const mismatch = (what: string) => new AppError('MODEL_MISMATCH', `${where}: ${what}`);
  const e = m.outputs.embedding;
  const ed = dims[e.name];
  if (!ed || ed.length !== 2 || ed[0] !== batch || ed[1] !== e.dim) {
    throw mismatch(`manifest says '${e.name}' is [${batch},${e.dim}] but a dry run gives ${fmt(ed ?? [])}`);
  }
  const p = m.outputs.patchTokens;
  if (p) {
    const pd = dims[p.name];
    const n = p.grid[0] * p.grid[1];
    if (!pd || pd.length !== 3 || pd[0] !== batch || pd[1] !== n || pd[2] !== p.dim) {
      throw mismatch(`manifest says '${p.name}' is [${batch},${n},${p.dim}] (grid ${p.grid.join('x')}) but a dry run gives ${fmt(pd ?? [])}`);
    }
  }
}
