/** Helpers shared by the image and table writers. */
import { AppError } from '../core/errors';
import { BLOCK } from './header';
import { formatCard, headerInputCards, type CardInput, type HeaderInput } from './header-format';

export const STRUCTURAL = new RegExp(
  '^(SIMPLE|XTENSION|BITPIX|NAXIS\\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|END|BSCALE|BZERO|BLANK|CHECKSUM|DATASUM|CONTINUE' +
    '|T(TYPE|FORM|UNIT|SCAL|ZERO|NULL|DIM|BCOL|DISP)\\d+' +
    '|Z(IMAGE|BITPIX|NAXIS\\d*|TILE\\d+|CMPTYPE|NAME\\d+|VAL\\d+|QUANTIZ|DITHER0|SIMPLE|TENSION|EXTEND|BLOCKED|PCOUNT|GCOUNT|HECKSUM|DATASUM|BLANK|SCALE|ZERO|TYPE\\d*))$',
);

export function userCards(h: HeaderInput | undefined, dropName: boolean): string[] {
  return headerInputCards(h)
    .filter((c: CardInput) => !STRUCTURAL.test(c.key.trim().toUpperCase()) && !(dropName && c.key.trim().toUpperCase() === 'EXTNAME'))
    .flatMap(formatCard);
}

export const RANGE: Record<number, [number, number]> = { 8: [0, 255], 16: [-32768, 32767], 32: [-2147483648, 2147483647], 64: [-(2 ** 63), 2 ** 63 - 1] };

/** Physical values → stored integers (rounded), NaN → blank; throws on overflow or an unrepresentable NaN. */
export function toStored(v: number, scale: number, zero: number, blank: number | undefined, bits: number, what: string): number {
  if (Number.isNaN(v)) {
    if (blank === undefined) throw new AppError('BAD_INPUT', `${what}: NaN value needs a BLANK/TNULL for an integer type`);
    return blank;
  }
  const s = Math.round((v - zero) / scale);
  const [lo, hi] = RANGE[bits]!;
  if (!(s >= lo && s <= hi)) throw new AppError('BAD_INPUT', `${what}: value ${v} does not fit a ${bits}-bit integer`);
  return s;
}

export function padded(data: Uint8Array): Uint8Array {
  const size = Math.ceil(data.length / BLOCK) * BLOCK;
  if (size === data.length) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}
