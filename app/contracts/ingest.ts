/**
 * Bringing objects into a workspace from the app: the IngestService contract
 * (types and input validators). The engine runs the same importers as
 * `latent-sky ingest` (main/node/ingest) as a job with progress and cancel.
 */
import { AppError, type ErrorCode, type ErrorData } from '../core/errors';
import type { JobInfo, JobState } from './types';
import { MAX_PATH, record, str, type Validator } from './validate';

export type IngestSource = 'legacysurvey' | 'folder' | 'hdf5' | 'embeddings';
export const INGEST_SOURCES: readonly IngestSource[] = ['legacysurvey', 'folder', 'hdf5', 'embeddings'];

export interface IngestOptions {
  /** Legacy Survey layer, e.g. 'ls-dr10' */
  layer?: string;
  /** arcsec/pixel of a new workspace (Legacy Survey: of the requested cutouts) */
  pixscale?: number;
  /** cutout side in pixels of a new workspace */
  size?: number;
  /** the cutout service, e.g. https://www.legacysurvey.org/viewer */
  baseUrl?: string;
  /** parallel downloads */
  concurrency?: number;
  /** request starts per second over all downloads */
  rate?: number;
  /** Legacy Survey: bands of a new workspace, e.g. 'grz' */
  bands?: string;
  /** seconds before one download is abandoned (then retried) */
  timeout?: number;
  /** retries per download after the first try */
  retries?: number;
  /** Legacy Survey: cut from whole coadd bricks listed in this survey-bricks table (absolute path or URL) instead of the cutout service */
  bricks?: string;
  /** Legacy Survey bricks: the coadd tree, e.g. https://portal.nersc.gov/cfs/cosmo/data/legacysurvey/dr10/south */
  coaddUrl?: string;
  /** download cache folder (absolute); default: inside the workspace */
  cacheDir?: string;
  /** catalogue columns to use instead of the detected ones */
  raColumn?: string;
  decColumn?: string;
  idColumn?: string;
  /** folder: how 3-channel images map to bands */
  rgbAs?: 'grz' | 'rgb';
  /** hdf5: import at most this many objects */
  limit?: number;
  /** embeddings: the model the vectors come from (recorded; another model's vectors are refused) */
  modelName?: string;
  /** embeddings: how the vectors compare */
  metric?: 'cosine' | 'l2';
}

export interface IngestStartInput {
  source: IngestSource;
  /** legacysurvey: the catalogue file; folder: the folder; hdf5: the .h5 file; embeddings: the catalogue file or HATS folder (absolute paths) */
  path: string;
  /**
   * embeddings: the row-aligned vectors: an absolute path (.npy, HDF5, Parquet, FITS table), optionally
   * ':DATASET' or ':COLUMN' after it, or the name of a vector column of the catalogue itself
   */
  vectors?: string;
  /** folder: a catalogue with ra/dec and a file or id column (PNG/JPEG need one) */
  catalog?: string;
  /**
   * the workspace folder to add to (created when missing) and open; absent =
   * the open workspace (an error when none is open)
   */
  workspace?: string;
  options: IngestOptions;
}

export interface IngestSkip {
  /** catalogue id, file name or 'row N' */
  id: string;
  row: number | null;
  file: string | null;
  code: ErrorCode;
  reason: string;
}

export interface IngestSkipGroup {
  reason: string;
  count: number;
  examples: string[];
}

/** The outcome of the last ingest (kept in the workspace, so it survives a restart). */
export interface IngestSummary {
  jobId: string;
  source: string;
  /** the input as given */
  input: string;
  workspace: string;
  state: JobState;
  total: number;
  added: number;
  alreadyPresent: number;
  skippedCount: number;
  /** the first MAX_REPORTED_SKIPS skipped items, in input order */
  skipped: IngestSkip[];
  /** every skip grouped by reason (numbers and quoted names folded), most frequent first */
  skippedByReason: IngestSkipGroup[];
  fromCache: number | null;
  downloaded: number | null;
  elapsedMs: number;
  cancelled: boolean;
  /** objects in the workspace afterwards */
  objects: number;
  finishedAt: number;
  /** why the ingest stopped before it began importing (unreadable catalogue, shape clash) */
  error: ErrorData | null;
}

export const MAX_REPORTED_SKIPS = 200;

export interface IngestService {
  /** runs the import as an 'ingest' job; the workspace event follows when objects were added */
  start(input: IngestStartInput): Promise<JobInfo>;
  /** the last ingest of this session, else the open workspace's last one; null when none */
  lastReport(input: Record<string, never>): Promise<IngestSummary | null>;
}

function bad(where: string, what: string): never {
  throw new AppError('BAD_INPUT', `${where}: ${what}`);
}

/** an absolute path (POSIX '/…', Windows 'C:\…' or '\\server\…'), bounded, no NUL */
export function absolutePath(v: unknown, where: string, field: string): string {
  const p = str(v, where, field, MAX_PATH, { min: 1 });
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(p)) bad(where, `${field} must be an absolute path, got '${p.slice(0, 200)}'`);
  return p;
}

function num(v: unknown, where: string, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(where, `${field} must be a finite number`);
  if (v < min || v > max) bad(where, `${field} must be in [${min}, ${max}], got ${v}`);
  return v;
}

function integer(v: unknown, where: string, field: string, min: number, max: number): number {
  const n = num(v, where, field, min, max);
  if (!Number.isInteger(n)) bad(where, `${field} must be an integer`);
  return n;
}

/** an http(s) URL without spaces, credentials, query or fragment */
export function httpUrl(v: unknown, where: string, field: string): string {
  const u = str(v, where, field, 2048, { min: 1 });
  if (!/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i.test(u))
    bad(where, `${field} must be an http(s) URL like https://www.legacysurvey.org/viewer, got '${u.slice(0, 200)}'`);
  return u.replace(/\/+$/, '');
}

