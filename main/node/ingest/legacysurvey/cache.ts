/**
 * The download cache: one validated FITS per (layer, ra, dec, size,
 * pixscale, bands), written atomically, so an interrupted run resumes
 * without fetching again. Sharded by integer RA so no folder gets huge:
 *   ROOT/<layer>/s<size>_p<pixscale>_<bands>/<floor(ra)>/<ra>_<dec>.fits
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicAsync } from '../../workspace/atomic-file';
import { coordText, type CutoutParams } from './urls';

export class CutoutCache {
  constructor(
    readonly root: string,
    readonly params: CutoutParams,
  ) {}

  /** the folder of this (layer, size, pixscale, bands) */
  get dir(): string {
    const p = this.params;
    return join(this.root, p.layer, `s${p.size}_p${p.pixscale}_${p.bands}`);
  }

  path(ra: number, dec: number): string {
    return join(this.dir, String(Math.floor(ra)), `${coordText(ra)}_${coordText(dec)}.fits`);
  }

  read(ra: number, dec: number): Uint8Array | null {
    const p = this.path(ra, dec);
    if (!existsSync(p)) return null;
    try {
      return readFileSync(p);
    } catch {
      return null;
    }
  }

  write(ra: number, dec: number, bytes: Uint8Array): Promise<void> {
    return writeFileAtomicAsync(this.path(ra, dec), bytes);
  }

  /** drop an entry that failed validation (it will be fetched again) */
  drop(ra: number, dec: number): void {
    rmSync(this.path(ra, dec), { force: true });
  }
}
