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
  // a large k is a sort: the heap and a comparator sort would cost O(N log N) calls
  if (k > 4096 && k * 16 > scores.length && scores instanceof Float32Array) return rankAll(scores, k, accept);
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
        hs[c] = hs[p];
        hi[c] = hi[p];
        c = p;
      }
      hs[c] = s;
      hi[c] = i;
    } else {
      // replace root, sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && worse(hs[r], hi[r], hs[l], hi[l]) ? r : l;
        if (!worse(hs[m], hi[m], s, i)) break;
        hs[c] = hs[m];
        hi[c] = hi[m];
        c = m;
      }
      hs[c] = s;
      hi[c] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => (worse(hs[a], hi[a], hs[b], hi[b]) ? 1 : -1));
  return { indices: Int32Array.from(order, (j) => hi[j]), scores: Float32Array.from(order, (j) => hs[j]) };
}

/** Monotone map of a float (as float32) to an unsigned 32-bit key: a < b ⇔ key(a) < key(b). */
function sortableBits(bits: Uint32Array, f: Float32Array, x: number): number {
  f[0] = x + 0; // -0 and +0 tie, as in the heap's comparison
  const u = bits[0];
  return (u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
}

/**
 * Every accepted, non-NaN score in topK's order (score descending, ties towards the smaller
 * index), the first k kept: a stable LSD radix sort of 32-bit keys in 4 passes of 8 bits, O(N).
 */
function rankAll(scores: Float32Array, k: number, accept?: (i: number) => boolean): TopK {
  const n = scores.length;
  let idx = new Int32Array(n);
  let key = new Uint32Array(n);
  const f = new Float32Array(1),
    bits = new Uint32Array(f.buffer);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s || (accept && !accept(i))) continue;
    idx[m] = i;
    key[m++] = 0xffffffff - sortableBits(bits, f, s);
  }
  let idx2 = new Int32Array(m),
    key2 = new Uint32Array(m);
  const count = new Int32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0);
    for (let j = 0; j < m; j++) count[(key[j] >>> shift) & 255]++;
    for (let b = 0, at = 0; b < 256; b++) {
      const c = count[b];
      count[b] = at;
      at += c;
    }
    for (let j = 0; j < m; j++) {
      const at = count[(key[j] >>> shift) & 255]++;
      idx2[at] = idx[j];
      key2[at] = key[j];
    }
    [idx, idx2] = [idx2, idx];
    [key, key2] = [key2, key];
  }
  const kk = Math.min(k, m);
  const indices = idx.slice(0, kk);
  return { indices, scores: Float32Array.from(indices, (i) => scores[i]) };
}
