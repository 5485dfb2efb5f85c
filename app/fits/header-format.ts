/**
 * Formatting of header cards for the writer: fixed-format values (right-
 * justified to column 30), quoted strings with '' escapes and CONTINUE for
 * strings longer than one card, HIERARCH for keywords longer than 8
 * characters, COMMENT/HISTORY text wrapped over several cards.
 */
import { AppError } from '../core/errors';
import { BLOCK, CARD, type CardValue, type FitsHeader } from './header';

/** A card to write. `value` undefined with a commentary key (COMMENT, HISTORY, '') writes `comment` as its text. */
export interface CardInput {
  key: string;
  value?: CardValue;
  comment?: string;
}

export type HeaderInput = CardInput[] | FitsHeader;

const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);
const KEY_RE = /^[A-Z0-9_-]{0,8}$/;

export function formatNumber(v: number, key: string): string {
  if (!Number.isFinite(v)) throw new AppError('BAD_INPUT', `header keyword ${key}: ${v} cannot be written in FITS`);
  if (Number.isInteger(v) && Math.abs(v) < 1e18 && !Object.is(v, -0)) return String(v);
  let s = String(v).toUpperCase(); // shortest round-trip representation
  if (s.includes('E')) {
    const [m, e] = s.split('E');
    s = `${m!.includes('.') ? m : `${m}.0`}E${e}`;
  } else if (!s.includes('.')) s += '.0';
  return s;
}

function pad(s: string): string {
  return s.length >= CARD ? s.slice(0, CARD) : s + ' '.repeat(CARD - s.length);
}

function withComment(base: string, comment?: string): string {
  if (!comment) return pad(base);
  const room = CARD - base.length - 3;
  return pad(room > 0 ? `${base} / ${comment.slice(0, room)}` : base);
}

function checkText(s: string, key: string): void {
  if (/[^\x20-\x7e]/.test(s)) throw new AppError('BAD_INPUT', `header keyword ${key}: text must be printable ASCII`);
}

/** Splits a string into quoted pieces for a first card + CONTINUE cards, without splitting a '' pair. */
function stringCards(prefix: string, value: string, comment: string | undefined): string[] {
  const escaped = value.replace(/'/g, "''");
  const firstRoom = CARD - prefix.length - 2;
  if (escaped.length <= firstRoom) return [withComment(`${prefix}'${escaped.padEnd(8)}'`, comment)];
  const cards: string[] = [];
  let rest = escaped;
  let head = prefix;
  for (;;) {
    const room = CARD - head.length - 2;
    if (rest.length <= room) {
      cards.push(withComment(`${head}'${rest}'`, comment));
      break;
    }
    // leave room for '&' and one blank: astropy misreads a continued string whose card is completely full
    let cut = room - 2;
    // do not split an escaped quote pair
    let q = 0;
    for (let i = cut - 1; i >= 0 && rest[i] === "'"; i--) q++;
    if (q % 2 === 1) cut--;
    cards.push(pad(`${head}'${rest.slice(0, cut)}&'`));
    rest = rest.slice(cut);
    head = 'CONTINUE  ';
  }
  return cards;
}

/** One logical card → one or more 80-character cards. */
export function formatCard(c: CardInput): string[] {
  const key = c.key.trim().toUpperCase();
  checkText(key, key);
  if (c.comment) checkText(c.comment, key);
  if (COMMENTARY.has(key) && (c.value === undefined || typeof c.value === 'string')) {
    const text = typeof c.value === 'string' ? c.value : (c.comment ?? '');
    checkText(text, key);
    const out: string[] = [];
    for (let i = 0; i === 0 || i < text.length; i += 72) out.push(pad(key.padEnd(8) + text.slice(i, i + 72)));
    return out;
  }
  const hierarch = !KEY_RE.test(key);
  const prefix = hierarch ? `HIERARCH ${key} = ` : `${key.padEnd(8)}= `;
  if (hierarch && prefix.length > 60) throw new AppError('BAD_INPUT', `header keyword '${key}' is too long`);
  const v = c.value ?? null;
  if (typeof v === 'string') {
    checkText(v, key);
    return stringCards(prefix, v, c.comment);
  }
  const text = v === null ? '' : typeof v === 'boolean' ? (v ? 'T' : 'F') : formatNumber(v, key);
  return [withComment(hierarch ? prefix + text : prefix + text.padStart(20), c.comment)];
}

/** Cards of a header given as a list or as a FitsHeader read from a file. */
export function headerInputCards(h: HeaderInput | undefined): CardInput[] {
  if (!h) return [];
  if (Array.isArray(h)) return h;
  return h.cards
    .filter((c) => !c.commentary || COMMENTARY.has(c.key)) // orphan CONTINUE and value-less keywords are dropped
    .map((c) => (c.commentary ? { key: c.key, value: c.value as string } : { key: c.key, value: c.value, comment: c.comment }));
}

/** Cards + END, as bytes padded with blanks to a multiple of 2880. */
export function headerBytes(cards: string[]): Uint8Array {
  const all = [...cards, pad('END')];
  const size = Math.ceil((all.length * CARD) / BLOCK) * BLOCK;
  const out = new Uint8Array(size).fill(32);
  let p = 0;
  for (const card of all) for (let i = 0; i < CARD; i++) out[p++] = card.charCodeAt(i);
  return out;
}
