/**
 * Read IVOA VOTable (1.1–1.4) documents: TABLEDATA, BINARY and BINARY2
 * serialisations (base64 STREAM). Numeric scalars become typed arrays
 * (float → Float32Array, double → Float64Array, int → Int32Array, short →
 * Int16Array, unsignedByte → Uint8Array, long → BigInt64Array), with `mask`
 * marking nulls; char/unicodeChar become strings; boolean → boolean|null;
 * arrays, complex and bit fields are kept as their TABLEDATA text
 * (space-separated values). FITS-serialised data and external STREAM hrefs
 * are not read (FITS_UNSUPPORTED).
 */
import { AppError } from '../core/errors';
import { checkBudget, LIMITS } from '../core/limits';
import { base64Decode } from './base64';
import { childElements, descendants, parseXml, textOf, type XmlElement } from './xml';
import type { Table, TableColumn } from './table';
import { allocate, checkDatatype, DATATYPE_BYTES, isScalarBoolean, isScalarNumeric, isText, type VoField } from './votable-field';

export interface VoTableReadOptions {
  name?: string;
  /** which TABLE of the document (default 0) */
  tableIndex?: number;
}

export interface VoTable extends Table {
  fields: VoField[];
  params: { name: string; value: string; unit?: string; ucd?: string }[];
}

function fieldOf(el: XmlElement, name: string): VoField {
  const fname = el.attrs.name ?? el.attrs.ID ?? '';
  const desc = childElements(el, 'DESCRIPTION')[0];
  const values = childElements(el, 'VALUES')[0];
  return {
    name: fname,
    datatype: checkDatatype(el.attrs.datatype, fname, name),
    arraysize: el.attrs.arraysize,
    unit: el.attrs.unit,
    ucd: el.attrs.ucd,
    description: desc ? textOf(desc).trim() : undefined,
    nullValue: values?.attrs.null,
  };
}

const INT_RANGE: Partial<Record<VoField['datatype'], [number, number]>> = {
  unsignedByte: [0, 255],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
};
const LONG_MIN = -(2n ** 63n),
  LONG_MAX = 2n ** 63n - 1n;

function setText(col: TableColumn, f: VoField, i: number, raw: string | null, mask: Uint8Array, name: string): void {
  if (raw !== null && raw.length > LIMITS.maxFieldChars)
    checkBudget(`${name}: row ${i + 1}, field '${f.name}' length`, raw.length, LIMITS.maxFieldChars, 'chars');
  const s = raw === null ? null : f.datatype === 'char' || f.datatype === 'unicodeChar' ? raw : raw.trim();
  const v = col.values;
  if (isScalarNumeric(f)) {
    if (s === null || s === '' || (f.nullValue !== undefined && s === f.nullValue)) {
      mask[i] = 1;
      if (v instanceof Float32Array || v instanceof Float64Array) v[i] = NaN;
      return;
    }
    const outOfRange = (): never => {
      throw new AppError('BAD_INPUT', `${name}: row ${i + 1}, field '${f.name}': '${s.slice(0, 40)}' is out of range for ${f.datatype}`);
    };
    if (v instanceof BigInt64Array) {
      let b: bigint;
      try {
        b = BigInt(s);
      } catch {
        mask[i] = 1;
        return;
      }
      if (b < LONG_MIN || b > LONG_MAX) outOfRange(); // never wrap an id
      v[i] = b;
      return;
    }
    const x = /^[+-]?0x/i.test(s) ? parseInt(s, 16) : /^[+-]?inf/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : Number(s);
    const range = INT_RANGE[f.datatype];
    if (range && Number.isFinite(x) && (x < range[0] || x > range[1])) outOfRange();
    (v as Float64Array)[i] = x;
    if (Number.isNaN(x)) mask[i] = 1;
    return;
  }
  if (isScalarBoolean(f)) {
    const c = (s ?? '').toLowerCase();
    (v as (boolean | null)[])[i] = c === 't' || c === 'true' || c === '1' ? true : c === 'f' || c === 'false' || c === '0' ? false : null;
    return;
  }
  (v as (string | null)[])[i] = s === null || s === '' ? null : s;
}

function readTableData(td: XmlElement, fields: VoField[], cols: TableColumn[], masks: Uint8Array[], name: string): void {
  childElements(td, 'TR').forEach((tr, i) => {
    const cells = childElements(tr, 'TD');
    for (let j = 0; j < fields.length; j++) setText(cols[j], fields[j], i, cells[j] ? textOf(cells[j]) : null, masks[j], name);
  });
}

