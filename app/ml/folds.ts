/**
 * k-fold splits for cross-validation, seeded. Stratified when labels are
 * given (each fold gets its share of each class).
 */
import type { Rng } from '../core/rng';

/** fold number (0..k-1) of each of n items */
export function kFoldAssignment(n: number, k: number, rng: Rng, strata?: ArrayLike<number>): Int32Array {
  const fold = new Int32Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  let offset = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const list = groups.get(key)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    list.forEach((item, r) => (fold[item] = (r + offset) % k));
    offset += list.length;
  }
  return fold;
}
