/**
 * A table another VO tool sent us (table.load.votable): fetched from its URL
 * (file:// or an http:// URL on this machine, under the resource budget of
 * app/core/limits.ts: maxTextBytes for a file, the downloader's response cap
 * for http), parsed by app/tables' VOTable reader, and read as what the app
 * can use: positions (ra/dec columns, detected as catalogue imports do) for a
 * user catalogue overlay, and/or a column of the workspace's own object ids
 * (labels for a search). A table with neither is one clear BAD_INPUT.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SampTable } from '@app/contracts';
import { AppError } from '@app/core/errors';
import { checkBudget, LIMITS } from '@app/core/limits';
import { cellText, detectCatalogColumns, ID_NAMES, readVOTable, type Table } from '@app/tables';
import { fetchBytes } from '../ingest/net/http';

/** a received table as the contract carries it (app/contracts SampTable) */
export type ReceivedTable = SampTable;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** the VOTable text behind a table.load.votable URL */
export async function fetchTableText(url: string): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('BAD_INPUT', `table.load.votable: '${url}' is not a URL`);
  }
  if (u.protocol === 'file:') {
    const path = fileURLToPath(u);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new AppError('NOT_FOUND', `table.load.votable: no file ${path}`);
    }
    checkBudget(`table.load.votable: ${path}`, size, LIMITS.maxTextBytes, 'bytes');
    return readFileSync(path, 'utf8');
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') {
    if (!LOCAL_HOSTS.has(u.hostname))
      throw new AppError('BAD_INPUT', `table.load.votable: ${u.host} is not this machine (only file:// and local http:// URLs are loaded)`);
    const body = await fetchBytes(url, (b) => b, { retries: 1, timeoutMs: 30_000 });
    return new TextDecoder().decode(body);
  }
  throw new AppError('BAD_INPUT', `table.load.votable: ${u.protocol} URLs are not supported (file:// or a local http://)`);
}

/** the column whose values are this workspace's object ids (most matches; at least half the rows), or null */
function idColumnOf(t: Table, findById: (id: string) => number | undefined): { name: string; objects: Int32Array; matched: number } | null {
  const candidates = [...t.columns].sort((a, b) => Number(ID_NAMES.includes(b.name.toLowerCase())) - Number(ID_NAMES.includes(a.name.toLowerCase())));
  let best: { name: string; objects: Int32Array; matched: number } | null = null;
  for (const c of candidates) {
    const objects = new Int32Array(t.nrows).fill(-1);
    let hits = 0;
    for (let i = 0; i < t.nrows; i++) {
      const v = cellText(c, i);
      const idx = v === '' ? undefined : findById(v);
      if (idx !== undefined) {
        objects[i] = idx;
        hits++;
      }
      // give up on a column early when the first rows do not match
      if (i === 99 && hits === 0) break;
    }
    if (hits > 0 && hits * 2 >= t.nrows && (!best || hits > best.matched))
      best = { name: c.name, objects, matched: new Set(objects.filter((x) => x >= 0)).size };
  }
  return best;
}

function positions(t: Table, name: string): { ra: Float32Array; dec: Float32Array } | null {
  let cols;
  try {
    cols = detectCatalogColumns(t, {}, name);
  } catch {
    return null;
  }
  const col = (n: string) => t.columns.find((c) => c.name === n)!;
  const num = (n: string) =>
    Float32Array.from({ length: t.nrows }, (_, i) => {
      const s = cellText(col(n), i);
      return s === '' ? NaN : Number(s);
    });
  return { ra: num(cols.ra), dec: num(cols.dec) };
}

/** reads a received VOTable as an overlay and/or labels; BAD_INPUT when it is neither */
export function interpretTable(text: string, req: { url: string; tableId: string; name: string }, findById: (id: string) => number | undefined): ReceivedTable {
  const t = readVOTable(text, { name: req.name });
  const pos = positions(t, req.name);
  const ids = idColumnOf(t, findById);
  if (!pos && !ids) {
    const cols = t.columns.map((c) => c.name).join(', ') || 'none';
    throw new AppError('BAD_INPUT', `table '${req.name}' has no ra/dec columns and no column of this workspace's object ids (columns: ${cols})`);
  }
  return {
    name: req.name,
    tableId: req.tableId,
    url: req.url,
    rows: t.nrows,
    ra: pos?.ra ?? null,
    dec: pos?.dec ?? null,
    idColumn: ids?.name ?? null,
    objects: ids?.objects ?? null,
    matched: ids?.matched ?? 0,
  };
}
