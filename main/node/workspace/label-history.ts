/**
 * A search's label history as changes (old → new), and which of them can be
 * undone. Pure over LabelStore.history()'s events, oldest first. An undo is
 * itself an event (source 'undo', `undoes` = the seq it reverses): history is
 * only ever appended to.
 */
import type { Label, LabelEvent } from './labels';

export interface LabelChange {
  seq: number;
  idx: number;
  from: Label | null;
  to: Label | null;
  source: LabelEvent['source'];
  at: string;
  /** the change this one reversed (undo events) */
  undoes: number | null;
  /** a later undo reversed this change */
  undone: boolean;
}

export function labelChanges(events: readonly LabelEvent[]): LabelChange[] {
  const current = new Map<number, Label | null>();
  const out: LabelChange[] = [];
  const bySeq = new Map<number, LabelChange>();
  for (const e of events) {
    const c: LabelChange = { seq: e.seq, idx: e.idx, from: current.get(e.idx) ?? null, to: e.label, source: e.source, at: e.at, undoes: e.undoes ?? null, undone: false };
    if (c.undoes !== null) {
      const target = bySeq.get(c.undoes);
      if (target) target.undone = true;
    }
    current.set(e.idx, e.label);
    bySeq.set(c.seq, c);
    out.push(c);
  }
  return out;
}

/**
 * The change an undo would reverse: `seq` itself, or the newest user change not
 * yet undone. Only a change whose object still carries its new label can be
 * undone (otherwise a later change would be silently lost): 'changed' then.
 */
export function undoTarget(changes: readonly LabelChange[], seq?: number): { change: LabelChange; problem: 'changed' | 'undone' | null } | null {
  const current = new Map<number, Label | null>();
  for (const c of changes) current.set(c.idx, c.to);
  const change = seq === undefined ? changes.findLast((c) => c.source === 'user' && !c.undone) : changes.find((c) => c.seq === seq);
  if (!change) return null;
  const problem = change.undone ? 'undone' : (current.get(change.idx) ?? null) !== change.to ? 'changed' : null;
  return { change, problem };
}
