/**
 * Range filters on catalogue columns: the objects whose value lies in [min, max] on every
 * filtered column (NaN never passes its column). One pass per filter over typed arrays, so the
 * app's filters stay interactive at survey scale (10M objects: `npm run bench -- scale --10m`).
 */
export interface RangeFilter {
  column: string;
  min: number;
  max: number;
}

/** 1 where every filter whose column is given passes; null when none is (everything shown) */
export function rangeMask(n: number, filters: readonly RangeFilter[], columns: Readonly<Record<string, ArrayLike<number> | undefined>>): Uint8Array | null {
  const active = filters.filter((f) => columns[f.column]);
  if (!active.length || !n) return null;
  const out = new Uint8Array(n).fill(1);
  for (const f of active) {
    const v = columns[f.column]!;
    const { min, max } = f;
    for (let i = 0; i < n; i++) if (out[i] && !(v[i] >= min && v[i] <= max)) out[i] = 0;
  }
  return out;
}

/** how many objects a mask shows (n when there is no mask) */
export function maskCount(mask: Uint8Array | null, n: number): number {
  if (!mask) return n;
  let k = 0;
  for (let i = 0; i < mask.length; i++) k += mask[i];
  return k;
}
