/**
 * What a typed name means on the sky, in order: an external id of the open
 * workspace's catalogue, the bundled Messier/NGC/IC list (offline; app/sky/dso
 * over resources/catalogs), then CDS Sesame when the caller allows the network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, isAppError } from '@app/core/errors';
import { parseDsoTable, type DsoIndex } from '@app/sky/dso';
import type { NameResolution } from '@app/contracts/sky';
import type { Workspace } from '../workspace/workspace';
import { SesameResolver } from './sesame';

export const DSO_FILE = 'dso-ngc-ic-messier.tsv';

/** resources/catalogs: LATENT_SKY_CATALOGS_DIR, the packaged app's resources, or the source tree */
export function catalogsDir(): string {
  const candidates = [
    process.env.LATENT_SKY_CATALOGS_DIR,
    (process as { resourcesPath?: string }).resourcesPath && join((process as { resourcesPath?: string }).resourcesPath!, 'catalogs'),
    resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources', 'catalogs'),
    resolve(process.cwd(), 'resources', 'catalogs'),
  ].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(join(c, DSO_FILE))) ?? candidates[candidates.length - 1];
}

let bundled: DsoIndex | null = null;
export function bundledDso(): DsoIndex {
  if (!bundled) {
    const file = join(catalogsDir(), DSO_FILE);
    if (!existsSync(file)) throw new AppError('NOT_FOUND', `the bundled Messier/NGC/IC list is missing (${file})`);
    bundled = parseDsoTable(readFileSync(file, 'utf8'), file);
  }
  return bundled;
}

export class NameResolver {
  constructor(readonly sesame: SesameResolver = new SesameResolver()) {}

  async resolve(name: string, ws: Workspace | null, online: boolean): Promise<NameResolution> {
    const query = name.trim();
    if (ws) {
      const idx = ws.findById(query);
      if (idx !== undefined) {
        const o = ws.getObject(idx);
        return { query, name: o.id, ra: o.ra, dec: o.dec, type: null, source: 'workspace', idx, aliases: [] };
      }
    }
    const d = bundledDso().lookup(query);
    if (d) return { query, name: d.name, ra: d.ra, dec: d.dec, type: d.type, source: 'bundled', idx: null, aliases: d.aliases };
    if (!online)
      throw new AppError('NOT_FOUND', `'${query}' is not an object of this workspace nor in the bundled Messier/NGC/IC list (online name resolution is off)`);
    try {
      const s = await this.sesame.resolve(query);
      return { query, name: s.name, ra: s.ra, dec: s.dec, type: s.type, source: 'sesame', idx: null, aliases: [], resolver: s.resolver };
    } catch (e) {
      if (isAppError(e) && e.code === 'UNAVAILABLE') {
        throw new AppError('UNAVAILABLE', `'${query}' is not in this workspace nor in the bundled Messier/NGC/IC list, and the ${e.message}`);
      }
      throw e;
    }
  }
}
