/**
 * A small seeded mutator for the fuzz targets (no dependency): input number `iter` of a run with
 * `seed` is a pure function of (seed, iter, corpus), so a finding is reproduced from its seed and
 * iteration alone. Mutations: bit flips, byte sets to interesting values, big-endian int32 overwrites
 * (array lengths, heap offsets), dictionary tokens written or inserted (FITS values such as -1, 1.5,
 * 'X', 99999999999; XML and CSV syntax), FITS-aware card value rewrites, range deletion, duplication
 * (nesting, long fields) and truncation.
 */
import { createRng, type Rng } from '@app/core/rng';

const enc = { encode: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255) }; // tokens are bytes (latin-1)
const INTERESTING8 = [0, 1, 0x7f, 0x80, 0xff, 0x20, 0x27, 0x3d, 0x22, 0x3c, 0x26, 0x0a, 0x2c];
const INTERESTING32 = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 2880, -2880, 0x40000000];
const FITS_VALUES = [
  '-1',
  '0',
  '1.5',
  "'X'",
  '99999999999',
  '2147483648',
  '-2147483649',
  '1E300',
  'T',
  'F',
  "''",
  '999',
  '65536',
  '1000000000',
  '9223372036854775808',
  '-0.5',
  'NAN',
];

export interface MutateOptions {
  /** tokens written into the input (format syntax, edge values) */
  dict: string[];
  /** where mutations concentrate (e.g. the data unit of a FITS file); default: anywhere */
  focus?: (input: Uint8Array, rng: Rng) => [number, number] | null;
  /** a format-aware mutation (e.g. of a VOTable's decoded BINARY stream); `mutateBytes` mutates a sub-buffer */
  custom?: (input: Uint8Array, rng: Rng, mutateBytes: (b: Uint8Array) => Uint8Array) => Uint8Array | null;
}

function pick<T>(rng: Rng, a: readonly T[]): T {
  return a[rng.int(a.length)]!;
}

function splice(b: Uint8Array, at: number, del: number, ins: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, at));
  out.set(ins, at);
  out.set(b.subarray(at + del), at + ins.length);
  return out;
}

/** FITS-aware: rewrite the value of one header card (cols 11–30) with an edge value, or a structural keyword's value. */
function fitsCard(b: Uint8Array, rng: Rng): Uint8Array {
  const cards: number[] = [];
  for (let p = 0; p + 80 <= b.length && cards.length < 2000; p += 80) {
    if (b[p + 8] === 0x3d && b[p + 9] === 0x20) cards.push(p);
  }
  if (cards.length === 0) return b;
  const at = pick(rng, cards);
  const out = new Uint8Array(b);
  const v = pick(rng, FITS_VALUES).padStart(20, ' ');
  out.set(enc.encode(v), at + 10);
  return out;
}

function one(b: Uint8Array, rng: Rng, o: MutateOptions): Uint8Array {
  const range = o.focus?.(b, rng) ?? [0, b.length];
  const [lo, hi] = range[1] > range[0] ? range : [0, b.length];
  const at = () => lo + rng.int(Math.max(1, hi - lo));
  const k = rng.int(o.custom ? 12 : 10);
  if (b.length === 0) return enc.encode(pick(rng, o.dict));
  if (k >= 10) return o.custom!(b, rng, (x) => one(x, rng, { dict: o.dict })) ?? b;
  switch (k) {
    case 0: {
      const out = new Uint8Array(b);
      const p = at();
      out[p] = out[p]! ^ (1 << rng.int(8));
      return out;
    }
    case 1: {
      const out = new Uint8Array(b);
      out[at()] = pick(rng, INTERESTING8);
      return out;
    }
    case 2: {
      if (b.length < 4) return b;
      const out = new Uint8Array(b);
      const p = Math.min(at(), Math.max(0, b.length - 4));
      new DataView(out.buffer).setInt32(p, pick(rng, INTERESTING32) | 0);
      return out;
    }
    case 3: {
      const t = enc.encode(pick(rng, o.dict));
      const out = new Uint8Array(b);
      const p = Math.min(at(), out.length);
      out.set(t.subarray(0, out.length - p), p);
      return out;
    }
    case 4:
      return splice(b, at(), 0, enc.encode(pick(rng, o.dict)));
    case 5: {
      const p = at();
      return splice(b, p, Math.min(b.length - p, 1 + rng.int(64)), new Uint8Array(0));
    }
    case 6: {
      // duplicate a range several times (deep nesting, long fields, repeated rows)
      const p = at(),
        len = Math.min(b.length - p, 1 + rng.int(32));
      const piece = b.subarray(p, p + len);
      const times = 1 + rng.int(rng.next() < 0.1 ? 2000 : 8);
      const ins = new Uint8Array(piece.length * times);
      for (let t = 0; t < times; t++) ins.set(piece, t * piece.length);
      return splice(b, p, 0, ins);
    }
    case 7:
      return b.subarray(0, at());
    default:
      return b[0] === 0x53 /* 'S'IMPLE */ ? fitsCard(b, rng) : splice(b, at(), 0, enc.encode(pick(rng, o.dict)));
  }
}

/** Input `iter` of run `seed`: 1–4 mutations of one corpus entry. */
export function generate(corpus: Uint8Array[], seed: number, iter: number, o: MutateOptions): Uint8Array {
  const rng = createRng((Math.imul(seed, 0x9e3779b1) ^ iter) >>> 0).fork(iter);
  let b = corpus[rng.int(corpus.length)]!;
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) b = one(b, rng, o);
  return b;
}
