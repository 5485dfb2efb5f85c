/**
 * Catalogue → Legacy Survey cutouts → workspace. Rows with bad coordinates
 * are reported and skipped; objects already in the workspace (a resumed or
 * repeated run) are not fetched again; downloads land in the cache first,
 * then go into the workspace in catalogue order.
 */
import { isAppError } from '@app/core/errors';
import { catalogRows, detectCatalogColumns, rowExtras, type ColumnOverrides } from '@app/tables/catalog-columns';
import type { Table } from '@app/tables/table';
import type { IngestReport } from '../report';
import { OrderedCommitter, safeExtras, type IngestSink } from '../sink';
import { downloadCutouts, type DownloadOptions, type Target } from './download';

export interface LegacySurveyIngestOptions extends DownloadOptions {
  columns?: ColumnOverrides;
  /** for messages */
  catalogName?: string;
}

export async function ingestLegacySurvey(sink: IngestSink, table: Table, opts: LegacySurveyIngestOptions): Promise<IngestReport> {
  const t0 = Date.now();
  const names = detectCatalogColumns(table, opts.columns, opts.catalogName ?? 'catalogue');
  const rows = catalogRows(table, names, 'LS');
  const source = `legacysurvey:${opts.layer}`;
  const committer = new OrderedCommitter(sink);
  for (const e of rows.errors) committer.skipped.push({ id: e.id, row: e.row, code: 'BAD_INPUT', reason: e.reason });
  const targets: Target[] = [];
  const targetRow: number[] = [];
  let alreadyPresent = 0;
  rows.ids.forEach((id, k) => {
    if (sink.has(id)) {
      alreadyPresent++;
      return;
    }
    targets.push({ id, ra: rows.ra[k], dec: rows.dec[k] });
    targetRow.push(rows.rows[k]);
  });
  let cancelled = false;
  let totals = { fromCache: 0, downloaded: 0, failed: 0 };
  try {
    totals = await downloadCutouts(targets, opts, (i, r) => {
      const t = targets[i];
      if (!r.ok) return committer.put(i, { id: t.id, row: targetRow[i], code: r.code, reason: r.reason });
      committer.put(i, {
        object: { id: t.id, ra: t.ra, dec: t.dec, source, truth: null, extra: safeExtras(rowExtras(table, targetRow[i], names)) },
        cutout: r.cutout,
      });
    });
  } catch (e) {
    if (!(isAppError(e) && e.code === 'CANCELLED')) throw e;
    cancelled = true;
  } finally {
    committer.flush();
  }
  return {
    source,
    total: table.nrows,
    added: committer.added,
    alreadyPresent,
    skipped: committer.skipped,
    fromCache: totals.fromCache,
    downloaded: totals.downloaded,
    elapsedMs: Date.now() - t0,
    cancelled,
    firstIdx: committer.firstIdx,
    lastIdx: committer.lastIdx,
  };
}
