/**
 * Labels written by another process on the open workspace (the CLI's
 * `latent-sky probe`, a second engine) reach this engine's clients: while a
 * workspace session is open, a short timer asks the label store for changes
 * other connections committed (workspace/labels.ts externalChanges, one
 * PRAGMA data_version when nothing changed) and emits the same 'labels'
 * delta events a local write emits, one per search and label value; a probe
 * round recorded elsewhere (the demo's simulated searches, `latent-sky probe`)
 * is announced as a 'probe' event, so an open app shows the newest round. The
 * timer does not keep the process alive and stops when the session disposes.
 */
import type { EngineEvent } from '@app/contracts';
import type { Label, LabelChange } from '../workspace/labels';
import type { Workspace } from '../workspace/workspace';

/** how often the open workspace is checked for labels written elsewhere */
export const LABEL_WATCH_MS = 250;

/** the 'labels' events for a batch of changes: the last change of each object wins */
export function labelEvents(changes: LabelChange[]): Extract<EngineEvent, { type: 'labels' }>[] {
  const last = new Map<string, Map<number, Label | null>>();
  for (const c of changes) {
    let bySearch = last.get(c.search);
    if (!bySearch) last.set(c.search, (bySearch = new Map()));
    bySearch.set(c.idx, c.label);
  }
  const out: Extract<EngineEvent, { type: 'labels' }>[] = [];
  for (const [search, byIdx] of last) {
    const byLabel = new Map<Label | null, number[]>();
    for (const [idx, label] of byIdx) {
      const list = byLabel.get(label);
      if (list) list.push(idx);
      else byLabel.set(label, [idx]);
    }
    for (const [label, idx] of byLabel) out.push({ type: 'labels', search, indices: Int32Array.from(idx), label });
  }
  return out;
}

/** starts watching `ws` for external label writes; the returned function stops it */
export function watchExternalLabels(ws: Workspace, emit: (e: EngineEvent) => void, everyMs = LABEL_WATCH_MS): () => void {
  let rounds = ws.rounds.latestIfChanged() ?? new Map<string, number>();
  const check = () => {
    if (ws.isClosed) return;
    let changes: LabelChange[];
    let now: Map<string, number> | null;
    try {
      changes = ws.labels.externalChanges();
      now = ws.rounds.latestIfChanged(); // null unless another connection committed
    } catch {
      return; // the database is busy (a long write elsewhere) or closing: the next tick reads it
    }
    for (const e of labelEvents(changes)) emit(e);
    // rounds this engine recorded were announced by probe-service already; a second event is harmless (clients compare round numbers)
    if (!now) return;
    for (const [search, round] of now) if (round > (rounds.get(search) ?? 0)) emit({ type: 'probe', search, round });
    rounds = now;
  };
  const timer = setInterval(check, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
