/**
 * Filters on neighbour queries: a sky box or cone, label values of a search,
 * a score range. Compiled into one predicate over object idx, plus a count of
 * the objects that pass (used to choose between over-fetching the HNSW index
 * and an exact search over the few candidates).
 */
import { AppError } from '@app/core/errors';

export interface SkyBox {
  raMin: number;
  raMax: number;
  decMin: number;
  decMax: number;
}

export interface SkyCone {
  ra: number;
  dec: number;
  radiusDeg: number;
}

export interface NeighbourFilter {
  /** RA range wraps through 0 when raMin > raMax */
  box?: SkyBox;
  cone?: SkyCone;
  /** accepted label codes, with the label column of the search */
  labels?: { column: ArrayLike<number>; accept: number[] };
  /** accepted score range (inclusive) */
  score?: { scores: ArrayLike<number>; min?: number; max?: number };
}

export interface FilterColumns {
  ra: ArrayLike<number>;
  dec: ArrayLike<number>;
}

export interface CompiledFilter {
  accept: (i: number) => boolean;
  /** how many of the N objects pass */
  passing: number;
}

const RAD = Math.PI / 180;

/** null when the filter is empty (everything passes). `columns` may be a function: then ra/dec are read only for a box or cone. */
export function compileFilter(f: NeighbourFilter | undefined, columns: FilterColumns | (() => FilterColumns), n: number): CompiledFilter | null {
  if (!f || (!f.box && !f.cone && !f.labels && !f.score)) return null;
  const tests: ((i: number) => boolean)[] = [];
  const cols = f.box || f.cone ? (typeof columns === 'function' ? columns() : columns) : { ra: [], dec: [] };
  if (f.box) {
    const { raMin, raMax, decMin, decMax } = f.box;
    if (!(decMin <= decMax)) throw new AppError('BAD_INPUT', `sky box: decMin ${decMin} > decMax ${decMax}`);
    const wraps = raMin > raMax;
    tests.push((i) => {
      const ra = cols.ra[i],
        dec = cols.dec[i];
      if (dec < decMin || dec > decMax) return false;
      return wraps ? ra >= raMin || ra <= raMax : ra >= raMin && ra <= raMax;
    });
  }
  if (f.cone) {
    const { ra, dec, radiusDeg } = f.cone;
    if (!(radiusDeg > 0)) throw new AppError('BAD_INPUT', `sky cone: radius must be > 0 degrees, got ${radiusDeg}`);
    const cosR = Math.cos(radiusDeg * RAD);
    const sd = Math.sin(dec * RAD),
      cd = Math.cos(dec * RAD);
    tests.push((i) => {
      const d2 = cols.dec[i] * RAD;
      return sd * Math.sin(d2) + cd * Math.cos(d2) * Math.cos((cols.ra[i] - ra) * RAD) >= cosR;
    });
  }
  if (f.labels) {
    const col = f.labels.column;
    const ok = new Set(f.labels.accept);
    tests.push((i) => ok.has(col[i]));
  }
  if (f.score) {
    const { scores, min = -Infinity, max = Infinity } = f.score;
    tests.push((i) => scores[i] >= min && scores[i] <= max);
  }
  const accept = (i: number) => {
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
  let passing = 0;
  for (let i = 0; i < n; i++) if (accept(i)) passing++;
  return { accept, passing };
}
