/**
 * The layout of a Multimodal Universe (Legacy Survey subset) or Stein et
 * al. style HDF5 file: one dataset per column, leading axis = objects.
 *   image_array (N, bands, H, W) or (N, H, W, bands), float32 flux
 *   image_band (N, bands) band names (DES-G, ...), image_scale (N, bands)
 *   or (N,) arcsec/pixel, ra, dec, object_id, and catalogue scalars.
 */
import { AppError } from '@app/core/errors';
import { checkBudget, LIMITS } from '@app/core/limits';
import { normaliseBand } from '../folder/decode';

export interface H5Dataset {
  shape: number[] | null;
  dtype: string;
  metadata: { type: number; size: number };
  slice(ranges: ([number, number] | [])[]): unknown;
}

export interface H5Source {
  keys(): string[];
  get(name: string): H5Dataset;
}

export interface Hdf5Layout {
  n: number;
  image: string;
  channelsLast: boolean;
  bands: number;
  height: number;
  width: number;
  /** band names per plane (normalised: g, r, z, ...) */
  bandNames: string[];
  bandsAssumed: boolean;
  ra: string;
  dec: string;
  id: string | null;
  scale: string | null;
  /** (N,) scalar columns → extras; (N, bands) columns → name_<band> extras */
  scalars: string[];
  perBand: string[];
}

const IMAGE_NAMES = ['image_array', 'images', 'image', 'cutouts', 'imgs'];
const ID_NAMES = ['object_id', 'id', 'objid', 'targetid', 'source_id', 'dr8_id'];

function findKey(keys: string[], names: string[]): string | null {
  for (const n of names) {
    const k = keys.find((x) => x === n) ?? keys.find((x) => x.toLowerCase() === n);
    if (k) return k;
  }
  return null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
}

export function detectLayout(f: H5Source, name: string): Hdf5Layout {
  const keys = f.keys();
  const image = findKey(keys, IMAGE_NAMES);
  if (!image) throw new AppError('BAD_INPUT', `${name}: no image dataset (looked for ${IMAGE_NAMES.join(', ')}; datasets: ${keys.join(', ')})`);
  const shape = f.get(image).shape ?? [];
  if (shape.length !== 4 && shape.length !== 3)
    throw new AppError('BAD_INPUT', `${name}: ${image} has shape [${shape.join(', ')}], expected (N, bands, H, W), (N, H, W, bands) or (N, H, W)`);
  const n = shape[0];
  let channelsLast = false,
    bands = 1,
    height: number,
    width: number;
  if (shape.length === 3) [height, width] = [shape[1], shape[2]];
  else if (shape[2] === shape[3] || (shape[1] !== shape[2] && shape[1] <= 16)) {
    bands = shape[1];
    height = shape[2];
    width = shape[3];
  } else {
    channelsLast = true;
    height = shape[1];
    width = shape[2];
    bands = shape[3];
  }
  // one row's image is read whole: its declared size is checked before anything is allocated
  checkBudget(`${name}: one ${image} row (${bands}×${height!}×${width!})`, bands * height! * width!, LIMITS.maxImagePixels, 'pixels');
  if (!(height! > 0 && width! > 0 && bands > 0)) throw new AppError('BAD_INPUT', `${name}: ${image} has shape [${shape.join(', ')}], with an empty image axis`);
  const ra = findKey(keys, ['ra', 'ra_deg', 'raj2000']),
    dec = findKey(keys, ['dec', 'dec_deg', 'dej2000']);
  if (!ra || !dec) throw new AppError('BAD_INPUT', `${name}: no ra/dec datasets (datasets: ${keys.join(', ')})`);
  const bandKey = findKey(keys, ['image_band', 'bands', 'band']);
  let bandNames: string[],
    bandsAssumed = false;
  if (bandKey && n > 0) {
    const row = f.get(bandKey).slice([[0, 1], []]) as unknown[];
    bandNames = Array.from(row, (b) => normaliseBand(text(b)));
    if (bandNames.length !== bands) throw new AppError('BAD_INPUT', `${name}: ${bandKey} names ${bandNames.length} bands, ${image} has ${bands}`);
  } else if (bands === 3) {
    bandNames = ['g', 'r', 'z'];
    bandsAssumed = true;
  } else if (bands === 1) {
    bandNames = ['r'];
    bandsAssumed = true;
  } else throw new AppError('BAD_INPUT', `${name}: ${bands} image planes and no image_band dataset naming them`);
  const id = findKey(keys, ID_NAMES);
  const scale = findKey(keys, ['image_scale', 'pixscale', 'pixel_scale']);
  const taken = new Set([image, ra, dec, id, scale, bandKey].filter(Boolean));
  const scalars: string[] = [],
    perBand: string[] = [];
  for (const k of keys) {
    if (taken.has(k)) continue;
    let d: H5Dataset;
    try {
      d = f.get(k);
    } catch {
      continue;
    }
    const s = d?.shape;
    if (!s || s[0] !== n || !d.metadata) continue;
    const t = d.metadata.type; // 0 int, 1 float, 3 string
    if (s.length === 1 && (t === 0 || t === 1 || t === 3)) scalars.push(k);
    else if (s.length === 2 && s[1] === bands && (t === 0 || t === 1)) perBand.push(k);
  }
  return { n, image, channelsLast, bands, height: height!, width: width!, bandNames, bandsAssumed, ra, dec, id, scale, scalars, perBand };
}
