/**
 * A user catalogue (CSV or VOTable text with ra/dec columns, detected as the
 * importers do: app/tables) and its cross-match with the workspace's
 * objects: for each catalogue row the nearest object within a radius. A
 * cell grid of the objects keeps it near linear.
 */
import { catalogRows, detectCatalogColumns, readCsv, readVOTable, type Table } from '@app/tables';

export interface UserCatalog {
  name: string;
  ra: Float32Array;
  dec: Float32Array;
  skipped: number;
}

export function parseUserCatalog(name: string, text: string): UserCatalog {
  const t: Table = /^\s*</.test(text) ? readVOTable(text) : readCsv(text);
  const rows = catalogRows(t, detectCatalogColumns(t, {}, name), 'ROW', { repeatedIds: true });
  return { name, ra: Float32Array.from(rows.ra), dec: Float32Array.from(rows.dec), skipped: rows.errors.length };
}

/** per catalogue row, the nearest object index within radiusArcsec, or -1 */
export function crossMatch(objRa: Float32Array, objDec: Float32Array, cat: UserCatalog, radiusArcsec: number): Int32Array {
  const r = radiusArcsec / 3600,
    cell = Math.max(r, 1e-4);
  const key = (x: number, y: number) => `${x},${y}`;
  const grid = new Map<string, number[]>();
  for (let i = 0; i < objRa.length; i++) {
    const k = key(Math.floor(objDec[i] / cell), Math.floor(objRa[i] / cell));
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  }
  const out = new Int32Array(cat.ra.length).fill(-1);
  for (let j = 0; j < cat.ra.length; j++) {
    const cd = Math.cos((cat.dec[j] * Math.PI) / 180) || 1e-9;
    const dy = Math.floor(cat.dec[j] / cell),
      reach = Math.ceil(1 / cd) + 1;
    let best = r * r;
    for (let y = dy - 1; y <= dy + 1; y++)
      for (let x = Math.floor(cat.ra[j] / cell) - reach; x <= Math.floor(cat.ra[j] / cell) + reach; x++)
        for (const i of grid.get(key(y, x)) ?? []) {
          const ddx = (objRa[i] - cat.ra[j]) * cd,
            ddy = objDec[i] - cat.dec[j];
          const d = ddx * ddx + ddy * ddy;
          if (d <= best) {
            best = d;
            out[j] = i;
          }
        }
  }
  return out;
}
