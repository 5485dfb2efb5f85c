/**
 * HiPS (IVOA Hierarchical Progressive Surveys 1.0): the `properties` file,
 * tile paths and the mapping of tile pixels to HEALPix cells and the sky.
 *
 * Tile pixel orientation follows Aladin's tile WCS (HPX projection with
 * CD = [[-s,-s],[s,-s]], as written by hipsgen): in a FITS tile the first
 * stored row has ix = W-1, columns run with iy; PNG/JPEG tiles are stored
 * top row first and are the same picture, so image row y (from the top)
 * is ix = y and column x is iy = x. ix/iy are the nested face coordinates
 * of the cell inside the tile (ix: S→E corner, iy: S→W corner).
 */
import { AppError } from '../core/errors';
import { icrsToGalactic } from './coords';
import { checkOrder, maxPixelRadius, neighbours, pixPointRadec, radec2pix, xyf2nest, nest2xyf, pix2radec } from './healpix';
import { angularSeparation } from './coords';

export type HipsFrame = 'equatorial' | 'galactic' | 'ecliptic';
export type HipsFormat = 'jpeg' | 'png' | 'fits' | 'webp';

export interface HipsProperties {
  /** every key/value as read */
  raw: Record<string, string>;
  /** deepest tile order (hips_order) */
  order: number;
  minOrder: number;
  tileWidth: number;
  formats: HipsFormat[];
  frame: HipsFrame;
  title: string;
}

export function parseHipsProperties(text: string, name = 'properties'): HipsProperties {
  const raw: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq < 0) continue;
    raw[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  const order = Number(raw.hips_order ?? raw.maxOrder);
  if (!Number.isInteger(order) || order < 0) throw new AppError('BAD_INPUT', `${name}: hips_order missing or not an integer ('${raw.hips_order ?? ''}')`);
  const tileWidth = Number(raw.hips_tile_width ?? 512);
  if (!Number.isInteger(Math.log2(tileWidth))) throw new AppError('BAD_INPUT', `${name}: hips_tile_width ${tileWidth} is not a power of two`);
  const formats = (raw.hips_tile_format ?? raw.format ?? 'jpeg').split(/\s+/).filter(Boolean) as HipsFormat[];
  const frameRaw = (raw.hips_frame ?? raw.coordsys ?? 'equatorial').toLowerCase();
  const frame: HipsFrame =
    frameRaw.startsWith('gal') || frameRaw === 'g' ? 'galactic' : frameRaw.startsWith('ecl') || frameRaw === 'e' ? 'ecliptic' : 'equatorial';
  return { raw, order, minOrder: Number(raw.hips_order_min ?? 0), tileWidth, formats, frame, title: raw.obs_title ?? raw.label ?? '' };
}

export function writeHipsProperties(entries: Record<string, string | number>): string {
  const keyWidth = Math.max(...Object.keys(entries).map((k) => k.length));
  return (
    Object.entries(entries)
      .map(([k, v]) => `${k.padEnd(keyWidth)} = ${v}`)
      .join('\n') + '\n'
  );
}

export function extensionOf(format: HipsFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

/** Relative path of a tile: NorderK/DirD/NpixN.ext with D = floor(N/10000)*10000. */
export function tilePath(order: number, npix: number, format: HipsFormat): string {
  return `Norder${order}/Dir${Math.floor(npix / 10000) * 10000}/Npix${npix}.${extensionOf(format)}`;
}

/**
 * The HEALPix cell (order tileOrder + log2(tileWidth)) of an image pixel of a
 * tile; (x, y) = (column, row from the top) of a PNG/JPEG tile.
 */
export function tilePixelCell(tileOrder: number, tile: number, tileWidth: number, x: number, y: number): { order: number; pix: number } {
  const k = Math.log2(tileWidth);
  const order = tileOrder + k;
  checkOrder(order);
  const t = nest2xyf(tileOrder, tile);
  return { order, pix: xyf2nest(order, t.ix * tileWidth + y, t.iy * tileWidth + x, t.face) };
}

/** Sky position (degrees, in the HiPS frame) of the centre of image pixel (x, y) of a tile. */
export function tilePixelLonLat(tileOrder: number, tile: number, tileWidth: number, x: number, y: number): [number, number] {
  const c = tilePixelCell(tileOrder, tile, tileWidth, x, y);
  return pix2radec(c.order, c.pix);
}

/** The tile of an order and the image pixel (x = column, y = row from the top) that contain a sky position (HiPS frame). */
export function skyToTilePixel(tileOrder: number, tileWidth: number, lon: number, lat: number): { tile: number; x: number; y: number } {
  const k = Math.log2(tileWidth);
  const cell = radec2pix(tileOrder + k, lon, lat);
  const { ix, iy } = nest2xyf(tileOrder + k, cell);
  return { tile: Math.floor(cell / 4 ** k), x: iy % tileWidth, y: ix % tileWidth };
}

/** Sky position of a fractional image position (u = column, v = row from top, both in pixels, 0 = tile edge). */
export function tilePointLonLat(tileOrder: number, tile: number, tileWidth: number, u: number, v: number): [number, number] {
  return pixPointRadec(tileOrder, tile, v / tileWidth, u / tileWidth);
}

/** Equatorial (ICRS) position → the HiPS frame. */
export function toHipsFrame(frame: HipsFrame, ra: number, dec: number): [number, number] {
  if (frame === 'galactic') return icrsToGalactic(ra, dec);
  if (frame === 'ecliptic') throw new AppError('FITS_UNSUPPORTED', 'ecliptic HiPS frames are not supported');
  return [ra, dec];
}

/** Tiles of an order that may overlap a cone (lon/lat in the HiPS frame, degrees); grows by neighbours from the centre tile. */
export function tilesInCone(order: number, lon: number, lat: number, radiusDeg: number): number[] {
  const reach = radiusDeg + maxPixelRadius(order);
  const start = radec2pix(order, lon, lat);
  const seen = new Set<number>([start]);
  const out: number[] = [];
  const queue = [start];
  while (queue.length) {
    const p = queue.pop()!;
    const [clon, clat] = pix2radec(order, p);
    if (angularSeparation(lon, lat, clon, clat) > reach) continue;
    out.push(p);
    for (const n of neighbours(order, p))
      if (n >= 0 && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
  }
  return out.sort((a, b) => a - b);
}
