/**
 * The SAMP MTypes Latent Sky sends and receives (IVOA SAMP MType list):
 * parsing of incoming params (strings on the wire) into checked values.
 */
import { AppError } from '@app/core/errors';
import type { XrMap, XrValue } from './xmlrpc';

export const MT = {
  loadVOTable: 'table.load.votable',
  highlightRow: 'table.highlight.row',
  selectRowList: 'table.select.rowList',
  pointAtSky: 'coord.pointAt.sky',
  ping: 'samp.app.ping',
  hubShutdown: 'samp.hub.event.shutdown',
  hubDisconnect: 'samp.hub.disconnect',
} as const;

/** what we subscribe to */
export const SUBSCRIPTIONS = [MT.pointAtSky, MT.highlightRow, MT.selectRowList, MT.loadVOTable, MT.ping, MT.hubShutdown, MT.hubDisconnect] as const;

export interface SampMessage {
  mtype: string;
  params: XrMap;
}

export function messageOf(v: XrValue | undefined): SampMessage {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AppError('BAD_INPUT', 'SAMP message must be a map');
  const mtype = v['samp.mtype'];
  const params = v['samp.params'] ?? {};
  if (typeof mtype !== 'string' || typeof params !== 'object' || Array.isArray(params))
    throw new AppError('BAD_INPUT', 'SAMP message lacks samp.mtype or samp.params');
  return { mtype, params: params as XrMap };
}

function num(p: XrMap, key: string, mtype: string, min: number, max: number): number {
  const raw = p[key];
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new AppError('BAD_INPUT', `${mtype}: param ${key}='${String(p[key])}' is not a number in [${min}, ${max}]`);
  }
  return v;
}

export function parsePointAt(p: XrMap): { ra: number; dec: number } {
  return { ra: num(p, 'ra', MT.pointAtSky, -360, 360), dec: num(p, 'dec', MT.pointAtSky, -90, 90) };
}

export function parseHighlightRow(p: XrMap): { tableId: string; url: string; row: number } {
  const row = num(p, 'row', MT.highlightRow, 0, 2 ** 31 - 1);
  if (!Number.isInteger(row)) throw new AppError('BAD_INPUT', `${MT.highlightRow}: row '${String(p.row)}' is not an integer`);
  return { tableId: String(p['table-id'] ?? ''), url: String(p.url ?? ''), row };
}

export function pointAtMessage(ra: number, dec: number): SampMessage {
  return { mtype: MT.pointAtSky, params: { ra: String(ra), dec: String(dec) } };
}

export function loadVOTableMessage(url: string, tableId: string, name: string): SampMessage {
  return { mtype: MT.loadVOTable, params: { url, 'table-id': tableId, name } };
}

export function highlightRowMessage(url: string, tableId: string, row: number): SampMessage {
  return { mtype: MT.highlightRow, params: { url, 'table-id': tableId, row: String(row) } };
}

/** table.select.rowList: rows (0-based) of a table identified by table-id (and url) */
export function selectRowListMessage(url: string, tableId: string, rows: ArrayLike<number>): SampMessage {
  return { mtype: MT.selectRowList, params: { url, 'table-id': tableId, 'row-list': Array.from(rows, (r) => String(r)) } };
}

export function parseSelectRowList(p: XrMap): { tableId: string; url: string; rows: number[] } {
  const list = p['row-list'];
  if (!Array.isArray(list)) throw new AppError('BAD_INPUT', `${MT.selectRowList}: param row-list must be a list`);
  const rows = list.map((r) => {
    const v = typeof r === 'string' && /^\s*\d+\s*$/.test(r) ? Number(r) : typeof r === 'number' ? r : NaN;
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) throw new AppError('BAD_INPUT', `${MT.selectRowList}: row '${String(r)}' is not a row number`);
    return v;
  });
  return { tableId: String(p['table-id'] ?? ''), url: String(p.url ?? ''), rows };
}

export function parseLoadVOTable(p: XrMap): { url: string; tableId: string; name: string } {
  const url = p.url;
  if (typeof url !== 'string' || !url.trim()) throw new AppError('BAD_INPUT', `${MT.loadVOTable}: param url is missing`);
  const tableId = String(p['table-id'] ?? '');
  return { url: url.trim(), tableId, name: String(p.name ?? '') || tableId || url.trim() };
}
