/**
 * The bundled Messier / NGC / IC list (resources/catalogs/dso-ngc-ic-messier.tsv,
 * built from Stellarium's DSO catalogue by resources/catalogs/build-dso.py):
 * parsed from its text and looked up by designation ('M31', 'M 31',
 * 'Messier 31', 'NGC 224', 'ngc224', 'NGC0224', 'IC 342') or by a common
 * name ('Andromeda Galaxy', 'crab nebula'), case, spaces and punctuation
 * ignored. Pure: the caller reads the file.
 */
import { AppError } from '../core/errors';

export interface DsoEntry {
  /** the preferred designation: 'M 31', else 'NGC 224', else 'IC 342' */
  name: string;
  /** every designation and common name of the object */
  aliases: string[];
  ra: number;
  dec: number;
  type: string;
}

export interface DsoIndex {
  count: number;
  /** the entry a name means, or null */
  lookup(text: string): DsoEntry | null;
}

/** 'M 31', 'messier31' → 'M31'; 'NGC 0224' → 'NGC224'; other text: letters and digits only, lower case */
export function dsoKey(text: string): string {
  const t = text.trim().toLowerCase();
  const d = /^(m|messier|ngc|ic)\s*[-_.]?\s*0*(\d{1,4})\s*([a-z]?)$/.exec(t);
  if (d) return `${d[1] === 'messier' ? 'M' : d[1].toUpperCase()}${d[2]}${d[3]}`;
  return t.normalize('NFKD').replace(/[^a-z0-9]+/g, '');
}

export function parseDsoTable(text: string, where = 'DSO list'): DsoIndex {
  const byKey = new Map<string, DsoEntry>();
  let count = 0,
    header = false;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split('\t');
    if (!header) {
      if (f.slice(0, 5).join(',') !== 'm,ngc,ic,ra,dec') throw new AppError('BAD_INPUT', `${where}: header must start m, ngc, ic, ra, dec`);
      header = true;
      continue;
    }
    const [m, ngc, ic, ra, dec, type = '', names = ''] = f;
    const ids = [m && `M ${m}`, ngc && `NGC ${ngc}`, ic && `IC ${ic}`].filter((s): s is string => !!s);
    const e: DsoEntry = { name: ids[0] ?? '', aliases: [...ids, ...names.split(';').filter(Boolean)], ra: Number(ra), dec: Number(dec), type };
    if (!ids.length || !Number.isFinite(e.ra) || !Number.isFinite(e.dec)) throw new AppError('BAD_INPUT', `${where}: bad row '${line.slice(0, 80)}'`);
    count++;
    // designations win over common names; the first object keeps a shared common name
    for (const id of ids) byKey.set(dsoKey(id), e);
    for (const n of e.aliases.slice(ids.length)) if (!byKey.has(dsoKey(n))) byKey.set(dsoKey(n), e);
  }
  return { count, lookup: (t) => (t.trim() ? (byKey.get(dsoKey(t)) ?? null) : null) };
}
