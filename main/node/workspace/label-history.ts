/**
 * A search's label history as changes (old → new), and which of them can be
 * undone. Pure over LabelStore.history()'s events, oldest first. An undo is
 * itself an event (source 'undo', `undoes` = the seq it reverses): history is
 * only ever appended to. Changes made in one bulk call (a reviewed selection)
 * are a batch: undoing the newest change undoes its whole batch.
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
  /** made by one bulk call together with its neighbours of the same time (LabelStore.setMany) */
  batch: boolean;
}

export function labelChanges(events: readonly LabelEvent[]): LabelChange[] {
  const current = new Map<number, Label | null>();
  const out: LabelChange[] = [];
  const bySeq = new Map<number, LabelChange>();
  for (const e of events) {
    const c: LabelChange = {
      seq: e.seq,
      idx: e.idx,
      from: current.get(e.idx) ?? null,
      to: e.label,
      source: e.source,
      at: e.at,
      undoes: e.undoes ?? null,
      undone: false,
      batch: e.batch === true,
    };
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

/** why a change cannot be undone, or null */
function problemOf(c: LabelChange, current: Map<number, Label | null>): 'changed' | 'undone' | null {
  return c.undone ? 'undone' : (current.get(c.idx) ?? null) !== c.to ? 'changed' : null;
}

/**
 * The changes an undo would reverse: change `seq` alone, or the newest user change not yet undone together with
 * the rest of its batch. Only a change whose object still carries its new label can be undone (otherwise a later
 * change would be silently lost): the first problem found is reported with its change.
 */
export function undoTarget(
  changes: readonly LabelChange[],
  seq?: number,
): { changes: LabelChange[]; problem: { change: LabelChange; why: 'changed' | 'undone' } | null } | null {
  const current = new Map<number, Label | null>();
  for (const c of changes) current.set(c.idx, c.to);
  const k = seq === undefined ? changes.findLastIndex((c) => c.source === 'user' && !c.undone) : changes.findIndex((c) => c.seq === seq);
  if (k < 0) return null;
  const head = changes[k];
  let group = [head];
  if (seq === undefined && head.batch) {
    let a = k;
    while (a > 0 && changes[a - 1].batch && changes[a - 1].source === 'user' && changes[a - 1].at === head.at && !changes[a - 1].undone) a--;
    group = changes.slice(a, k + 1);
  }
  for (const c of group) {
    const why = problemOf(c, current);
    if (why) return { changes: group, problem: { change: c, why } };
  }
  return { changes: group, problem: null };
}
