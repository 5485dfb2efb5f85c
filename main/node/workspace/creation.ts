/**
 * Making a workspace folder without ever removing a file we did not create: the folder layout's
 * names, the creation marker (written first, removed once the manifest exists) and the checks that
 * decide whether a folder may become a workspace.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import { nowIso } from './db';
import { FEATURES_DIR } from './features';
import { writeFileAtomic } from './fsutil';
import { MANIFEST_FILE, WORKSPACE_FORMAT } from './manifest';
import type { CreateOptions } from './workspace';

export type AreaKind = 'index' | 'projections' | 'cache' | 'exports';
export const AREAS: readonly AreaKind[] = ['index', 'projections', 'cache', 'exports'];
export const CATALOG = 'catalog.sqlite';
/** the catalogue's files (SQLite's WAL, shared memory and journal beside it) */
const CATALOG_FILES = new Set([CATALOG, `${CATALOG}-wal`, `${CATALOG}-shm`, `${CATALOG}-journal`]);

/** written before anything else at creation, removed once the manifest exists: proves the folder's entries are ours */
export const CREATING_MARKER = '.latent-sky-creating';
/** files an operating system's file browser drops into any folder: kept, never a reason to refuse */
const OS_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);
const OWN_DIRS = new Set(['cutouts', 'embeddings', FEATURES_DIR, ...AREAS]);

export function checkCutoutOptions(c: CreateOptions['cutout']): void {
  const bandsOk =
    Array.isArray(c?.bands) && c.bands.length > 0 && c.bands.every((b) => typeof b === 'string' && b !== '') && new Set(c.bands).size === c.bands.length;
  if (!bandsOk) throw new AppError('BAD_INPUT', `bad cutout bands ${JSON.stringify(c?.bands)} (distinct non-empty names)`);
  if (!Number.isInteger(c.size) || c.size < 1 || c.size > 4096) throw new AppError('BAD_INPUT', `bad cutout size ${c.size} (1-4096 pixels)`);
  if (!(c.pixscale > 0)) throw new AppError('BAD_INPUT', `bad pixscale ${c.pixscale} (arcsec per pixel, > 0)`);
  if (!['nanomaggies', 'counts', 'u8'].includes(c.unit)) throw new AppError('BAD_INPUT', `bad cutout unit '${c.unit}'`);
  if (c.dtype !== undefined && !['f16', 'f32', 'u8'].includes(c.dtype)) throw new AppError('BAD_INPUT', `bad cutout dtype '${c.dtype}' (f16, f32, u8)`);
}

function isOurMarker(path: string): boolean {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    return m?.format === WORKSPACE_FORMAT && m?.creating === true;
  } catch {
    return false;
  }
}

/**
 * Whether a new workspace may be made in `dir`, touching nothing: a new or empty folder is fine; so
 * is one holding only our marker, our still-empty folders and the catalogue created after the
 * marker (an interrupted creation, `resume`). Anything else is refused with CONFLICT.
 */
export function creationPlan(dir: string): { exists: boolean; resume: boolean } {
  if (!existsSync(dir)) return { exists: false, resume: false };
  if (existsSync(join(dir, MANIFEST_FILE))) throw new AppError('CONFLICT', `${dir} already holds a workspace`);
  if (!statSync(dir).isDirectory()) throw new AppError('CONFLICT', `${dir} is a file; a new workspace needs an empty or new folder`);
  const entries = readdirSync(dir).filter((e) => !OS_LITTER.has(e));
  const resume = isOurMarker(join(dir, CREATING_MARKER));
  const foreign = entries.filter((e) => {
    if (!resume) return true;
    if (e === CREATING_MARKER || CATALOG_FILES.has(e)) return false;
    // an own folder is reused only while still empty: no shard or embedding is written before the manifest
    return !(OWN_DIRS.has(e) && statSync(join(dir, e)).isDirectory() && readdirSync(join(dir, e)).length === 0);
  });
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new AppError('CONFLICT', `${dir} is not empty (${shown}); a new workspace needs an empty or new folder, and nothing in it was changed`);
  }
  return { exists: true, resume };
}

/** Makes `dir` ready for a new workspace (creationPlan) and writes the creation marker. */
export function prepareCreation(dir: string): void {
  const marker = join(dir, CREATING_MARKER);
  const plan = creationPlan(dir);
  // the catalogue of an interrupted creation was made after the marker: ours, and only schema
  if (plan.resume) for (const f of CATALOG_FILES) rmSync(join(dir, f), { force: true });
  if (!plan.exists) mkdirSync(dir, { recursive: true });
  writeFileAtomic(marker, JSON.stringify({ format: WORKSPACE_FORMAT, creating: true, pid: process.pid, started: nowIso() }) + '\n');
}
