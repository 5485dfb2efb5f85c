/**
 * A HiPS as the sky map's background, for the SkyService: opens it through
 * hips-source (local folder or URL with a tile cache), picks the order the
 * map draws and the tile format, proves one tile decodes at the declared
 * width, and hands out raw tile bytes. Opened surveys are kept (a few) so
 * tile requests do not reread the properties.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import type { HipsInfo, HipsTile, HipsTileFormat } from '@app/contracts/sky';
import { openHips, type HipsSource } from './hips-source';

const MAX_DRAW_ORDER = 3;
const KEEP = 8;

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** a tile present on disk at `order` (local folders), for the decode check */
function firstLocalTile(dir: string, order: number, ext: string): number | null {
  const o = join(dir, `Norder${order}`);
  if (!existsSync(o)) return null;
  for (const d of readdirSync(o)
    .filter((n) => /^Dir\d+$/.test(n))
    .sort()) {
    const hit = readdirSync(join(o, d))
      .map((n) => new RegExp(`^Npix(\\d+)\\.${ext}$`).exec(n))
      .find(Boolean);
    if (hit) return Number(hit[1]);
  }
  return null;
}

export class HipsBackgrounds {
  readonly #open = new Map<string, Promise<{ source: HipsSource; info: HipsInfo }>>();

  constructor(private readonly cacheDir: string) {}

  open(location: string): Promise<HipsInfo> {
    return this.#get(location).then((h) => h.info);
  }

  async tile(location: string, order: number, npix: number): Promise<HipsTile> {
    const { source, info } = await this.#get(location);
    if (order < info.minOrder || order > info.order) throw new AppError('BAD_INPUT', `${location}: order ${order} is outside ${info.minOrder}..${info.order}`);
    const b = await source.tile(order, npix, info.format);
    // a plain Uint8Array (not a Buffer): what the wire carries as binary
    return { order, npix, format: info.format, bytes: b && new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
  }

  #get(location: string) {
    const key = location.replace(/\/+$/, '');
    let p = this.#open.get(key);
    if (!p) {
      p = this.#load(key);
      p.catch(() => this.#open.delete(key));
      this.#open.set(key, p);
      if (this.#open.size > KEEP) this.#open.delete(this.#open.keys().next().value!);
    }
    return p;
  }

  async #load(location: string): Promise<{ source: HipsSource; info: HipsInfo }> {
    const remote = isUrl(location);
    if (!remote && !existsSync(location)) throw new AppError('NOT_FOUND', `${location}: no such folder`);
    const source = await openHips(location, remote ? { cacheDir: this.cacheDir, policy: { timeoutMs: 10_000, retries: 2 } } : {});
    const p = source.properties;
    const format = (['jpeg', 'png'] as const).find((f) => p.formats.includes(f)) as HipsTileFormat | undefined;
    if (!format)
      throw new AppError('FITS_UNSUPPORTED', `${location}: tiles are ${p.formats.join(', ') || 'of no declared format'}; the sky map draws jpeg or png tiles`);
    if (p.frame === 'ecliptic') throw new AppError('FITS_UNSUPPORTED', `${location}: an ecliptic HiPS cannot be drawn (equatorial or galactic)`);
    const drawOrder = Math.max(p.minOrder, Math.min(p.order, MAX_DRAW_ORDER));
    const probe = remote ? 0 : firstLocalTile(location, drawOrder, format === 'jpeg' ? 'jpe?g' : 'png');
    if (probe === null) throw new AppError('NOT_FOUND', `${location}: no ${format} tile at order ${drawOrder} (Norder${drawOrder}/Dir*/Npix*)`);
    const img = await source.tileImage(drawOrder, probe, format);
    if (img && (img.width !== p.tileWidth || img.height !== p.tileWidth)) {
      throw new AppError(
        'BAD_INPUT',
        `${location}: tile Norder${drawOrder}/Npix${probe} is ${img.width}×${img.height}, the properties declare ${p.tileWidth}×${p.tileWidth}`,
      );
    }
    const title = p.title || p.raw.obs_collection || location.split(/[\\/]/).filter(Boolean).pop() || location;
    return { source, info: { path: location, title, order: p.order, minOrder: p.minOrder, tileWidth: p.tileWidth, format, frame: p.frame, drawOrder } };
  }
}
