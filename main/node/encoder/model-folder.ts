/**
 * A model folder on disk: manifest.json (validated) + the ONNX file it names.
 * The model key that labels embeddings in a workspace is derived from the
 * manifest's name and version, the ONNX file's content hash and the
 * preprocessing, so retrained weights or a changed input stretch under the
 * same name never mix with old embeddings.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '@app/core/errors';
import type { ModelManifest } from '@app/encoder/manifest';
import { validateManifest } from '@app/encoder/validate';

export interface ModelFolder {
  dir: string;
  manifest: ModelManifest;
  onnxPath: string;
  /** sha256 of the ONNX file, hex */
  sha256: string;
  /** e.g. 'ls-vit-tiny-1.0.0-3fa2c1d9': safe as a file name */
  modelKey: string;
  onnxBytes: number;
}

/**
 * name-version-<8 hex>: the hash covers the ONNX file and everything in the
 * manifest that changes the vectors (input name, preprocessing, outputs).
 */
export function modelKeyOf(m: ModelManifest, onnxSha256: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  const h = createHash('sha256')
    .update(onnxSha256)
    .update(JSON.stringify([m.input, m.preprocess, m.outputs]))
    .digest('hex');
  return `${safe(m.name)}-${safe(m.version)}-${h.slice(0, 8)}`;
}

/** Read the manifest only (no hashing): for listings. */
export function readModelManifest(dir: string): ModelManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new AppError('MODEL_INVALID', `${dir}: no manifest.json (a model folder holds manifest.json + the ONNX file)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AppError('MODEL_INVALID', `${path}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return validateManifest(raw, path);
}

export function loadModelFolder(dirIn: string): ModelFolder {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('NOT_FOUND', `model folder ${dir} does not exist`);
  const manifest = readModelManifest(dir);
  const onnxPath = join(dir, manifest.file);
  if (!existsSync(onnxPath)) throw new AppError('MODEL_INVALID', `${dir}: manifest names '${manifest.file}' but the file is missing`);
  const bytes = readFileSync(onnxPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { dir, manifest, onnxPath, sha256, modelKey: modelKeyOf(manifest, sha256), onnxBytes: bytes.length };
}
