/** WS/manifest.json: what makes a folder a Latent Sky workspace. Written atomically. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import pkg from '../../../package.json';
import { writeFileAtomic } from './fsutil';

export const WORKSPACE_FORMAT = 'latent-sky-workspace';
export const WORKSPACE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** how cutout pixels are stored: half floats for fluxes, bytes for 8-bit images, float32 when exactness matters */
export type CutoutDtype = 'f16' | 'f32' | 'u8';

export interface CutoutSpec {
  bands: string[];
  /** width = height in pixels */
  size: number;
  /** arcsec per pixel */
  pixscale: number;
  unit: Cutout['unit'];
  dtype: CutoutDtype;
  /** cutouts per shard file (fixed at creation) */
  shardRecords: number;
}

export interface WorkspaceManifest {
  format: typeof WORKSPACE_FORMAT;
  formatVersion: number;
  name: string;
  /** ISO time of creation */
  created: string;
  /** version of Latent Sky that created it */
  appVersion: string;
  cutout: CutoutSpec;
  /**
   * false for a workspace made from an embedding catalogue: objects and their vectors without
   * pixels (the cutout spec then says what a fetched cutout would be). Absent = pixels stored.
   */
  pixels?: false;
}

export const APP_VERSION: string = (pkg as { version?: string }).version ?? '0.0.0';

export function bytesPerPixel(dtype: CutoutDtype): number {
  return dtype === 'f32' ? 4 : dtype === 'f16' ? 2 : 1;
}

export function writeManifest(dir: string, m: WorkspaceManifest): void {
  writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
}

function invalid(dir: string, why: string): AppError {
  return new AppError('WORKSPACE_INVALID', `${dir} is not a usable Latent Sky workspace: ${why}`);
}

/** Reads and checks WS/manifest.json; AppError('WORKSPACE_INVALID') with the reason otherwise. */
export function readManifest(dir: string): WorkspaceManifest {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) throw invalid(dir, `no ${MANIFEST_FILE}`);
  let m: WorkspaceManifest;
  try {
    m = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw invalid(dir, `${MANIFEST_FILE} is not valid JSON (${(e as Error).message})`);
  }
  if (!m || m.format !== WORKSPACE_FORMAT) throw invalid(dir, `${MANIFEST_FILE} has no format '${WORKSPACE_FORMAT}'`);
  if (!Number.isInteger(m.formatVersion) || m.formatVersion > WORKSPACE_FORMAT_VERSION)
    throw invalid(dir, `format version ${m.formatVersion} is newer than this Latent Sky (${APP_VERSION}) reads (${WORKSPACE_FORMAT_VERSION})`);
  const c = m.cutout;
  const ok =
    c &&
    Array.isArray(c.bands) &&
    c.bands.length > 0 &&
    c.bands.every((b) => typeof b === 'string') &&
    Number.isInteger(c.size) &&
    c.size > 0 &&
    c.pixscale > 0 &&
    ['nanomaggies', 'counts', 'u8'].includes(c.unit) &&
    ['f16', 'f32', 'u8'].includes(c.dtype) &&
    Number.isInteger(c.shardRecords) &&
    c.shardRecords > 0;
  if (!ok) throw invalid(dir, `${MANIFEST_FILE} has a malformed 'cutout' section`);
  return m;
}
