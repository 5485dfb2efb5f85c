/**
 * CSV catalogues (RFC 4180 plus what astronomers' files contain): quoted
 * fields with "" escapes and embedded newlines, CRLF, a UTF-8 BOM, leading
 * '#' comment lines, comma / tab / semicolon / '|' delimiters (sniffed from the
 * header). A column is numeric when every non-empty cell parses as a number
 * (nan, inf, null, NULL and empty count as missing); integers too long to be
 * exact in a double (> 15 digits, e.g. 64-bit survey ids) keep the column
 * as text so ids are never rounded.
 */
import { AppError } from '../core/errors';
import { cellText, type Table, type TableColumn } from './table';

const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'null', 'NULL', 'None', '--', 'NA', 'N/A']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const INF = /^[+-]?(inf|infinity)$/i;

export interface CsvOptions {
  /** default: sniffed from the header line */
  delimiter?: string;
  /** name used in error messages */
  name?: string;
}

/** Split CSV text into rows of raw fields. */
export function parseCsvRows(text: string, delimiter: string, name = 'CSV'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let quotedStartLine = -1;
  let line = 1;
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      quotedStartLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new AppError('BAD_INPUT', `${name}: unterminated quoted field starting on line ${quotedStartLine}`);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      // anything between the closing quote and the delimiter is kept verbatim
      continue;
    }
    if (ch === delimiter) { row.push(field); field = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      row.push(field); field = '';
      rows.push(row); row = [];
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++; line++;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

function sniffDelimiter(header: string): string {
  let best = ',', count = -1;
  for (const d of [',', '\t', ';', '|']) {
    const c = header.split(d).length - 1;
    if (c > count) { best = d; count = c; }
  }
  return best;
}

function isMissing(s: string): boolean {
  return MISSING.has(s.trim());
}

function toColumn(name: string, cells: string[]): TableColumn {
  let numeric = cells.length > 0;
  let anyValue = false;
  for (const raw of cells) {
    const s = raw.trim();
    if (isMissing(s)) continue;
    anyValue = true;
    if (INF.test(s)) continue;
    if (!NUMBER.test(s)) { numeric = false; break; }
    const digits = s.replace(/^[+-]/, '').split(/[eEdD]/)[0];
    if (!digits.includes('.') && digits.replace(/^0+/, '').length > 15) { numeric = false; break; }
  }
  if (numeric && anyValue) {
    const v = new Float64Array(cells.length);
    cells.forEach((raw, i) => {
      const s = raw.trim();
      v[i] = isMissing(s) ? NaN : INF.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s.replace(/[dD]/, 'e'));
    });
    return { name, values: v };
  }
  return { name, values: cells.map((s) => (s.trim() === '' ? null : s.trim())) };
}

/** Parse a CSV catalogue into a column table. */
export function readCsv(text: string, opts: CsvOptions = {}): Table {
  const name = opts.name ?? 'CSV';
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // leading comment lines (# ...) before the header
  while (body.startsWith('#')) {
    const nl = body.indexOf('\n');
    body = nl < 0 ? '' : body.slice(nl + 1);
  }
  const firstLine = body.slice(0, body.search(/\r|\n|$/));
  if (firstLine.trim() === '') throw new AppError('BAD_INPUT', `${name}: no header line`);
  const delimiter = opts.delimiter ?? sniffDelimiter(firstLine);
  const rows = parseCsvRows(body, delimiter, name);
  const header = rows[0].map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') header[j] = `col${j + 1}`;
    if (seen.has(header[j])) throw new AppError('BAD_INPUT', `${name}: duplicate column name '${header[j]}'`);
    seen.add(header[j]);
  });
  const data = rows.slice(1);
  data.forEach((r, i) => {
    if (r.length !== header.length)
      throw new AppError('BAD_INPUT', `${name}: data row ${i + 1} has ${r.length} fields, the header has ${header.length}`);
  });
  const columns = header.map((h, j) => toColumn(h, data.map((r) => r[j])));
  return { columns, nrows: data.length };
}

function quote(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || s !== s.trim()
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}

/** Write columns as CSV text (header line, '\n' line ends, missing = empty). */
export function writeCsv(columns: TableColumn[], opts: { delimiter?: string } = {}): string {
  const d = opts.delimiter ?? ',';
  const nrows = columns.length ? columns[0].values.length : 0;
  for (const c of columns)
    if (c.values.length !== nrows) throw new AppError('BAD_INPUT', `writeCsv: column '${c.name}' has ${c.values.length} rows, expected ${nrows}`);
  const lines = [columns.map((c) => quote(c.name, d)).join(d)];
  for (let i = 0; i < nrows; i++) lines.push(columns.map((c) => quote(cellText(c, i), d)).join(d));
  return lines.join('\n') + '\n';
}
