/**
 * Write columns as an IVOA VOTable 1.4 document, TABLEDATA (default,
 * human-readable) or BINARY2 (compact, exact floats, nulls for every type).
 * Column types: Float64Array → double, Float32Array → float, Int32Array →
 * int, Int16Array → short, Uint8Array → unsignedByte, BigInt64Array → long,
 * strings → char arraysize="*", booleans → boolean. `mask` (1 = null)
 * becomes an empty TD / a BINARY2 null flag.
 */
import { AppError } from '../core/errors';
import { base64Encode } from './base64';
import { escapeXml } from './xml';
import { cellText, type TableColumn } from './table';
import { datatypeFor } from './votable-field';

export interface VoParam {
  name: string;
  value: string | number;
  datatype?: 'char' | 'double' | 'int' | 'boolean';
  unit?: string;
  ucd?: string;
  description?: string;
}

export interface VoTableMeta {
  /** TABLE name */
  name?: string;
  description?: string;
  /** RESOURCE name (default 'latent-sky') */
  resource?: string;
  params?: VoParam[];
  /** INFO elements (name → value), e.g. the query that made the table */
  info?: Record<string, string>;
  format?: 'tabledata' | 'binary2';
}

function attrs(a: Record<string, string | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function binary2Rows(columns: TableColumn[], nrows: number): Uint8Array {
  const nflag = Math.ceil(columns.length / 8);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const text = columns.map((c) =>
    Array.isArray(c.values) && datatypeFor(c.values).datatype === 'char' ? c.values.map((s) => (s === null ? null : utf8(String(s)))) : null,
  );
  for (let i = 0; i < nrows; i++) {
    let size = nflag;
    columns.forEach((c, j) => {
      const t = text[j];
      const v = c.values;
      const width =
        v instanceof Float64Array || v instanceof BigInt64Array
          ? 8
          : v instanceof Float32Array || v instanceof Int32Array
            ? 4
            : v instanceof Int16Array
              ? 2
              : 1;
      size += t ? 4 + (t[i]?.length ?? 0) : width;
    });
    const row = new Uint8Array(size);
    const view = new DataView(row.buffer);
    let pos = nflag;
    columns.forEach((c, j) => {
      const v = c.values;
      const x = v[i];
      const isNull = Boolean(c.mask?.[i]) || x === null || (typeof x === 'number' && Number.isNaN(x));
      if (isNull) row[j >> 3] |= 0x80 >> (j & 7);
      const t = text[j];
      if (t) {
        const b = t[i] ?? new Uint8Array(0);
        view.setInt32(pos, b.length);
        row.set(b, pos + 4);
        pos += 4 + b.length;
      } else if (v instanceof Float64Array) {
        view.setFloat64(pos, x as number);
        pos += 8;
      } else if (v instanceof BigInt64Array) {
        view.setBigInt64(pos, x as bigint);
        pos += 8;
      } else if (v instanceof Float32Array) {
        view.setFloat32(pos, x as number);
        pos += 4;
      } else if (v instanceof Int32Array) {
        view.setInt32(pos, x as number);
        pos += 4;
      } else if (v instanceof Int16Array) {
        view.setInt16(pos, x as number);
        pos += 2;
      } else if (v instanceof Uint8Array) {
        view.setUint8(pos, x as number);
        pos += 1;
      } else {
        row[pos] = x === true ? 84 : x === false ? 70 : 63;
        pos += 1;
      } // 'T' 'F' '?'
    });
    chunks.push(row);
    total += size;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** A VOTable 1.4 document (string) holding one table. */
export function writeVOTable(columns: TableColumn[], meta: VoTableMeta = {}): string {
  const nrows = columns.length ? columns[0].values.length : 0;
  for (const c of columns)
    if (c.values.length !== nrows) throw new AppError('BAD_INPUT', `writeVOTable: column '${c.name}' has ${c.values.length} rows, expected ${nrows}`);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<RESOURCE${attrs({ name: meta.resource ?? 'latent-sky', type: 'results' })}>`,
  ];
  for (const [k, v] of Object.entries(meta.info ?? {})) out.push(`<INFO${attrs({ name: k, value: v })}/>`);
  out.push(`<TABLE${attrs({ name: meta.name, nrows: String(nrows) })}>`);
  if (meta.description) out.push(`<DESCRIPTION>${escapeXml(meta.description)}</DESCRIPTION>`);
  for (const p of meta.params ?? []) {
    const datatype = p.datatype ?? (typeof p.value === 'number' ? 'double' : 'char');
    const body = p.description ? `><DESCRIPTION>${escapeXml(p.description)}</DESCRIPTION></PARAM>` : '/>';
    out.push(
      `<PARAM${attrs({ name: p.name, datatype, arraysize: datatype === 'char' ? '*' : undefined, unit: p.unit, ucd: p.ucd, value: String(p.value) })}${body}`,
    );
  }
  for (const c of columns) {
    const t = datatypeFor(c.values);
    const a = attrs({ name: c.name, datatype: t.datatype, arraysize: t.arraysize, unit: c.unit, ucd: c.ucd });
    out.push(c.description ? `<FIELD${a}><DESCRIPTION>${escapeXml(c.description)}</DESCRIPTION></FIELD>` : `<FIELD${a}/>`);
  }
  out.push('<DATA>');
  if (meta.format === 'binary2') {
    out.push('<BINARY2><STREAM encoding="base64">', base64Encode(binary2Rows(columns, nrows)), '</STREAM></BINARY2>');
  } else {
    out.push('<TABLEDATA>');
    for (let i = 0; i < nrows; i++) {
      let tr = '<TR>';
      for (const c of columns) {
        const x = c.values[i];
        tr += `<TD>${escapeXml(typeof x === 'boolean' ? (x ? 'T' : 'F') : cellText(c, i))}</TD>`;
      }
      out.push(tr + '</TR>');
    }
    out.push('</TABLEDATA>');
  }
  out.push('</DATA>', '</TABLE>', '</RESOURCE>', '</VOTABLE>');
  return out.join('\n') + '\n';
}
