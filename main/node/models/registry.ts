/**
 * Installed models: the bundled native-models/<name>/ folders shipped with
 * Latent Sky plus folders the user added (`latent-sky models --add DIR`),
 * recorded in $LATENT_SKY_HOME/models.json (default ~/.latent-sky). A folder
 * is validated (manifest + ONNX signature + dry run) before it is recorded.
 * The default model is the bundled one (ls-vit-tiny when present).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelInfo } from '@app/contracts';
import { AppError } from '@app/core/errors';
import { readModelManifest } from '../encoder/model-folder';
import { Encoder } from '../encoder/session';
import { writeFileAtomic } from '../workspace/fsutil';

export const DEFAULT_MODEL = 'ls-vit-tiny';

/** an installed model, as the UI lists it (the contract's ModelInfo) */
export type InstalledModel = ModelInfo;

interface UserEntry {
  path: string;
  addedAt: string;
}

/** $LATENT_SKY_HOME or ~/.latent-sky: user settings and added models. */
export function latentSkyHome(): string {
  return resolve(process.env.LATENT_SKY_HOME || join(homedir(), '.latent-sky'));
}

/** native-models/ next to the app sources, or $LATENT_SKY_MODELS_DIR (packaged builds set it). */
export function bundledModelsDir(): string {
  if (process.env.LATENT_SKY_MODELS_DIR) return resolve(process.env.LATENT_SKY_MODELS_DIR);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native-models');
}

const registryFile = () => join(latentSkyHome(), 'models.json');

function readUserEntries(): UserEntry[] {
  const f = registryFile();
  if (!existsSync(f)) return [];
  try {
    const j = JSON.parse(readFileSync(f, 'utf8'));
    return Array.isArray(j.models) ? j.models.filter((m: UserEntry) => typeof m?.path === 'string') : [];
  } catch (e) {
    throw new AppError('IO', `${f} is not valid JSON (${(e as Error).message}); fix or delete it`);
  }
}

function writeUserEntries(models: UserEntry[]): void {
  mkdirSync(latentSkyHome(), { recursive: true });
  writeFileAtomic(registryFile(), JSON.stringify({ models }, null, 2) + '\n');
}

function describe(path: string, source: InstalledModel['source']): InstalledModel {
  const base = { path, source, isDefault: false };
  try {
    const m = readModelManifest(path);
    if (!existsSync(join(path, m.file))) {
      return { ...base, name: m.name, version: m.version, dim: m.outputs.embedding.dim, valid: false, problem: `${m.file} is missing` };
    }
    return { ...base, name: m.name, version: m.version, dim: m.outputs.embedding.dim, valid: true, problem: null };
  } catch (e) {
    const problem = (e as Error).message;
    return { ...base, name: basename(path), version: '?', dim: null, valid: false, problem };
  }
}

function bundledFolders(): string[] {
  const dir = bundledModelsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'manifest.json')))
    .sort();
}

/** All installed models; `check` also loads each ONNX file on CPU and checks it against its manifest. */
export async function listModels(opts: { check?: boolean } = {}): Promise<InstalledModel[]> {
  const list = [
    ...bundledFolders().map((p) => describe(p, 'bundled')),
    ...readUserEntries().map((e) =>
      existsSync(e.path) ? describe(e.path, 'user') : { ...describe(e.path, 'user'), problem: `folder ${e.path} no longer exists` },
    ),
  ];
  if (opts.check) {
    for (const m of list.filter((x) => x.valid)) {
      try {
        await (await Encoder.open(m.path, { providers: ['cpu'], threads: 1 })).release();
      } catch (e) {
        m.valid = false;
        m.problem = (e as Error).message;
      }
    }
  }
  const def = defaultOf(list);
  if (def) def.isDefault = true;
  return list;
}

function defaultOf(list: InstalledModel[]): InstalledModel | undefined {
  const bundled = list.filter((m) => m.source === 'bundled' && m.valid);
  return bundled.find((m) => basename(m.path) === DEFAULT_MODEL) ?? bundled[0];
}

/**
 * A model folder from a --model argument: an existing directory, or the name
 * (name, name@version or folder name) of an installed model; undefined → the default.
 */
export async function resolveModel(spec?: string): Promise<string> {
  if (spec && existsSync(spec) && statSync(spec).isDirectory()) return resolve(spec);
  const list = await listModels();
  if (!spec) {
    const def = defaultOf(list);
    if (!def) throw new AppError('NOT_FOUND', `no default model: ${bundledModelsDir()} holds no valid model folder (add one with latent-sky models --add DIR)`);
    return def.path;
  }
  const hits = list.filter((m) => m.name === spec || `${m.name}@${m.version}` === spec || basename(m.path) === spec);
  if (hits.length === 0) {
    const names = list.map((m) => `${m.name}@${m.version}`).join(', ') || 'none';
    throw new AppError('NOT_FOUND', `no model '${spec}': not a folder and not an installed model (installed: ${names})`);
  }
  return (hits.find((m) => m.valid) ?? hits[0]).path;
}

/**
 * Validate a model folder (manifest, ONNX file, dry run on CPU) and record it.
 * `copy` copies the folder into $LATENT_SKY_HOME/models/<name>-<version>/ first.
 */
export async function addModel(dirIn: string, opts: { copy?: boolean } = {}): Promise<InstalledModel> {
  const dir = resolve(dirIn);
  const enc = await Encoder.open(dir, { providers: ['cpu'], threads: 1 });
  const { name, version } = enc.manifest;
  await enc.release();
  let path = dir;
  if (opts.copy) {
    path = join(latentSkyHome(), 'models', `${name}-${version}`.replace(/[^A-Za-z0-9._-]+/g, '_'));
    if (existsSync(path)) throw new AppError('CONFLICT', `${path} already exists: remove the installed copy first (latent-sky models --remove ${name})`);
    cpSync(dir, path, { recursive: true });
  }
  const entries = readUserEntries().filter((e) => resolve(e.path) !== path);
  entries.push({ path, addedAt: new Date().toISOString() });
  writeUserEntries(entries);
  return { ...describe(path, 'user'), isDefault: false };
}

/** Forget a user-added model (by name, name@version or path); the folder itself is left on disk. */
export function removeModel(spec: string): string[] {
  const entries = readUserEntries();
  const keep: UserEntry[] = [];
  const removed: string[] = [];
  for (const e of entries) {
    const d = describe(e.path, 'user');
    const hit = resolve(e.path) === resolve(spec) || d.name === spec || `${d.name}@${d.version}` === spec || basename(e.path) === spec;
    if (hit) removed.push(e.path);
    else keep.push(e);
  }
  if (!removed.length) throw new AppError('NOT_FOUND', `no user-added model '${spec}' (bundled models cannot be removed)`);
  writeUserEntries(keep);
  return removed;
}
