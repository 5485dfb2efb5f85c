/**
 * Which files of a folder make which object, with which coordinates:
 * from a catalogue (a file column, else ids matched to file names; a band
 * column for one file per band) or, without one, one object per file with
 * FITS files named NAME_g / NAME-r / NAME.z grouped into one object.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { catalogRows, detectCatalogColumns, rowExtras, type ColumnOverrides } from '@app/tables/catalog-columns';
import type { Table } from '@app/tables/table';
import type { SkippedItem } from '../report';
import { safeExtras } from '../sink';
import { kindOfName, normaliseBand, stemOf, type FileKind } from './decode';

export interface PlannedFile {
  path: string;
  kind: FileKind;
  band: string | null;
}

export interface PlannedObject {
  id: string;
  files: PlannedFile[];
  /** from the catalogue; null = from the FITS WCS */
  ra: number | null;
  dec: number | null;
  row?: number;
  extra: Record<string, number | string | null>;
}

export interface FolderPlan {
  objects: PlannedObject[];
  skipped: SkippedItem[];
  files: number;
}

function listFiles(dir: string, exclude: Set<string>, out: string[], onFile?: (n: number) => void): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) listFiles(p, exclude, out, onFile);
    else if (st.isFile() && !exclude.has(resolve(p))) {
      out.push(p);
      if (out.length % PROGRESS_EVERY === 0) onFile?.(out.length);
    }
  }
  return out;
}

const PROGRESS_EVERY = 500;
/** tables a user may have left in the folder: they are catalogues, not unknown images */
const TABLE_EXT = /\.(csv|tsv|ecsv|vot|votable|xml|parquet)$/i;

const BAND_SUFFIX = /^(.*?)[._-]([ugrizy])$/i;

export interface PlanOptions {
  table?: Table;
  columns?: ColumnOverrides;
  catalogName?: string;
  exclude?: string[];
  /** files listed so far (every few hundred files while listing, then once per catalogue pass) */
  onProgress?: (stage: 'listing' | 'matching', done: number, total: number) => void;
}

/** Plans in time linear in files + catalogue rows (maps by path and by stem, never a scan per row). */
export function planFolder(dir: string, opts: PlanOptions = {}): FolderPlan {
  const skipped: SkippedItem[] = [];
  const all = listFiles(dir, new Set((opts.exclude ?? []).map((p) => resolve(p))), [], (n) => opts.onProgress?.('listing', n, 0));
  opts.onProgress?.('listing', all.length, all.length);
  const images: { path: string; kind: FileKind }[] = [];
  for (const p of all) {
    const kind = kindOfName(p);
    if (kind) images.push({ path: p, kind });
    else if (TABLE_EXT.test(p)) {
      skipped.push({
        id: relative(dir, p),
        file: p,
        code: 'BAD_INPUT',
        reason: opts.table ? 'a table, not an image (not imported)' : 'a table, not an image: choose it as the catalogue to use its coordinates',
      });
    } else skipped.push({ id: relative(dir, p), file: p, code: 'FITS_UNSUPPORTED', reason: 'unknown format (not FITS, PNG or JPEG)' });
  }
  const objects: PlannedObject[] = [];
  if (!opts.table) {
    const groups = new Map<string, PlannedFile[]>();
    const baseCount = new Map<string, number>();
    for (const im of images) {
      const m = im.kind === 'fits' ? BAND_SUFFIX.exec(stemOf(im.path)) : null;
      if (m) baseCount.set(m[1], (baseCount.get(m[1]) ?? 0) + 1);
    }
    for (const im of images) {
      const stem = stemOf(im.path);
      const m = im.kind === 'fits' ? BAND_SUFFIX.exec(stem) : null;
      const key = m && (baseCount.get(m[1]) ?? 0) > 1 ? m[1] : stem;
      const band = key !== stem && m ? normaliseBand(m[2]) : null;
      const g = groups.get(key) ?? [];
      g.push({ path: im.path, kind: im.kind, band });
      groups.set(key, g);
    }
    for (const [id, files] of groups) {
      if (files.some((f) => f.kind !== 'fits')) {
        for (const f of files)
          skipped.push({ id, file: f.path, code: 'BAD_INPUT', reason: 'no coordinates: PNG/JPEG files need a catalogue with ra, dec and a file or id column' });
        continue;
      }
      if (files.length > 1 && new Set(files.map((f) => f.band)).size !== files.length) {
        for (const f of files.slice(1)) skipped.push({ id, file: f.path, code: 'BAD_INPUT', reason: `duplicate id '${id}' (another file has the same name)` });
        objects.push({ id, files: files.slice(0, 1), ra: null, dec: null, extra: {} });
        continue;
      }
      objects.push({ id, files, ra: null, dec: null, extra: {} });
    }
    return { objects, skipped, files: all.length };
  }
  const t = opts.table;
  const names = detectCatalogColumns(t, opts.columns, opts.catalogName ?? 'catalogue');
  const rows = catalogRows(t, names, 'IMG', { repeatedIds: Boolean(names.band) });
  for (const e of rows.errors) skipped.push({ id: e.id, row: e.row, code: 'BAD_INPUT', reason: e.reason });
  const byStem = new Map<string, { path: string; kind: FileKind }[]>();
  const byPath = new Map<string, { path: string; kind: FileKind }>();
  for (const im of images) {
    const s = stemOf(im.path);
    const list = byStem.get(s);
    if (list) list.push(im);
    else byStem.set(s, [im]);
    byPath.set(resolve(im.path), im);
  }
  const used = new Set<string>();
  opts.onProgress?.('matching', 0, rows.ids.length);
  const byId = new Map<string, PlannedObject>();
  rows.ids.forEach((id, k) => {
    const row = rows.rows[k];
    let file: { path: string; kind: FileKind } | undefined;
    const named = rows.files?.[k];
    if (names.file) {
      if (!named) return skipped.push({ id, row, code: 'BAD_INPUT', reason: `empty '${names.file}' cell` });
      const p = isAbsolute(named) ? named : join(dir, named);
      const kind = kindOfName(p);
      file = byPath.get(resolve(p));
      if (!file)
        return skipped.push({
          id,
          row,
          file: p,
          code: kind ? 'NOT_FOUND' : 'FITS_UNSUPPORTED',
          reason: kind ? `file not found: ${named}` : `unknown format: ${named}`,
        });
    } else {
      const cands = byStem.get(id) ?? [];
      if (cands.length !== 1)
        return skipped.push({
          id,
          row,
          code: 'NOT_FOUND',
          reason: cands.length ? `${cands.length} files are named ${id}.*` : `no image file named ${id}.* ` + `(and no file column)`,
        });
      file = cands[0];
    }
    used.add(resolve(file.path));
    const band = rows.bands?.[k] ? normaliseBand(rows.bands[k]!) : null;
    const o = byId.get(id);
    if (o) {
      o.files.push({ path: file.path, kind: file.kind, band });
      return;
    }
    const obj: PlannedObject = {
      id,
      files: [{ path: file.path, kind: file.kind, band }],
      ra: rows.ra[k],
      dec: rows.dec[k],
      row,
      extra: safeExtras(rowExtras(t, row, names)),
    };
    byId.set(id, obj);
    objects.push(obj);
  });
  opts.onProgress?.('matching', rows.ids.length, rows.ids.length);
  for (const im of images)
    if (!used.has(resolve(im.path))) skipped.push({ id: relative(dir, im.path), file: im.path, code: 'NOT_FOUND', reason: 'not in the catalogue' });
  return { objects, skipped, files: all.length };
}
