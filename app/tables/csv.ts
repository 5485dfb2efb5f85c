/**
 * CSV catalogues (RFC 4180 plus what astronomers' files contain): quoted
 * fields with "" escapes and embedded newlines, CRLF, a UTF-8 BOM, leading
 * '#' comment lines, comma / tab / semicolon / '|' delimiters (sniffed from the
 * header). A column is numeric when every non-empty cell parses as a number
 * (nan, inf, null, NULL and empty count as missing); a value whose integer
 * part is too long to be exact in a double (> 15 digits, e.g. 64-bit survey
 * ids, also when written with ".0") keeps the column as text so ids are never
 * rounded. Linear time; a field over LIMITS.maxFieldChars is refused.
 */
import { AppError } from '../core/errors';
import { checkBudget, LIMITS } from '../core/limits';
import { cellText, type Table, type TableColumn } from './table';

const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'null', 'NULL', 'None', '--', 'NA', 'N/A']);
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eEdD][+-]?\d+)?$/; // unambiguous: linear on long digit runs
const INF = /^[+-]?(inf|infinity)$/i;

export interface CsvOptions {
  /** default: sniffed from the header line */
  delimiter?: string;
  /** name used in error messages */
  name?: string;
}

const QUOTE = 34,
  CR = 13,
  LF = 10;

/**
 * Split CSV text into rows of raw fields, in one pass: each field is one slice of the text (quoted
 * fields: one slice per run between "" escapes), never built a character at a time, so the time is
 * linear in the text. A field longer than LIMITS.maxFieldChars is BAD_INPUT naming its row and column.
 */
export function parseCsvRows(text: string, delimiter: string, name = 'CSV'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  const max = LIMITS.maxFieldChars;
  let i = 0;
  let line = 1;
  const where = () => `${name}: ${rows.length === 0 ? 'header' : `data row ${rows.length}`} (line ${line}), column ${row.length + 1}`;
  const check = (len: number) => {
    if (len > max) checkBudget(`${where()}: field length`, len, max, 'chars');
  };
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      const parts: string[] = [];
      let total = 0;
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new AppError('BAD_INPUT', `${name}: unterminated quoted field starting on line ${startLine}`);
        check(total + q - j);
        for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF) line++; // only this piece: indexOf would scan past q
        parts.push(text.slice(j, q));
        total += q - j;
        if (text.charCodeAt(q + 1) === QUOTE) {
          parts.push('"');
          total++;
          j = q + 2;
          check(total);
          continue;
        }
        j = q + 1;
        break;
      }
      // anything between the closing quote and the delimiter is kept verbatim
      let k = j;
      for (let c = text.charCodeAt(k); k < n && c !== d && c !== CR && c !== LF; c = text.charCodeAt(++k));
      if (k > j) {
        parts.push(text.slice(j, k));
        total += k - j;
      }
      check(total);
      field = parts.length === 1 ? parts[0]! : parts.join('');
      i = k;
    } else {
      let k = i;
      const stop = Math.min(n, i + max + 1); // a field over the limit is refused without scanning the rest
      for (let c = text.charCodeAt(k); k < stop && c !== d && c !== CR && c !== LF; c = text.charCodeAt(++k));
      if (k - i > max) throw new AppError('BAD_INPUT', `${where()}: field longer than the ${max} chars limit`, { limit: max, unit: 'chars' });
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const c = text.charCodeAt(i);
    if (c === d) {
      i++;
      continue;
    }
    rows.push(row);
    row = [];
    if (c === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    line++;
    if (i >= n) break;
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

/** the delimiter (, tab ; |) that occurs most in a header line */
export function sniffDelimiter(header: string): string {
  let best = ',',
    count = -1;
  for (const d of [',', '\t', ';', '|']) {
    const c = header.split(d).length - 1;
    if (c > count) {
      best = d;
      count = c;
    }
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
    if (!NUMBER.test(s)) {
      numeric = false;
      break;
    }
    // an integer part of more than 15 digits (64-bit ids) is beyond a double's exact range: the column stays text
    const intPart = s.replace(/^[+-]/, '').split(/[eEdD.]/)[0]!;
    if (intPart.replace(/^0+/, '').length > 15) {
      numeric = false;
      break;
    }
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
  checkBudget(`${name}: the catalogue text`, text.length, LIMITS.maxTextBytes, 'chars');
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // leading comment lines (# ...) before the header
  let from = 0;
  while (body.startsWith('#', from)) {
    const nl = body.indexOf('\n', from);
    from = nl < 0 ? body.length : nl + 1;
  }
  if (from > 0) body = body.slice(from);
  const firstLine = body.slice(0, body.search(/\r|\n|$/));
  if (firstLine.trim() === '') throw new AppError('BAD_INPUT', `${name}: no header line`);
  const delimiter = opts.delimiter ?? sniffDelimiter(firstLine);
  const rows = parseCsvRows(body, delimiter, name);
  if (rows.length === 0) throw new AppError('BAD_INPUT', `${name}: no header line`);
  const header = rows[0].map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') header[j] = `col${j + 1}`;
    if (seen.has(header[j])) throw new AppError('BAD_INPUT', `${name}: duplicate column name '${header[j]}'`);
    seen.add(header[j]);
  });
  const data = rows.slice(1);
  data.forEach((r, i) => {
    if (r.length !== header.length) throw new AppError('BAD_INPUT', `${name}: data row ${i + 1} has ${r.length} fields, the header has ${header.length}`);
  });
  const columns = header.map((h, j) =>
    toColumn(
      h,
      data.map((r) => r[j]),
    ),
  );
  return { columns, nrows: data.length };
}

function quote(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
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
