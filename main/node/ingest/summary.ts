/** The IngestReport of main/node/ingest as the contract's bounded IngestSummary, kept in the workspace's kv. */
import { MAX_REPORTED_SKIPS, type IngestSummary } from '@app/contracts/ingest';
import type { ErrorData } from '@app/core/errors';
import { skippedSummary, type IngestReport } from './report';
import type { Workspace } from '../workspace/workspace';

export const LAST_INGEST_KEY = 'ingest.last';

export interface SummaryContext {
  jobId: string;
  source: string;
  input: string;
  workspace: string;
  objects: number;
}

export function summarise(c: SummaryContext, r: IngestReport): IngestSummary {
  return {
    ...c,
    source: r.source,
    state: r.cancelled ? 'cancelled' : 'done',
    total: r.total,
    added: r.added,
    alreadyPresent: r.alreadyPresent,
    skippedCount: r.skipped.length,
    skipped: r.skipped.slice(0, MAX_REPORTED_SKIPS).map((s) => ({ id: s.id, row: s.row ?? null, file: s.file ?? null, code: s.code, reason: s.reason })),
    skippedByReason: skippedSummary(r.skipped),
    fromCache: r.fromCache ?? null,
    downloaded: r.downloaded ?? null,
    elapsedMs: r.elapsedMs,
    cancelled: r.cancelled,
    finishedAt: Date.now(),
    error: null,
  };
}

/** an ingest that stopped before importing (unreadable catalogue, wrong workspace shape) */
export function failedSummary(c: SummaryContext, error: ErrorData, startedAt: number): IngestSummary {
  return {
    ...c,
    state: 'failed',
    total: 0,
    added: 0,
    alreadyPresent: 0,
    skippedCount: 0,
    skipped: [],
    skippedByReason: [],
    fromCache: null,
    downloaded: null,
    elapsedMs: Date.now() - startedAt,
    cancelled: false,
    finishedAt: Date.now(),
    error,
  };
}

export function saveSummary(ws: Workspace, s: IngestSummary): void {
  if (!ws.readonly) ws.kv.set(LAST_INGEST_KEY, s);
}

export function loadSummary(ws: Workspace): IngestSummary | null {
  return ws.kv.get<IngestSummary>(LAST_INGEST_KEY) ?? null;
}
