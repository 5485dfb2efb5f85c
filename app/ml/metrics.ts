/**
 * Ranking and regression metrics used to report how a search is going.
 * `ranked` is a list of object indices, best first.
 */

/** Fraction of the first k ranked objects that are positive. */
export function precisionAtK(ranked: ArrayLike<number>, isPositive: (i: number) => boolean, k: number): number {
  const m = Math.min(k, ranked.length);
  if (m === 0) return 0;
  let hits = 0;
  for (let r = 0; r < m; r++) if (isPositive(ranked[r])) hits++;
  return hits / m;
}

/** Fraction of all `totalPositives` that appear among the first k ranked objects. */
export function recallAtK(ranked: ArrayLike<number>, isPositive: (i: number) => boolean, k: number, totalPositives: number): number {
  if (totalPositives <= 0) return 0;
  const m = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < m; r++) if (isPositive(ranked[r])) hits++;
  return hits / totalPositives;
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half). NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let r = 0; r < n;) {
    let e = r;
    while (e + 1 < n && scores[order[e + 1]] === scores[order[r]]) e++;
    const avgRank = (r + e) / 2 + 1;
    for (let q = r; q <= e; q++)
      if (labels[order[q]]) {
        nPos++;
        rankSumPos += avgRank;
      }
    r = e + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Average precision (area under the precision–recall curve, step-wise). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let total = 0;
  for (let i = 0; i < n; i++) if (labels[i]) total++;
  if (total === 0) return NaN;
  let hits = 0;
  let ap = 0;
  for (let r = 0; r < n; r++) {
    if (labels[order[r]]) {
      hits++;
      ap += hits / (r + 1);
    }
  }
  return ap / total;
}

/** Coefficient of determination 1 − SS_res / SS_tot. */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
}
