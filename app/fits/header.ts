/**
 * FITS header: 80-character cards in 2880-byte blocks, ending with END.
 * Parses fixed- and free-format values (strings with '' escapes, logicals,
 * integers, reals with E or D exponents, complex), commentary cards
 * (COMMENT, HISTORY, blank), long strings continued with CONTINUE ('&' at the
 * end of each piece) and ESO HIERARCH keywords ("HIERARCH ESO DET GAIN =").
 */
import { LIMITS } from '../core/limits';
import { fitsError, violation, type FitsContext } from './context';

/** A header value: null for a keyword with an undefined value ("KEY =" and nothing). Complex values stay text "(re, im)". */
export type CardValue = string | number | boolean | null;

export interface HeaderCard {
  /** upper-case keyword; for HIERARCH cards the part after "HIERARCH " (e.g. 'ESO DET GAIN') */
  key: string;
  /** for commentary cards (COMMENT, HISTORY, blank keyword) the text; else the parsed value */
  value: CardValue;
  comment: string;
  /** true for COMMENT / HISTORY / blank-keyword cards and other keywords without "= " */
  commentary: boolean;
  /** the value as written (numbers: exact digits, useful for 64-bit integers) */
  valueText: string;
}

export const BLOCK = 2880;
export const CARD = 80;

export class FitsHeader {
  readonly cards: HeaderCard[];
  private readonly index = new Map<string, number>();

  constructor(cards: HeaderCard[]) {
    this.cards = cards;
    cards.forEach((c, i) => {
      if (!c.commentary && !this.index.has(c.key)) this.index.set(c.key, i);
    });
  }

  has(key: string): boolean {
    return this.index.has(normKey(key));
  }

  /** first value of a keyword (undefined when absent, null when present without value) */
  get(key: string): CardValue | undefined {
    const i = this.index.get(normKey(key));
    return i === undefined ? undefined : this.cards[i]!.value;
  }

  card(key: string): HeaderCard | undefined {
    const i = this.index.get(normKey(key));
    return i === undefined ? undefined : this.cards[i];
  }

  /** numeric value, or `dflt` when absent/undefined; a non-numeric value gives undefined */
  number(key: string, dflt?: number): number | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return dflt;
    return typeof v === 'number' ? v : undefined;
  }

  string(key: string, dflt?: string): string | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return dflt;
    return typeof v === 'string' ? v : String(v);
  }

  bool(key: string, dflt?: boolean): boolean | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return dflt;
    return typeof v === 'boolean' ? v : undefined;
  }

  /** every text of a commentary keyword, e.g. all HISTORY lines */
  all(key: string): string[] {
    const k = normKey(key);
    return this.cards.filter((c) => c.key === k).map((c) => (typeof c.value === 'string' ? c.value : c.valueText));
  }

  keys(): string[] {
    return [...this.index.keys()];
  }
}

function normKey(key: string): string {
  const k = key.trim().toUpperCase();
  return k.startsWith('HIERARCH ') ? k.slice(9).trim() : k;
}

const INT_RE = /^[+-]?\d+$/;
const REAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[EeDd][+-]?\d+)?$/;
const COMPLEX_RE = /^\(\s*[^,()]+\s*,\s*[^,()]+\s*\)$/;
const KEY_RE = /^[A-Z0-9_-]*$/;

interface Parsed {
  value: CardValue;
  valueText: string;
  comment: string;
  ok: boolean;
}