/**
 * The element count of one binary cell: fixed from arraysize ("10", "3x4"; a trailing "*" means a
 * 4-byte count precedes the cell). A negative or non-integer count is BAD_INPUT naming row and field.
 */
function elementCount(f: VoField, view: DataView, pos: number, where: string): { count: number; pos: number } {
  if (f.arraysize === undefined) return { count: 1, pos };
  let count: number;
  if (f.arraysize.endsWith('*')) {
    count = view.getInt32(pos);
    pos += 4;
  } else count = f.arraysize.split('x').reduce((a, d) => a * Number(d), 1);
  if (!Number.isSafeInteger(count) || count < 0) throw new AppError('BAD_INPUT', `${where}: array length ${count} is invalid`);
  return { count, pos };
}

function readScalar(f: VoField, view: DataView, pos: number): number | bigint | boolean | null | string {
  switch (f.datatype) {
    case 'unsignedByte':
      return view.getUint8(pos);
    case 'short':
      return view.getInt16(pos);
    case 'int':
      return view.getInt32(pos);
    case 'long':
      return view.getBigInt64(pos);
    case 'float':
      return view.getFloat32(pos);
    case 'double':
      return view.getFloat64(pos);
    case 'floatComplex':
      return `${view.getFloat32(pos)} ${view.getFloat32(pos + 4)}`;
    case 'doubleComplex':
      return `${view.getFloat64(pos)} ${view.getFloat64(pos + 8)}`;
    case 'boolean': {
      const c = String.fromCharCode(view.getUint8(pos)).toLowerCase();
      return c === 't' || c === '1' ? true : c === 'f' || c === '0' ? false : null;
    }
    case 'char':
      return String.fromCharCode(view.getUint8(pos));
    case 'unicodeChar':
      return String.fromCharCode(view.getUint16(pos));
    default:
      return null;
  }
}

const utf8 = new TextDecoder();
const utf16be = new TextDecoder('utf-16be');

function readBinary(stream: Uint8Array, fields: VoField[], binary2: boolean, name: string): { cells: unknown[][]; nulls: boolean[][] } {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const nflag = binary2 ? Math.ceil(fields.length / 8) : 0;
  const cells: unknown[][] = fields.map(() => []);
  const nulls: boolean[][] = fields.map(() => []);
  if (fields.length === 0 && stream.length > 0) throw new AppError('BAD_INPUT', `${name}: BINARY stream without FIELDs`);
  let pos = 0,
    row = 0;
  while (pos < stream.length) {
    const rowStart = pos;
    checkBudget(`${name}: BINARY stream holds more than ${row} rows × ${fields.length} fields`, (row + 1) * fields.length, LIMITS.maxTableCells, 'cells');
    const flags = stream.subarray(pos, pos + nflag);
    pos += nflag;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      if (pos + (f.arraysize?.endsWith('*') ? 4 : 0) > stream.length) throw new AppError('FITS_TRUNCATED', `${name}: BINARY stream ends inside row ${row + 1}`);
      const isNull = binary2 && (flags[j >> 3] & (0x80 >> (j & 7))) !== 0;
      const { count, pos: p } = elementCount(f, view, pos, `${name}: row ${row + 1}, field '${f.name}'`);
      pos = p;
      if (isText(f) && count > LIMITS.maxFieldChars) checkBudget(`${name}: row ${row + 1}, field '${f.name}' length`, count, LIMITS.maxFieldChars, 'chars');
      const size = f.datatype === 'bit' ? Math.ceil(count / 8) : count * DATATYPE_BYTES[f.datatype];
      if (pos + size > stream.length) throw new AppError('FITS_TRUNCATED', `${name}: BINARY stream ends inside row ${row + 1}, field '${f.name}'`);
      let value: unknown;
      if (isScalarNumeric(f) || (f.datatype === 'boolean' && f.arraysize === undefined)) {
        value = readScalar(f, view, pos);
      } else if (isScalarBoolean(f)) {
        value = stream[pos] !== 0; // MSB-first per the standard; astropy writes 0x08
      } else if (f.datatype === 'char' || f.datatype === 'unicodeChar') {
        let s = '';
        if (f.datatype === 'char')
          s = utf8.decode(stream.subarray(pos, pos + count)); // ASCII per the standard; UTF-8 tolerated
        else s = utf16be.decode(stream.subarray(pos, pos + 2 * count));
        const nul = s.indexOf('\0');
        value = nul >= 0 ? s.slice(0, nul) : s.trimEnd();
      } else if (f.datatype === 'bit') {
        let s = '';
        for (let k = 0; k < count; k++) s += (stream[pos + (k >> 3)] >> (7 - (k & 7))) & 1;
        value = s;
      } else {
        const parts: string[] = [];
        for (let k = 0; k < count; k++) parts.push(String(readScalar(f, view, pos + k * DATATYPE_BYTES[f.datatype])));
        value = parts.join(' ');
      }
      cells[j].push(value);
      nulls[j].push(isNull || (typeof value === 'number' && Number.isNaN(value)) || (f.nullValue !== undefined && String(value) === f.nullValue));
      pos += size;
    }
    // every row must consume bytes, or a stream of zero-length rows would never end
    if (pos === rowStart) throw new AppError('BAD_INPUT', `${name}: BINARY row ${row + 1} has no bytes (every field is empty)`);
    row++;
  }
  return { cells, nulls };
}

