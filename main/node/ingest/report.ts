/** What every importer reports: what was added, what was skipped and why, how long it took. */
import type { ErrorCode } from '@app/core/errors';

export interface SkippedItem {
  /** catalogue id, file name or 'row N' */
  id: string;
  /** 0-based catalogue row, when the item came from a catalogue */
  row?: number;
  file?: string;
  code: ErrorCode;
  reason: string;
}

export interface IngestReport {
  source: string;
  /** items considered (catalogue rows, files, HDF5 rows) */
  total: number;
  added: number;
  /** already in the workspace (same id): a resumed or repeated ingest */
  alreadyPresent: number;
  skipped: SkippedItem[];
  /** downloaders: served from the local cache / fetched now */
  fromCache?: number;
  downloaded?: number;
  elapsedMs: number;
  cancelled: boolean;
  /** the indices the new objects got */
  firstIdx?: number;
  lastIdx?: number;
}

export interface IngestProgress {
  phase: 'reading' | 'downloading' | 'importing';
  done: number;
  total: number;
  failed: number;
  /** seconds left at the current rate, null until there is a rate */
  etaSeconds: number | null;
}

export type ProgressFn = (p: IngestProgress) => void;

/** ETA from the items finished since `start` (ms). */
export function eta(done: number, total: number, startMs: number, nowMs = Date.now()): number | null {
  const dt = (nowMs - startMs) / 1000;
  if (done <= 0 || dt <= 0) return null;
  return ((total - done) * dt) / done;
}

/** Skipped items grouped by reason, most frequent first: the CLI summary. */
export function skippedSummary(skipped: SkippedItem[]): { reason: string; count: number; examples: string[] }[] {
  const groups = new Map<string, { count: number; examples: string[] }>();
  for (const s of skipped) {
    const key = s.reason.replace(/'[^']*'/g, "'…'").replace(/-?\d+(\.\d+)?/g, 'N');
    const g = groups.get(key) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(`${s.id}: ${s.reason}`);
    groups.set(key, g);
  }
  return [...groups.entries()].map(([reason, g]) => ({ reason, ...g })).sort((a, b) => b.count - a.count);
}