/** Parses the value field (after "= ") of a card. */
function parseValueField(s: string): Parsed {
  const t = s.trimStart();
  if (t.startsWith("'")) {
    let out = '';
    let i = 1;
    for (;;) {
      if (i >= t.length) return { value: out.replace(/ +$/, ''), valueText: t, comment: '', ok: false };
      const ch = t[i]!;
      if (ch === "'") {
        if (t[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        break;
      }
      out += ch;
      i++;
    }
    const rest = t.slice(i + 1).trim();
    const ok = rest === '' || rest.startsWith('/');
    return { value: out.replace(/ +$/, ''), valueText: t.slice(0, i + 1), comment: rest.replace(/^\/\s?/, '').trimEnd(), ok };
  }
  let slash: number;
  if (t.startsWith('(')) {
    const close = t.indexOf(')');
    slash = t.indexOf('/', close < 0 ? 0 : close);
  } else slash = t.indexOf('/');
  const raw = (slash < 0 ? t : t.slice(0, slash)).trim();
  const comment =
    slash < 0
      ? ''
      : t
          .slice(slash + 1)
          .replace(/^\s/, '')
          .trimEnd();
  if (raw === '') return { value: null, valueText: '', comment, ok: true };
  if (raw === 'T' || raw === 'F') return { value: raw === 'T', valueText: raw, comment, ok: true };
  if (INT_RE.test(raw)) return { value: Number(raw), valueText: raw, comment, ok: true };
  if (REAL_RE.test(raw)) return { value: Number(raw.replace(/[dD]/, 'E')), valueText: raw, comment, ok: true };
  if (COMPLEX_RE.test(raw)) return { value: raw, valueText: raw, comment, ok: true };
  return { value: raw, valueText: raw, comment, ok: false };
}

/** One 80-byte card (as a latin-1 string) → HeaderCard. */
export function parseCard(line: string, ctx: FitsContext, hdu: number, n: number): HeaderCard {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 32 || c > 126) {
      violation(ctx, hdu, `header card ${n + 1} contains a non-ASCII or control byte (0x${c.toString(16)})`);
      line = line.replace(/[^\x20-\x7e]/g, ' ');
      break;
    }
  }
  let key = line.slice(0, 8).trimEnd();
  if (key === 'HIERARCH' && line.includes('=')) {
    const eq = line.indexOf('=');
    key = line.slice(9, eq).trim().toUpperCase();
    const p = parseValueField(line.slice(eq + 1));
    if (!p.ok) violation(ctx, hdu, `HIERARCH card '${key}' has an invalid value '${p.valueText}'`);
    return { key, value: p.value, comment: p.comment, commentary: false, valueText: p.valueText };
  }
  if (!KEY_RE.test(key)) {
    violation(ctx, hdu, `header card ${n + 1} has an invalid keyword '${key}'`);
    key = key.toUpperCase();
  }
  if (line.slice(8, 10) !== '= ' || key === 'COMMENT' || key === 'HISTORY' || key === '') {
    if (key === 'CONTINUE') {
      const p = parseValueField(line.slice(8));
      return { key, value: p.value, comment: p.comment, commentary: true, valueText: p.valueText };
    }
    const text = line.slice(8).trimEnd();
    return { key, value: text, comment: '', commentary: true, valueText: text };
  }
  const p = parseValueField(line.slice(10));
  if (!p.ok) violation(ctx, hdu, `header card '${key}' has an invalid value '${p.valueText.slice(0, 30)}'`);
  return { key, value: p.value, comment: p.comment, commentary: false, valueText: p.valueText };
}

/** Joins "long string&" + CONTINUE '...' pieces into single cards. */
function joinContinue(cards: HeaderCard[]): HeaderCard[] {
  const out: HeaderCard[] = [];
  for (const c of cards) {
    const prev = out[out.length - 1];
    if (c.key === 'CONTINUE' && prev && !prev.commentary && typeof prev.value === 'string' && prev.value.endsWith('&') && typeof c.value === 'string') {
      prev.value = prev.value.slice(0, -1) + c.value;
      if (c.comment) prev.comment = prev.comment ? `${prev.comment} ${c.comment}` : c.comment;
      prev.valueText += ' ' + c.valueText;
      continue;
    }
    out.push(c);
  }
  return out;
}

export interface ParsedHeader {
  header: FitsHeader;
  /** bytes from the header start to the data start (whole blocks) */ size: number;
}

/** Reads header blocks at `offset` until END. Throws FITS_TRUNCATED if the file ends before END. */
export function parseHeader(bytes: Uint8Array, offset: number, ctx: FitsContext, hdu: number): ParsedHeader {
  const cards: HeaderCard[] = [];
  let pos = offset;
  for (;;) {
    if (pos + CARD > bytes.length) throw fitsError('FITS_TRUNCATED', ctx, hdu, `file ends inside the header (no END card) at byte ${bytes.length}`);
    const line = latin1(bytes, pos, CARD);
    pos += CARD;
    if (line.startsWith('END') && line.slice(3).trim() === '') break;
    if (cards.length >= LIMITS.maxHeaderCards)
      throw fitsError('FITS_UNSUPPORTED', ctx, hdu, `header has more than ${LIMITS.maxHeaderCards} cards (the resource budget)`);
    cards.push(parseCard(line, ctx, hdu, cards.length));
  }
  // the header occupies whole blocks; the rest of the END block must be blank
  const end = offset + Math.ceil((pos - offset) / BLOCK) * BLOCK;
  if (end > bytes.length) {
    if (ctx.strict) throw fitsError('FITS_TRUNCATED', ctx, hdu, `file ends inside the last header block (byte ${bytes.length} of ${end})`);
    ctx.warnings.push(`${ctx.name} HDU ${hdu}: header block not padded to 2880 bytes`);
  }
  return { header: new FitsHeader(joinContinue(cards)), size: end - offset };
}

export function latin1(bytes: Uint8Array, start: number, len: number): string {
  const end = Math.min(bytes.length, start + len);
  if (end - start <= 256) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  const parts: string[] = [];
  for (let i = start; i < end; i += 8192) parts.push(String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192))));
  return parts.join('');
}

/** A character field of a table (FITS A): up to the first NUL, trailing blanks removed; linear in `len`. */
export function textField(bytes: Uint8Array, start: number, len: number): string {
  const stop = Math.min(bytes.length, start + len);
  let end = start;
  while (end < stop && bytes[end] !== 0) end++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  return latin1(bytes, start, end - start);
}