export const INGEST_LIMITS = {
  size: [8, 512],
  pixscale: [0.01, 10],
  concurrency: [1, 16],
  rate: [0.1, 100],
  timeout: [1, 3600],
  retries: [0, 20],
  limit: [1, 1e9],
} as const;

function options(v: unknown, where: string): IngestOptions {
  const o = record(v, `${where} options`, [
    'layer',
    'pixscale',
    'size',
    'baseUrl',
    'concurrency',
    'rate',
    'bands',
    'timeout',
    'retries',
    'bricks',
    'coaddUrl',
    'cacheDir',
    'raColumn',
    'decColumn',
    'idColumn',
    'rgbAs',
    'limit',
    'modelName',
    'metric',
  ]);
  const w = `${where} options`;
  const out: IngestOptions = {};
  if (o.layer !== undefined) out.layer = str(o.layer, w, 'layer', 64, { min: 1, pattern: /^[\w.-]+$/ });
  if (o.pixscale !== undefined) out.pixscale = num(o.pixscale, w, 'pixscale', ...INGEST_LIMITS.pixscale);
  if (o.size !== undefined) out.size = integer(o.size, w, 'size', ...INGEST_LIMITS.size);
  if (o.baseUrl !== undefined) out.baseUrl = httpUrl(o.baseUrl, w, 'baseUrl');
  if (o.concurrency !== undefined) out.concurrency = integer(o.concurrency, w, 'concurrency', ...INGEST_LIMITS.concurrency);
  if (o.rate !== undefined) out.rate = num(o.rate, w, 'rate', ...INGEST_LIMITS.rate);
  if (o.bands !== undefined) out.bands = str(o.bands, w, 'bands', 16, { min: 1, pattern: /^[a-zA-Z]+$/ });
  if (o.timeout !== undefined) out.timeout = num(o.timeout, w, 'timeout', ...INGEST_LIMITS.timeout);
  if (o.retries !== undefined) out.retries = integer(o.retries, w, 'retries', ...INGEST_LIMITS.retries);
  if (o.bricks !== undefined) out.bricks = /^https?:/i.test(String(o.bricks)) ? httpUrl(o.bricks, w, 'bricks') : absolutePath(o.bricks, w, 'bricks');
  if (o.coaddUrl !== undefined) out.coaddUrl = httpUrl(o.coaddUrl, w, 'coaddUrl');
  if (o.cacheDir !== undefined) out.cacheDir = absolutePath(o.cacheDir, w, 'cacheDir');
  for (const k of ['raColumn', 'decColumn', 'idColumn'] as const) if (o[k] !== undefined) out[k] = str(o[k], w, k, 128, { min: 1 });
  if (o.rgbAs !== undefined) {
    if (o.rgbAs !== 'grz' && o.rgbAs !== 'rgb') bad(w, `rgbAs must be grz or rgb, got '${String(o.rgbAs).slice(0, 20)}'`);
    out.rgbAs = o.rgbAs;
  }
  if (o.limit !== undefined) out.limit = integer(o.limit, w, 'limit', ...INGEST_LIMITS.limit);
  if (o.modelName !== undefined) out.modelName = str(o.modelName, w, 'modelName', 100, { min: 1 });
  if (o.metric !== undefined) {
    if (o.metric !== 'cosine' && o.metric !== 'l2') bad(w, `metric must be cosine or l2`);
    out.metric = o.metric;
  }
  return out;
}

export const validateIngestStart: Validator<IngestStartInput> = (i, c, w) => {
  const o = record(i, w, ['source', 'path', 'catalog', 'workspace', 'options', 'vectors']);
  if (!INGEST_SOURCES.includes(o.source as IngestSource)) bad(w, `source must be one of ${INGEST_SOURCES.join(', ')}`);
  const source = o.source as IngestSource;
  const out: IngestStartInput = { source, path: absolutePath(o.path, w, 'path'), options: options(o.options ?? {}, w) };
  if (o.catalog !== undefined && o.catalog !== null && o.catalog !== '') out.catalog = absolutePath(o.catalog, w, 'catalog');
  if (o.workspace !== undefined && o.workspace !== null && o.workspace !== '') out.workspace = absolutePath(o.workspace, w, 'workspace');
  if (source === 'hdf5' && out.catalog) bad(w, 'an HDF5 file carries its own catalogue: catalog is for folder imports');
  if (source === 'legacysurvey' && out.catalog) bad(w, 'for legacysurvey the catalogue is the path itself');
  if (source === 'embeddings') {
    if (out.catalog) bad(w, 'for embeddings the catalogue is the path itself');
    const v = str(o.vectors, w, 'vectors', MAX_PATH, { min: 1 });
    if (!/^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(v) && !/^[\w.-]{1,200}$/.test(v))
      bad(w, 'vectors must be an absolute path (optionally :DATASET) or the name of a vector column of the catalogue');
    out.vectors = v;
    if (v.startsWith('/') || /^[A-Za-z]:[\\/]|^\\\\/.test(v)) c.paths?.(v.replace(/:\/[^:]*$|:[^:/\\]*$/, ''), w, 'vectors');
  } else if (o.vectors !== undefined && o.vectors !== null && o.vectors !== '') bad(w, 'vectors is for embeddings imports');
  for (const field of ['path', 'catalog', 'workspace'] as const) if (out[field]) c.paths?.(out[field]!, w, field);
  return out;
};

export const validateNoInput: Validator<Record<string, never>> = (i, _c, w) => (record(i, w, []), {});
