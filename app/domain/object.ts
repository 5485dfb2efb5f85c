/**
 * One row of a workspace's object catalogue. `idx` (dense, 0..N-1) is the
 * identity shared by catalogue rows, embedding rows, index keys, scatter and
 * sky points and labels; `id` is the external survey id.
 */
export interface ObjectRecord {
  idx: number;
  id: string;
  /** degrees, ICRS */
  ra: number;
  dec: number;
  /** where it came from: 'synthetic', 'legacysurvey:ls-dr10', 'folder', 'hdf5', ... */
  source: string;
  /** ground-truth class where known (synthetic survey), else null */
  truth: string | null;
  /** other catalogue columns (mag_r, redshift, ...) */
  extra: Record<string, number | string | null>;
}

/** What an importer hands to the workspace: everything but the index. */
export type NewObject = Omit<ObjectRecord, 'idx'>;
