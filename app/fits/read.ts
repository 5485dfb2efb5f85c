/**
 * readFits: walks the HDUs of a FITS file held in memory. Headers are parsed
 * eagerly, data lazily (readImage / readTable decode on demand from `hdu.raw`,
 * a view into the input, no copy).
 */
import { fitsError, violation, type FitsContext } from './context';
import { asciiTableColumns, binTableColumns, type ColumnInfo } from './columns';
import { BLOCK, FitsHeader, latin1, parseHeader } from './header';
import { checkScalingKeywords } from './scaling';
import { LIMITS } from '../core/limits';

export type HduKind = 'image' | 'bintable' | 'table' | 'compressed' | 'random_groups' | 'empty' | 'other';

export interface Hdu {
  index: number;
  /** EXTNAME, 'PRIMARY' for HDU 0, '' for an unnamed extension (astropy shows '') */
  name: string;
  /** 'compressed': tile-compressed image (ZIMAGE = T); 'empty': image HDU without data; 'other': a conforming extension of unknown XTENSION */
  kind: HduKind;
  /** the header as stored (for a compressed image: the BINTABLE header, which also carries the image's WCS keywords) */
  header: FitsHeader;
  /** BITPIX of the data (ZBITPIX for compressed images) */
  bitpix: number;
  /**
   * astropy order, slowest axis first (reversed NAXISn); compressed images: the uncompressed image shape;
   * tables: [rows]; random groups: [GCOUNT, ...reversed NAXIS2..n]
   */
  shape: number[];
  /** tables and compressed images (the underlying BINTABLE) */
  columns?: ColumnInfo[];
  rows?: number;
  /** byte offsets in the file */
  headerOffset: number;
  dataOffset: number;
  /** data bytes without padding */
  dataLength: number;
  /** view of the data unit (no copy); shorter than dataLength only for a truncated HDU read leniently */
  raw: Uint8Array;
  /** set when the file ends inside this HDU's data (lenient mode only; decoding then throws FITS_TRUNCATED) */
  truncated?: boolean;
  /** the file name used in error messages */
  fileName: string;
}

export interface FitsFile {
  name: string;
  hdus: Hdu[];
  /** problems repaired in lenient mode (empty in strict mode) */
  warnings: string[];
}

export interface ReadFitsOptions {
  /** file name for messages (default '<memory>') */
  name?: string;
  /** strict (default true): any violation of the standard is a FITS_CORRUPT error; false: repair, warn, go on */
  strict?: boolean;
}

const BITPIXES = new Set([8, 16, 32, 64, -32, -64]);

function intKey(h: FitsHeader, key: string, ctx: FitsContext, hdu: number, dflt?: number): number {
  const v = h.get(key);
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw fitsError('FITS_CORRUPT', ctx, hdu, `${key} is ${v === undefined ? 'missing' : `not an integer (${String(v)})`}`);
  return v;
}

export function readFits(input: Uint8Array | ArrayBuffer, opts: ReadFitsOptions = {}): FitsFile {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const ctx: FitsContext = { name: opts.name ?? '<memory>', strict: opts.strict ?? true, warnings: [] };
  if (bytes.length < 80 || latin1(bytes, 0, 9) !== 'SIMPLE  =') {
    throw fitsError('FITS_CORRUPT', ctx, null, bytes.length === 0 ? 'file is empty' : 'not a FITS file (does not start with SIMPLE =)');
  }
  const hdus: Hdu[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const index = hdus.length;
    if (index > 0) {
      if (isZero(bytes, offset)) {
        ctx.warnings.push(`${ctx.name}: ${bytes.length - offset} zero bytes after the last HDU ignored`);
        break;
      }
      if (latin1(bytes, offset, 9) !== 'XTENSION=') {
        violation(ctx, null, `${bytes.length - offset} bytes after HDU ${index - 1} are not a FITS extension`);
        break;
      }
    }
    if (index >= LIMITS.maxHdus) throw fitsError('FITS_UNSUPPORTED', ctx, null, `more than ${LIMITS.maxHdus} HDUs (the resource budget)`);
    const hdu = readHdu(bytes, offset, index, ctx);
    hdus.push(hdu);
    if (hdu.truncated) break;
    offset = hdu.dataOffset + Math.ceil(hdu.dataLength / BLOCK) * BLOCK;
    if (offset > bytes.length) {
      if (ctx.strict)
        throw fitsError('FITS_TRUNCATED', ctx, index, `data unit not padded to a multiple of 2880 bytes (file is ${bytes.length} bytes, expected ${offset})`);
      ctx.warnings.push(`${ctx.name} HDU ${index}: data unit not padded to 2880 bytes`);
    }
  }
  return { name: ctx.name, hdus, warnings: ctx.warnings };
}

function isZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function readHdu(bytes: Uint8Array, offset: number, index: number, ctx: FitsContext): Hdu {
  const { header: h, size } = parseHeader(bytes, offset, ctx, index);
  const bitpix = intKey(h, 'BITPIX', ctx, index);
  if (!BITPIXES.has(bitpix)) throw fitsError('FITS_CORRUPT', ctx, index, `BITPIX = ${bitpix} is not one of 8, 16, 32, 64, -32, -64`);
  const naxis = intKey(h, 'NAXIS', ctx, index);
  if (naxis < 0 || naxis > 999) throw fitsError('FITS_CORRUPT', ctx, index, `NAXIS = ${naxis} is out of range`);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = intKey(h, `NAXIS${i}`, ctx, index);
    if (n < 0) throw fitsError('FITS_CORRUPT', ctx, index, `NAXIS${i} = ${n} is negative`);
    axes.push(n);
  }
  const xt = index === 0 ? null : (h.string('XTENSION') ?? '').trim().toUpperCase();
  const pcount = index === 0 ? 0 : intKey(h, 'PCOUNT', ctx, index, 0);
  const gcount = index === 0 ? 1 : intKey(h, 'GCOUNT', ctx, index, 1);
  if (pcount < 0) throw fitsError('FITS_CORRUPT', ctx, index, `PCOUNT = ${pcount} is negative`);
  if (gcount < 0) throw fitsError('FITS_CORRUPT', ctx, index, `GCOUNT = ${gcount} is negative`);
  let kind: HduKind;
  let shape = [...axes].reverse();
  let dataLength: number;
  let columns: ColumnInfo[] | undefined;
  let rows: number | undefined;
  let outBitpix = bitpix;
  const elems = axes.reduce((a, b) => a * b, naxis > 0 ? 1 : 0);

  if (index === 0 && h.bool('GROUPS') === true) {
    if (naxis < 1 || axes[0] !== 0) {
      violation(ctx, index, `GROUPS = T needs NAXIS >= 1 and NAXIS1 = 0 (NAXIS = ${naxis})`);
      kind = 'empty';
      dataLength = 0;
    } else {
      const gc = intKey(h, 'GCOUNT', ctx, index, 1);
      const pc = intKey(h, 'PCOUNT', ctx, index, 0);
      if (gc < 0 || pc < 0) throw fitsError('FITS_CORRUPT', ctx, index, `random groups with GCOUNT = ${gc}, PCOUNT = ${pc}`);
      const perGroup = axes.slice(1).reduce((a, b) => a * b, 1);
      kind = 'random_groups';
      shape = [gc, ...axes.slice(1).reverse()];
      dataLength = (Math.abs(bitpix) / 8) * gc * (pc + perGroup);
    }
  } else if (xt === null || xt === 'IMAGE') {
    if (index === 0 && h.bool('SIMPLE') !== true) violation(ctx, index, 'SIMPLE is not T');
    kind = elems > 0 ? 'image' : 'empty';
    dataLength = (Math.abs(bitpix) / 8) * gcount * (pcount + elems);
  } else if (xt === 'BINTABLE' || xt === 'A3DTABLE' || xt === 'TABLE') {
    if (bitpix !== 8 || naxis !== 2) throw fitsError('FITS_CORRUPT', ctx, index, `${xt} needs BITPIX = 8 and NAXIS = 2 (got ${bitpix}, ${naxis})`);
    rows = axes[1]!;
    shape = [rows];
    dataLength = axes[0]! * rows + pcount;
    if (xt === 'TABLE') {
      kind = 'table';
      columns = asciiTableColumns(h, axes[0]!, ctx, index);
    } else {
      columns = binTableColumns(h, axes[0]!, ctx, index);
      kind = 'bintable';
      if (h.bool('ZIMAGE') === true) {
        kind = 'compressed';
        outBitpix = intKey(h, 'ZBITPIX', ctx, index);
        if (!BITPIXES.has(outBitpix)) throw fitsError('FITS_CORRUPT', ctx, index, `ZBITPIX = ${outBitpix} is invalid`);
        const zn = intKey(h, 'ZNAXIS', ctx, index);
        if (zn < 0 || zn > 999) throw fitsError('FITS_CORRUPT', ctx, index, `ZNAXIS = ${zn} is out of range`);
        const zaxes: number[] = [];
        for (let i = 1; i <= zn; i++) {
          const n = intKey(h, `ZNAXIS${i}`, ctx, index);
          if (n < 0 || !Number.isSafeInteger(n)) throw fitsError('FITS_CORRUPT', ctx, index, `ZNAXIS${i} = ${n} is out of range`);
          zaxes.push(n);
        }
        shape = zaxes.reverse();
      }
    }
  } else {
    violation(ctx, index, `unknown extension type XTENSION = '${xt}'`);
    kind = 'other';
    dataLength = (Math.abs(bitpix) / 8) * gcount * (pcount + elems);
  }

  if (kind === 'image' || kind === 'compressed') checkScalingKeywords(h, outBitpix, kind === 'compressed', ctx, index);
  const dataOffset = offset + size;
  const available = Math.max(0, bytes.length - dataOffset);
  let truncated: boolean | undefined;
  if (available < dataLength) {
    const what = `file ends inside the data unit (${available} of ${dataLength} bytes present)`;
    if (ctx.strict) throw fitsError('FITS_TRUNCATED', ctx, index, what);
    ctx.warnings.push(`${ctx.name} HDU ${index}: ${what}`);
    truncated = true;
  }
  // a compressed image may carry the table's default EXTNAME 'COMPRESSED_IMAGE' and then the image's own
  const names = h.cards.filter((c) => c.key === 'EXTNAME' && typeof c.value === 'string').map((c) => (c.value as string).trim());
  const extname = kind === 'compressed' ? (names.filter((n) => n !== 'COMPRESSED_IMAGE').pop() ?? names[0]) : names[0];
  const name = extname !== undefined ? extname : index === 0 ? 'PRIMARY' : kind === 'compressed' ? 'COMPRESSED_IMAGE' : '';
  return {
    index,
    name,
    kind,
    header: h,
    bitpix: outBitpix,
    shape,
    ...(columns ? { columns } : {}),
    ...(rows !== undefined ? { rows } : {}),
    headerOffset: offset,
    dataOffset,
    dataLength,
    raw: bytes.subarray(Math.min(dataOffset, bytes.length), Math.min(dataOffset + dataLength, bytes.length)),
    ...(truncated ? { truncated } : {}),
    fileName: ctx.name,
  };
}
