/**
 * Top-k selection over a score column without sorting all N scores: a
 * bounded min-heap, O(N log k). Ties break towards the smaller index so the
 * result is deterministic.
 */
export interface TopK {
  /** object indices, best first */
  indices: Int32Array;
  /** their scores, best first */
  scores: Float32Array;
}

/** Is (sa, ia) worse than (sb, ib)? Lower score is worse; on a tie the larger index is worse. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/**
 * The k largest scores. `accept(i)` filters candidates (e.g. not labelled);
 * NaN scores are skipped.
 */
export function topK(scores: ArrayLike<number>, k: number, accept?: (i: number) => boolean): TopK {
  const hs = new Float64Array(k);
  const hi = new Int32Array(k);
  let size = 0;
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s) continue;
    if (size === k && !worse(hs[0], hi[0], s, i)) continue;
    if (accept && !accept(i)) continue;
    if (size < k) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(s, i, hs[p], hi[p])) break;
        hs[c] = hs[p]; hi[c] = hi[p]; c = p;
      }
      hs[c] = s; hi[c] = i;
    } else {
      // replace root, sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && worse(hs[r], hi[r], hs[l], hi[l]) ? r : l;
        if (!worse(hs[m], hi[m], s, i)) break;
        hs[c] = hs[m]; hi[c] = hi[m]; c = m;
      }
      hs[c] = s; hi[c] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => (worse(hs[a], hi[a], hs[b], hi[b]) ? 1 : -1));
  return { indices: Int32Array.from(order, (j) => hi[j]), scores: Float32Array.from(order, (j) => hs[j]) };
}
