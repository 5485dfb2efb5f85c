/**
 * Which columns of a catalogue hold the position, the id and (for folder
 * imports) the file name and band; and the rows as columns of coordinates,
 * with a per-row error for every row whose coordinates are missing, NaN or
 * out of range (the batch goes on without them).
 */
import { AppError } from '../core/errors';
import { parseDec, parseRa } from '../sky/coords';
import { cellText, columnAsFloat64, findColumn, isNumericValues, type Table, type TableColumn } from './table';

export const RA_NAMES = [
  'ra',
  'ra_deg',
  'radeg',
  'raj2000',
  '_raj2000',
  'ra_j2000',
  'ra_icrs',
  'ra2000',
  'ra_d',
  'alpha',
  'alpha_j2000',
  'right_ascension',
  'target_ra',
  'ra_obj',
  'ramean',
];
export const DEC_NAMES = [
  'dec',
  'dec_deg',
  'decdeg',
  'dej2000',
  '_dej2000',
  'decj2000',
  'dec_j2000',
  'de_icrs',
  'dec_icrs',
  'dec2000',
  'dec_d',
  'delta',
  'delta_j2000',
  'declination',
  'target_dec',
  'dec_obj',
  'decmean',
  'de',
];
export const ID_NAMES = [
  'id',
  'objid',
  'obj_id',
  'object_id',
  'objectid',
  'source_id',
  'sourceid',
  'targetid',
  'target_id',
  'name',
  'designation',
  'galaxy_id',
  'iauname',
  'main_id',
  'ls_id',
  'dr8_id',
  'brickid_objid',
];
export const FILE_NAMES = ['file', 'filename', 'file_name', 'path', 'image', 'image_file', 'cutout', 'fits'];
export const BAND_NAMES = ['band', 'filter', 'passband', 'bandpass'];

export interface CatalogColumnNames {
  ra: string;
  dec: string;
  id?: string;
  file?: string;
  band?: string;
}

export interface ColumnOverrides {
  ra?: string;
  dec?: string;
  id?: string;
  file?: string;
  band?: string;
}

function pick(t: Table, names: string[], ucds: string[]): TableColumn | undefined {
  for (const n of names) {
    const c = findColumn(t, n);
    if (c) return c;
  }
  return t.columns.find((c) => c.ucd && ucds.some((u) => c.ucd!.toLowerCase().split(';')[0] === u));
}

function override(t: Table, name: string | undefined, role: string, what: string): TableColumn | undefined {
  if (name === undefined) return undefined;
  const c = findColumn(t, name);
  if (!c) throw new AppError('BAD_INPUT', `${what}: no column '${name}' for ${role} (columns: ${t.columns.map((x) => x.name).join(', ')})`);
  return c;
}

/** Find ra/dec (required), id, file, band columns; BAD_INPUT naming the columns present when ra/dec are missing. */
export function detectCatalogColumns(t: Table, o: ColumnOverrides = {}, what = 'catalogue'): CatalogColumnNames {
  const ra = override(t, o.ra, 'ra', what) ?? pick(t, RA_NAMES, ['pos.eq.ra']);
  const dec = override(t, o.dec, 'dec', what) ?? pick(t, DEC_NAMES, ['pos.eq.dec']);
  if (!ra || !dec) {
    const missing = [!ra && 'ra', !dec && 'dec'].filter(Boolean).join(' and ');
    throw new AppError(
      'BAD_INPUT',
      `${what}: no ${missing} column (looked for ${(!ra ? RA_NAMES : DEC_NAMES).slice(0, 6).join(', ')}, ...; columns: ` +
        `${t.columns.map((c) => c.name).join(', ') || 'none'})`,
      { columns: t.columns.map((c) => c.name) },
    );
  }
  const id = override(t, o.id, 'id', what) ?? pick(t, ID_NAMES, ['meta.id']);
  const file = override(t, o.file, 'file', what) ?? pick(t, FILE_NAMES, []);
  const band = override(t, o.band, 'band', what) ?? pick(t, BAND_NAMES, []);
  return { ra: ra.name, dec: dec.name, id: id?.name, file: file?.name, band: band?.name };
}

export interface RowError {
  /** 0-based data row */
  row: number;
  id: string;
  reason: string;
}