function fillBinary(col: TableColumn, f: VoField, cells: unknown[], nulls: boolean[], mask: Uint8Array): void {
  const v = col.values;
  for (let i = 0; i < cells.length; i++) {
    if (nulls[i]) mask[i] = 1;
    if (ArrayBuffer.isView(v)) (v as Float64Array)[i] = cells[i] as number;
    else (v as unknown[])[i] = nulls[i] ? null : cells[i];
  }
}

/** Parse a VOTable document; the first TABLE unless tableIndex says otherwise. */
export function readVOTable(text: string, opts: VoTableReadOptions = {}): VoTable {
  const name = opts.name ?? 'VOTable';
  checkBudget(`${name}: the document`, text.length, LIMITS.maxTextBytes, 'chars');
  const doc = parseXml(text, name);
  if (doc.name !== 'VOTABLE') throw new AppError('BAD_INPUT', `${name}: root element is <${doc.name}>, not <VOTABLE>`);
  const tables = descendants(doc, 'TABLE');
  const t = tables[opts.tableIndex ?? 0];
  if (!t) throw new AppError('BAD_INPUT', `${name}: no TABLE ${opts.tableIndex ?? 0} (the document has ${tables.length})`);
  const fields = childElements(t, 'FIELD').map((f) => fieldOf(f, name));
  const params = descendants(doc, 'PARAM').map((p) => ({ name: p.attrs.name ?? '', value: p.attrs.value ?? '', unit: p.attrs.unit, ucd: p.attrs.ucd }));
  const data = childElements(t, 'DATA')[0];
  const trs = data ? childElements(data, 'TABLEDATA')[0] : undefined;
  const n0 = trs ? childElements(trs, 'TR').length : 0;
  const cols: TableColumn[] = fields.map((f) => ({ name: f.name, values: allocate(f, n0), unit: f.unit, ucd: f.ucd, description: f.description }));
  const masks = fields.map(() => new Uint8Array(n0));
  let nrows = n0;
  if (data && !trs) {
    const bin = childElements(data, 'BINARY')[0] ?? childElements(data, 'BINARY2')[0];
    if (!bin) throw new AppError('FITS_UNSUPPORTED', `${name}: only TABLEDATA, BINARY and BINARY2 serialisations are read`);
    const stream = childElements(bin, 'STREAM')[0];
    if (!stream || stream.attrs.href) throw new AppError('FITS_UNSUPPORTED', `${name}: external STREAM href is not read; inline base64 only`);
    if (stream.attrs.encoding && stream.attrs.encoding !== 'base64')
      throw new AppError('FITS_UNSUPPORTED', `${name}: STREAM encoding '${stream.attrs.encoding}' is not read`);
    const { cells, nulls } = readBinary(base64Decode(textOf(stream)), fields, bin.name === 'BINARY2', name);
    nrows = cells[0]?.length ?? 0;
    cols.forEach((c, j) => {
      c.values = allocate(fields[j], nrows);
      masks[j] = new Uint8Array(nrows);
      fillBinary(c, fields[j], cells[j], nulls[j], masks[j]);
    });
  } else if (trs) readTableData(trs, fields, cols, masks, name);
  cols.forEach((c, j) => {
    if (isScalarNumeric(fields[j]) && masks[j].some((m) => m)) c.mask = masks[j];
    for (const k of ['unit', 'ucd', 'description'] as const) if (c[k] === undefined) delete c[k];
  });
  const desc = childElements(t, 'DESCRIPTION')[0];
  return { name: t.attrs.name, description: desc ? textOf(desc).trim() : undefined, columns: cols, nrows, fields, params };
}
