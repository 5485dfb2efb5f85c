/**
 * Writes a search's candidates (CSV, FITS binary table, VOTable 1.4) and a
 * model's embeddings (.npy or a FITS image + object table). Files are written
 * atomically; the format is taken from `format` or the file extension.
 */
import { AppError } from '@app/core/errors';
import { writeFits, type ColumnSpec } from '@app/fits';
import { isNumericValues, writeCsv, writeVOTable, type TableColumn } from '@app/tables';
import type { EmbeddingView } from '../discovery/embedding-view';
import type { Workspace } from '../workspace';
import { writeFileAtomic } from '../workspace/fsutil';
import { candidateTable } from './candidates';
import { npyFloat32 } from './npy';

export type TableFormat = 'csv' | 'fits' | 'votable';
export type EmbeddingFormat = 'npy' | 'fits';

export function formatFromPath(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === 'vot' || ext === 'xml' ? 'votable' : ext === 'fit' || ext === 'fits' ? 'fits' : ext;
}

function fitsColumn(c: TableColumn): ColumnSpec {
  const v = c.values;
  if (isNumericValues(v)) {
    const format = v instanceof Float64Array ? 'D' : v instanceof Float32Array ? 'E' : v instanceof Int32Array ? 'J' : v instanceof Int16Array ? 'I' : 'B';
    return { name: c.name, format, data: v as ColumnSpec['data'], unit: c.unit };
  }
  const strings = (v as (string | null)[]).map((s) => s ?? '');
  return { name: c.name, format: 'A', repeat: Math.max(1, ...strings.map((s) => Buffer.byteLength(s))), data: strings };
}

export interface ExportReport {
  path: string;
  format: string;
  rows: number;
  /** candidate tables: the embedding model and the probe round of the scores (0 = computed for this export) */
  model?: string;
  round?: number;
}

export function exportCandidates(ws: Workspace, view: EmbeddingView, search: string, out: string, format: TableFormat, top = 1000): ExportReport {
  const t = candidateTable(ws, view, search, top);
  const when = new Date().toISOString();
  let bytes: Uint8Array | string;
  if (format === 'csv') bytes = writeCsv(t.columns);
  else if (format === 'votable')
    bytes = writeVOTable(t.columns, {
      name: 'candidates',
      description: `Latent Sky candidates of search '${search}' (model ${t.model}, round ${t.round})`,
      info: { search, model: t.model, round: String(t.round), created: when },
    });
  else
    bytes = writeFits([
      {
        kind: 'bintable',
        name: 'CANDIDATES',
        columns: t.columns.map(fitsColumn),
        header: [
          { key: 'SEARCH', value: search.slice(0, 60), comment: 'Latent Sky search' },
          { key: 'MODEL', value: t.model.slice(0, 60), comment: 'embedding model key' },
          { key: 'ROUND', value: t.round, comment: 'probe round of the scores' },
          { key: 'DATE', value: when.slice(0, 19) },
        ],
      },
    ]);
  writeFileAtomic(out, bytes);
  return { path: out, format, rows: t.rows, model: t.model, round: t.round };
}

/** Raw (as stored, not normalised) embeddings; rows of objects not embedded are NaN. */
export function exportEmbeddings(ws: Workspace, view: EmbeddingView, out: string, format: EmbeddingFormat): ExportReport {
  const m = ws.embeddings(view.modelKey).readAll();
  if (format === 'npy') writeFileAtomic(out, npyFloat32(m, [view.n, view.dim]));
  else if (format === 'fits') {
    const ra = ws.column('ra'),
      dec = ws.column('dec');
    const ids = ws.objects().map((o) => o.id);
    writeFileAtomic(
      out,
      writeFits([
        { kind: 'image', name: 'EMBEDDINGS', shape: [view.n, view.dim], data: m, header: [{ key: 'MODEL', value: view.modelKey.slice(0, 60) }] },
        {
          kind: 'bintable',
          name: 'OBJECTS',
          columns: [
            { name: 'IDX', format: 'J', data: Int32Array.from({ length: view.n }, (_, i) => i) },
            { name: 'ID', format: 'A', repeat: Math.max(1, ...ids.map((s) => Buffer.byteLength(s))), data: ids },
            { name: 'RA', format: 'D', unit: 'deg', data: ra },
            { name: 'DEC', format: 'D', unit: 'deg', data: dec },
          ],
        },
      ]),
    );
  } else throw new AppError('BAD_INPUT', `unknown embeddings format '${format}' (npy or fits)`);
  return { path: out, format, rows: view.n };
}