export interface CatalogRows {
  /** rows with valid coordinates, in catalogue order (0-based row numbers) */
  rows: Int32Array;
  ra: Float64Array;
  dec: Float64Array;
  ids: string[];
  files: (string | null)[] | null;
  bands: (string | null)[] | null;
  errors: RowError[];
  columns: CatalogColumnNames;
}

function coordColumn(c: TableColumn, parse: (s: string) => number): Float64Array {
  if (isNumericValues(c.values)) return columnAsFloat64(c);
  const v = c.values;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const s = v[i];
    out[i] = typeof s === 'string' ? parse(s) : NaN;
  }
  return out;
}

/** Default object id when the catalogue has none: 'LS-<ra>-<dec>' style, 5 decimals (≈ 0.04"). */
export function positionalId(prefix: string, ra: number, dec: number): string {
  return `${prefix}-${ra.toFixed(5)}${dec < 0 ? '' : '+'}${dec.toFixed(5)}`;
}

/**
 * The usable rows of a catalogue; bad coordinates become per-row errors.
 * Ids must be unique, or unique per band with `repeatedIds` (one file per band).
 */
export function catalogRows(t: Table, names: CatalogColumnNames, idPrefix = 'OBJ', opts: { repeatedIds?: boolean } = {}): CatalogRows {
  const raCol = findColumn(t, names.ra)!,
    decCol = findColumn(t, names.dec)!;
  const ra = coordColumn(raCol, parseRa),
    dec = coordColumn(decCol, parseDec);
  const idCol = names.id ? findColumn(t, names.id) : undefined;
  const fileCol = names.file ? findColumn(t, names.file) : undefined;
  const bandCol = names.band ? findColumn(t, names.band) : undefined;
  const keep: number[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < t.nrows; i++) {
    const id = idCol ? cellText(idCol, i) : '';
    const label = id || `row ${i + 1}`;
    const r = ra[i],
      d = dec[i];
    if (!Number.isFinite(r) || !Number.isFinite(d)) {
      errors.push({
        row: i,
        id: label,
        reason: `missing or non-numeric coordinates (${names.ra}='${cellText(raCol, i)}', ${names.dec}='${cellText(decCol, i)}')`,
      });
      continue;
    }
    if (r < -360 || r > 720 || d < -90 || d > 90) {
      errors.push({ row: i, id: label, reason: `coordinates out of range (ra=${r}, dec=${d})` });
      continue;
    }
    ra[i] = ((r % 360) + 360) % 360;
    if (idCol && id === '') {
      errors.push({ row: i, id: label, reason: `empty id in column '${names.id}'` });
      continue;
    }
    const key = (id || positionalId(idPrefix, ra[i], d)) + (opts.repeatedIds && bandCol ? `\u0000${cellText(bandCol, i)}` : '');
    const prev = opts.repeatedIds && !bandCol ? undefined : seen.get(key);
    if (prev !== undefined) {
      errors.push({ row: i, id: key, reason: `duplicate id (first seen on row ${prev + 1})` });
      continue;
    }
    seen.set(key, i);
    keep.push(i);
  }
  const rows = Int32Array.from(keep);
  return {
    rows,
    ra: Float64Array.from(keep, (i) => ra[i]),
    dec: Float64Array.from(keep, (i) => dec[i]),
    ids: keep.map((i) => (idCol ? cellText(idCol, i) : positionalId(idPrefix, ra[i], dec[i]))),
    files: fileCol ? keep.map((i) => cellText(fileCol, i) || null) : null,
    bands: bandCol ? keep.map((i) => cellText(bandCol, i) || null) : null,
    errors,
    columns: names,
  };
}

/** Other columns of row i as ObjectRecord extras (numbers, text; NaN → null). */
export function rowExtras(t: Table, row: number, exclude: CatalogColumnNames): Record<string, number | string | null> {
  const skip = new Set([exclude.ra, exclude.dec, exclude.id, exclude.file, exclude.band].filter(Boolean) as string[]);
  const out: Record<string, number | string | null> = {};
  for (const c of t.columns) {
    if (skip.has(c.name)) continue;
    const v = c.values[row];
    if (c.mask?.[row]) out[c.name] = null;
    else if (typeof v === 'number') out[c.name] = Number.isFinite(v) ? v : null;
    else if (typeof v === 'bigint') out[c.name] = Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
    else if (typeof v === 'boolean') out[c.name] = v ? 1 : 0;
    else out[c.name] = v ?? null;
  }
  return out;
}
