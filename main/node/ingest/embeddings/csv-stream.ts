/**
 * A CSV catalogue streamed in blocks (app/tables' RFC 4180 row parser on
 * chunks cut at record boundaries), so a million-row file is never held
 * whole. Rows are counted first by a quote-aware scan; reads must be
 * sequential. Cells stay text (the importer parses coordinates and numbers);
 * a row with the wrong number of fields is reported, not fatal.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { parseCsvRows, sniffDelimiter } from '@app/tables/csv';
import type { BlockColumn, ColumnSource } from './source';

const CHUNK = 4 << 20;

/** index just past the last '\n' outside quotes in text (0 when none) */
function lastRecordEnd(text: string): number {
  let inQ = false,
    end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQ = !inQ;
    else if (c === 10 && !inQ) end = i + 1;
  }
  return end;
}

export function openCsvStream(path: string): ColumnSource {
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new AppError('NOT_FOUND', `${path}: cannot open the catalogue (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(CHUNK);
  // header: skip a BOM and leading '#' comment lines
  let pos = 0;
  const line = (): string | null => {
    const parts: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(65536, CHUNK), pos);
      if (n === 0) return parts.length ? Buffer.concat(parts).toString('utf8') : null;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        parts.push(Buffer.from(buf.subarray(0, nl)));
        pos += nl + 1;
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(Buffer.from(buf.subarray(0, n)));
      pos += n;
    }
  };
  let header: string | null;
  do {
    header = line();
  } while (header !== null && (header.replace(/^\ufeff/, '').startsWith('#') || header.trim() === ''));
  if (header === null) {
    closeSync(fd);
    throw new AppError('BAD_INPUT', `${name}: no header line`);
  }
  header = header.replace(/^\ufeff/, '').replace(/\r$/, '');
  const delimiter = sniffDelimiter(header);
  const names = parseCsvRows(header, delimiter, name)[0].map((h, j) => h.trim() || `col${j + 1}`);
  if (new Set(names).size !== names.length) {
    closeSync(fd);
    throw new AppError('BAD_INPUT', `${name}: duplicate column names in the header`);
  }
  const dataStart = pos;
  // count records: newlines outside quotes on lines with content
  let rows = 0;
  {
    let inQ = false,
      content = false;
    for (let at = dataStart; at < size;) {
      const n = readSync(fd, buf, 0, CHUNK, at);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const c = buf[i];
        if (c === 34) {
          inQ = !inQ;
          content = true;
        } else if (c === 10 && !inQ) {
          if (content) rows++;
          content = false;
        } else if (c !== 13 && c !== 32 && c !== 9) content = true;
      }
      at += n;
    }
    if (content) rows++;
  }
  let cursor = 0,
    readAt = dataStart,
    leftover = '';
  const decoder = new TextDecoder('utf-8');
  let pending: string[][] = [];
  const fill = (want: number) => {
    while (pending.length < want && readAt < size) {
      const n = readSync(fd, buf, 0, CHUNK, readAt);
      readAt += n;
      const eof = readAt >= size || n === 0;
      const text = leftover + decoder.decode(buf.subarray(0, n), { stream: !eof });
      const cut = eof ? text.length : lastRecordEnd(text);
      leftover = text.slice(cut);
      for (const r of parseCsvRows(text.slice(0, cut), delimiter, name)) pending.push(r);
      if (n === 0) break;
    }
    if (readAt >= size && leftover) {
      for (const r of parseCsvRows(leftover, delimiter, name)) pending.push(r);
      leftover = '';
    }
  };
  return {
    name,
    rows,
    reader: 'own CSV stream (app/tables parseCsvRows)',
    columns: names.map((n) => ({ name: n, kind: 'text' as const })),
    preferredBlock: 65536,
    async read(start, count, want) {
      if (start !== cursor) throw new AppError('INTERNAL', `${name}: CSV rows must be read in order (asked ${start}, at ${cursor})`);
      fill(count);
      const block = pending.slice(0, count);
      pending = pending.slice(count);
      cursor += block.length;
      const errors = new Map<number, string>();
      const idx = want.map((w) => {
        const j = names.indexOf(w);
        if (j < 0) throw new AppError('BAD_INPUT', `${name}: no column '${w}' (columns: ${names.join(', ')})`);
        return j;
      });
      const columns: Record<string, BlockColumn> = {};
      want.forEach((w, k) => {
        columns[w] = {
          kind: 'text',
          values: block.map((r) => {
            const s = r[idx[k]]?.trim();
            return s === undefined || s === '' ? null : s;
          }),
        };
      });
      block.forEach((r, i) => {
        if (r.length !== names.length) errors.set(i, `row has ${r.length} fields, the header has ${names.length}`);
      });
      for (let i = block.length; i < count; i++) errors.set(i, 'row missing (the file ended early)');
      if (block.length < count)
        for (const w of want) {
          const c = columns[w] as { kind: 'text'; values: (string | null)[] };
          while (c.values.length < count) c.values.push(null);
        }
      return { columns, errors };
    },
    close() {
      closeSync(fd);
    },
  };
}
