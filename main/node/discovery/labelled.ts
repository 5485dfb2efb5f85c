/**
 * The labels of a search as the maths wants them: positive / negative idx
 * lists (only objects that have an embedding) and a "labelled" mask (any
 * label, unsure included: none of them is suggested again).
 */
import { LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE } from '@app/core/labels';
import type { Workspace } from '../workspace';
import type { EmbeddingView } from './embedding-view';

export interface LabelledSet {
  /** label codes (app/core/labels.ts) */
  column: Uint8Array;
  positives: number[];
  negatives: number[];
  unsure: number;
  /** 1 where any label is set */
  labelled: Uint8Array;
}

export function labelledSet(ws: Workspace, search: string, view: EmbeddingView): LabelledSet {
  const column = ws.labels.column(search);
  const positives: number[] = [];
  const negatives: number[] = [];
  let unsure = 0;
  const labelled = new Uint8Array(view.n);
  for (let i = 0; i < column.length && i < view.n; i++) {
    const c = column[i];
    if (c === LABEL_NONE) continue;
    labelled[i] = 1;
    if (!view.done[i]) continue;
    if (c === LABEL_POSITIVE) positives.push(i);
    else if (c === LABEL_NEGATIVE) negatives.push(i);
    else unsure++;
  }
  return { column, positives, negatives, unsure, labelled };
}
