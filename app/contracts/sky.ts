/**
 * Context on the sky: the SkyService contract (types and input validators).
 * Name resolution (the open workspace's ids, the bundled Messier/NGC/IC list
 * offline, CDS Sesame online) and a local HiPS folder as the sky map's
 * background, read by the engine through the path guard (main/node/sky,
 * main/node/hips).
 */
import { int, path, record, str, type ValidationContext, type Validator } from './validate';
import { AppError } from '../core/errors';
import { httpUrl } from './ingest';

/** a HiPS location: an http(s) URL, or a path inside the allowed folders */
function hipsLocation(v: unknown, c: ValidationContext, w: string): string {
  return typeof v === 'string' && /^https?:\/\//i.test(v) ? httpUrl(v, w, 'path') : path(v, c, w);
}

export interface NameResolution {
  /** what was asked */
  query: string;
  /** the object's name as the source gives it ('M 31', 'NGC 224', Simbad's main id, the workspace id) */
  name: string;
  /** J2000 / ICRS degrees */
  ra: number;
  dec: number;
  /** object type where the source gives one ('galaxy', Simbad's 'AGN') */
  type: string | null;
  source: 'workspace' | 'bundled' | 'sesame';
  /** the object index when source = 'workspace' */
  idx: number | null;
  /** other designations and common names (bundled list) */
  aliases: string[];
  /** which Sesame resolver answered (Simbad, NED, VizieR) */
  resolver?: string;
}

export type HipsTileFormat = 'jpeg' | 'png';

export interface HipsInfo {
  /** the folder, as given */
  path: string;
  title: string;
  /** deepest order (hips_order) and the shallowest (hips_order_min) */
  order: number;
  minOrder: number;
  tileWidth: number;
  /** the image format the tiles are read in */
  format: HipsTileFormat;
  frame: 'equatorial' | 'galactic';
  /** the order the sky map draws (hips_order capped at 3, at least hips_order_min) */
  drawOrder: number;
}

export interface HipsTile {
  order: number;
  npix: number;
  format: HipsTileFormat;
  /** the tile file's bytes; null when the survey has no such tile */
  bytes: Uint8Array | null;
}

export interface SkyService {
  /**
   * what a name means on the sky: an id of the open workspace, the bundled Messier/NGC/IC list, then
   * (online = true) CDS Sesame. NOT_FOUND when nobody knows it; UNAVAILABLE when only the network
   * could tell and it cannot be reached
   */
  resolveName(input: { name: string; online: boolean }): Promise<NameResolution>;
  /**
   * a HiPS for the sky map's background: a local folder (a properties file, NorderK/DirD/NpixN.jpg|png
   * tiles; inside the folders this session may use) or an http(s) URL (tiles cached under the engine's
   * state folder). Checked: the properties, and one tile decodes at the tile width it declares
   */
  openHips(input: { path: string }): Promise<HipsInfo>;
  hipsTile(input: { path: string; order: number; npix: number }): Promise<HipsTile>;
}

export const MAX_RESOLVE_NAME = 120;

export const SKY_SCHEMAS: {
  'sky.resolveName': Validator<{ name: string; online: boolean }>;
  'sky.openHips': Validator<{ path: string }>;
  'sky.hipsTile': Validator<{ path: string; order: number; npix: number }>;
} = {
  'sky.resolveName': (i, _c, w) => {
    const o = record(i, w, ['name', 'online']);
    const name = str(o.name, w, 'name', MAX_RESOLVE_NAME, { min: 1 });
    if (!name.trim()) throw new AppError('BAD_INPUT', `${w}: name must not be blank`);
    if (/[\u0000-\u001f]/.test(name)) throw new AppError('BAD_INPUT', `${w}: name contains control characters`);
    if (typeof (o.online ?? false) !== 'boolean') throw new AppError('BAD_INPUT', `${w}: online must be true or false`);
    return { name, online: (o.online ?? false) as boolean };
  },
  'sky.openHips': (i, c, w) => ({ path: hipsLocation(record(i, w, ['path']).path, c, w) }),
  'sky.hipsTile': (i, c, w) => {
    const o = record(i, w, ['path', 'order', 'npix']);
    const order = int(o.order, w, 'order', 0, 13);
    return { path: hipsLocation(o.path, c, w), order, npix: int(o.npix, w, 'npix', 0, 12 * 4 ** order - 1) };
  },
};
