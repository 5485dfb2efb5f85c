/**
 * Validation of a model folder's manifest.json against the ModelManifest
 * schema (app/encoder/manifest.ts): types, required fields, every preprocess
 * op and its parameters, output dims, and that the preprocessing turns
 * cutouts with `bands` into exactly the declared input [C, H, W].
 * Problems are collected; the thrown AppError('MODEL_INVALID') names the file
 * and the first problem on one line and carries all of them in `detail`.
 */
import { AppError } from '../core/errors';
import type { ModelManifest, PreprocessStep } from './manifest';
import { preprocessShape } from './preprocess';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const numArr = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);
const strArr = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isStr);
const size2 = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(isPosInt);

/** Required keys and their checks for each op (beyond `op`). */
const OPS: Record<PreprocessStep['op'], Record<string, [(v: unknown) => boolean, string]>> = {
  select_bands: { bands: [strArr, 'a non-empty list of band names'] },
  center_crop: { size: [size2, '[height, width] positive integers'] },
  resize: {
    size: [size2, '[height, width] positive integers'],
    method: [(v) => v === 'bilinear' || v === 'area' || v === 'nearest', "'bilinear', 'area' or 'nearest'"],
  },
  nan_to_num: { value: [isNum, 'a finite number'] },
  scale: { factors: [numArr, 'a list of numbers (one per plane)'] },
  sky_asinh: {
    k: [(v) => isNum(v) && v > 0, 'a positive number'],
    minSigma: [(v) => numArr(v) && v.every((x) => x > 0), 'a list of positive numbers (one per plane)'],
  },
  asinh: {
    softening: [(v) => numArr(v) && v.every((x) => x > 0), 'a list of positive numbers (one per plane)'],
    multiplier: [isNum, 'a finite number'],
  },
  legacysurvey_rgb: {
    scales: [(v) => isObj(v) && Object.values(v).every(isNum), 'an object band -> number'],
    offset: [isNum, 'a finite number'],
    Q: [(v) => isNum(v) && v > 0, 'a positive number'],
    outputOrder: [strArr, 'a non-empty list of band names'],
  },
  normalize: {
    mean: [numArr, 'a list of numbers (one per plane)'],
    std: [(v) => numArr(v) && v.every((x) => x !== 0), 'a list of non-zero numbers (one per plane)'],
  },
  clip: { min: [isNum, 'a finite number'], max: [isNum, 'a finite number'] },
};

function checkTensor(v: unknown, where: string, problems: string[]): void {
  if (!isObj(v)) return void problems.push(`${where} must be an object {name, shape, dtype}`);
  if (!isStr(v.name)) problems.push(`${where}.name must be a non-empty string`);
  if (!Array.isArray(v.shape) || v.shape.length !== 4 || !v.shape.every((d) => isPosInt(d) || isStr(d))) {
    problems.push(`${where}.shape must be [batch, C, H, W] (positive integers or symbolic names)`);
  } else if (!v.shape.slice(1).every(isPosInt)) {
    problems.push(`${where}.shape: C, H and W must be fixed positive integers`);
  }
  if (v.dtype !== 'float32' && v.dtype !== 'float16') problems.push(`${where}.dtype must be 'float32' or 'float16'`);
}

function checkSteps(v: unknown, problems: string[]): boolean {
  if (!Array.isArray(v)) return (problems.push('preprocess must be a list of steps'), false);
  let ok = true;
  v.forEach((step, i) => {
    const where = `preprocess[${i}]`;
    if (!isObj(step) || typeof step.op !== 'string') return void (problems.push(`${where} must be an object with an 'op'`), (ok = false));
    const spec = OPS[step.op as PreprocessStep['op']];
    if (!spec) {
      problems.push(`${where}: unknown op '${step.op}' (known: ${Object.keys(OPS).join(', ')})`);
      ok = false;
      return;
    }
    for (const [key, [check, what]] of Object.entries(spec)) {
      if (!check(step[key])) {
        problems.push(`${where} ${step.op}: '${key}' must be ${what}`);
        ok = false;
      }
    }
    if (step.op === 'clip' && isNum(step.min) && isNum(step.max) && step.min > step.max) {
      problems.push(`${where} clip: min > max`);
      ok = false;
    }
  });
  return ok;
}

function checkOutputs(v: unknown, problems: string[]): void {
  if (!isObj(v)) return void problems.push('outputs must be an object {embedding, patchTokens?}');
  const e = v.embedding;
  if (!isObj(e) || !isStr(e.name) || !isPosInt(e.dim)) problems.push('outputs.embedding must be {name: string, dim: positive integer}');
  if (v.patchTokens !== undefined) {
    const p = v.patchTokens;
    if (!isObj(p) || !isStr(p.name) || !isPosInt(p.dim) || !size2(p.grid)) {
      problems.push('outputs.patchTokens must be {name: string, dim: positive integer, grid: [rows, cols]}');
    } else if (isObj(e) && p.name === e.name) problems.push('outputs.patchTokens.name must differ from outputs.embedding.name');
  }
}

/** Validate parsed manifest.json content; `where` names the file in messages. */
export function validateManifest(raw: unknown, where: string): ModelManifest {
  const problems: string[] = [];
  if (!isObj(raw)) throw new AppError('MODEL_INVALID', `${where}: manifest must be a JSON object`);
  if (raw.format !== 'latent-sky-model') problems.push("format must be 'latent-sky-model'");
  if (raw.formatVersion !== 1) problems.push(`formatVersion must be 1 (got ${JSON.stringify(raw.formatVersion)})`);
  for (const k of ['name', 'version', 'licence', 'file'] as const) if (!isStr(raw[k])) problems.push(`${k} must be a non-empty string`);
  if (isStr(raw.file) && (raw.file.includes('..') || raw.file.startsWith('/') || raw.file.includes('\\'))) {
    problems.push('file must be a plain file name inside the model folder');
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') problems.push('description must be a string');
  checkTensor(raw.input, 'input', problems);
  if (!strArr(raw.bands)) problems.push('bands must be a non-empty list of band names');
  if (!isNum(raw.pixscale) || raw.pixscale <= 0) problems.push('pixscale must be a positive number (arcsec/pixel)');
  const stepsOk = checkSteps(raw.preprocess, problems);
  checkOutputs(raw.outputs, problems);
  if (!['cosine', 'l2', 'ip'].includes(raw.metric as string)) problems.push("metric must be 'cosine', 'l2' or 'ip'");
  if (raw.training !== undefined && !isObj(raw.training)) problems.push('training must be an object');

  if (stepsOk && strArr(raw.bands) && problems.length === 0) {
    const input = raw.input as ModelManifest['input'];
    try {
      const s = preprocessShape(raw.preprocess as PreprocessStep[], { bands: raw.bands, height: null, width: null });
      const [, c, h, w] = input.shape as number[];
      if (s.height === null || s.width === null) problems.push('preprocess never fixes the image size: add center_crop or resize');
      else if (s.bands.length !== c || s.height !== h || s.width !== w) {
        problems.push(`preprocess produces [${s.bands.length},${s.height},${s.width}] but input.shape is [${c},${h},${w}]`);
      }
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) {
    const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
    throw new AppError('MODEL_INVALID', `${where}: ${problems[0]}${more}`, { problems });
  }
  return raw as unknown as ModelManifest;
}
