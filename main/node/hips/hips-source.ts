/**
 * Read a HiPS from a local folder or an http(s) URL: the properties file
 * and tiles (NorderK/DirD/NpixN.ext). Remote tiles are cached on disk
 * (atomic writes, same retry/backoff rules as the survey downloader) so a
 * sky map works offline for everything it has shown once. A tile the
 * survey does not have (404, or no file) is `null`, as HiPS allows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError, isAppError } from '@app/core/errors';
import { parseHipsProperties, tilePath, type HipsFormat, type HipsProperties } from '@app/sky/hips';
import { writeFileAtomicAsync } from '../workspace/atomic-file';
import { fetchBytes, type FetchPolicy } from '../ingest/net/http';
import { RateLimiter } from '../ingest/net/rate-limit';

export interface HipsTileImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export interface HipsSource {
  location: string;
  properties: HipsProperties;
  /** raw tile bytes, null when the survey has no such tile */
  tile(order: number, npix: number, format?: HipsFormat): Promise<Uint8Array | null>;
  /** decoded PNG/JPEG tile (top row first), null when missing */
  tileImage(order: number, npix: number, format?: 'jpeg' | 'png'): Promise<HipsTileImage | null>;
}

export interface OpenHipsOptions {
  /** where remote tiles are cached (required for URLs) */
  cacheDir?: string;
  policy?: Omit<FetchPolicy, 'limiter'>;
  /** requests per second to a remote HiPS (default 20) */
  ratePerSecond?: number;
}

/** The procedural placeholder background shipped in resources/sky/procedural. */
export function bundledSkyDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources', 'sky', 'procedural');
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function cacheKey(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function decodeTile(bytes: Uint8Array, what: string): HipsTileImage {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const p = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: p.width, height: p.height, rgba: new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength) };
    }
    const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: j.width, height: j.height, rgba: j.data };
  } catch (e) {
    throw new AppError('FITS_CORRUPT', `${what}: cannot decode tile (${(e as Error).message ?? e})`);
  }
}

export async function openHips(location: string, opts: OpenHipsOptions = {}): Promise<HipsSource> {
  const remote = isUrl(location);
  const base = location.replace(/\/+$/, '');
  if (remote && !opts.cacheDir) throw new AppError('BAD_INPUT', `${location}: a remote HiPS needs a cache folder`);
  const limiter = new RateLimiter(opts.ratePerSecond ?? 20);
  const cacheRoot = remote ? join(opts.cacheDir!, cacheKey(base)) : '';

  const get = async (rel: string): Promise<Uint8Array | null> => {
    if (!remote) {
      const p = join(base, rel);
      return existsSync(p) ? readFileSync(p) : null;
    }
    const cached = join(cacheRoot, rel);
    if (existsSync(cached)) return readFileSync(cached);
    if (existsSync(`${cached}.missing`)) return null;
    try {
      const bytes = await fetchBytes(`${base}/${rel}`, (b) => b, { ...opts.policy, limiter });
      await writeFileAtomicAsync(cached, bytes);
      return bytes;
    } catch (e) {
      if (isAppError(e) && e.code === 'HTTP' && (e.detail as { status?: number })?.status === 404) {
        await writeFileAtomicAsync(`${cached}.missing`, new Uint8Array(0));
        return null;
      }
      throw e;
    }
  };

  const propsBytes = await get('properties');
  if (!propsBytes) throw new AppError('NOT_FOUND', `${location}: no HiPS properties file`);
  const properties = parseHipsProperties(new TextDecoder().decode(propsBytes), `${location}/properties`);
  const pick = (format?: HipsFormat): HipsFormat => format ?? properties.formats[0] ?? 'jpeg';
  const source: HipsSource = {
    location,
    properties,
    async tile(order, npix, format) {
      if (order < 0 || order > properties.order) throw new AppError('BAD_INPUT', `${location}: order ${order} is outside 0..${properties.order}`);
      return get(tilePath(order, npix, pick(format)));
    },
    async tileImage(order, npix, format) {
      const f = pick(format);
      if (f !== 'jpeg' && f !== 'png') throw new AppError('FITS_UNSUPPORTED', `${location}: tileImage decodes jpeg/png, not ${f}`);
      const b = await source.tile(order, npix, f);
      return b ? decodeTile(b, `${location}/${tilePath(order, npix, f)}`) : null;
    },
  };
  return source;
}
