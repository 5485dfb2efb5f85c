/**
 * Labels in one encoding: a label column is a Uint8Array with one code per
 * object (LABEL_NONE, LABEL_POSITIVE, LABEL_NEGATIVE, LABEL_UNSURE), the same
 * in the engine, on the wire and in the renderer; this file is the one place
 * that turns codes into label names and back. (The workspace's SQLite tables
 * keep their own stored integers, converted only inside workspace/labels.ts.)
 */
export const LABEL_NONE = 0;
export const LABEL_POSITIVE = 1;
export const LABEL_NEGATIVE = 2;
export const LABEL_UNSURE = 3;

export type Label = 'positive' | 'negative' | 'unsure';
/** a label, or null for none */
export type LabelValue = Label | null;

export const LABELS: readonly Label[] = ['positive', 'negative', 'unsure'];

const CODE: Record<Label, number> = { positive: LABEL_POSITIVE, negative: LABEL_NEGATIVE, unsure: LABEL_UNSURE };
const OF: readonly LabelValue[] = [null, 'positive', 'negative', 'unsure'];

export const isLabel = (v: unknown): v is Label => (LABELS as readonly unknown[]).includes(v);

/** the code of a label (LABEL_NONE for null) */
export function labelCode(label: LabelValue): number {
  return label === null ? LABEL_NONE : CODE[label];
}

/** how many objects of a label column carry each label */
export function countLabels(column: ArrayLike<number>): { positives: number; negatives: number; unsure: number } {
  const n = [0, 0, 0, 0];
  for (let i = 0; i < column.length; i++) if (column[i] < n.length) n[column[i]]++;
  return { positives: n[LABEL_POSITIVE], negatives: n[LABEL_NEGATIVE], unsure: n[LABEL_UNSURE] };
}

/** the label of a code (null for LABEL_NONE and anything unknown) */
export function labelOfCode(code: number): LabelValue {
  return OF[code] ?? null;
}
