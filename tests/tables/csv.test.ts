import { describe, expect, it } from 'vitest';
import { catalogRows, detectCatalogColumns, rowExtras } from '@app/tables/catalog-columns';
import { readCsv, writeCsv } from '@app/tables/csv';
import type { TableColumn } from '@app/tables/table';

describe('CSV', () => {
  it('parses quotes, escaped quotes, embedded newlines, CRLF, BOM, comments and numeric detection', () => {
    const text =
      '\ufeff# a comment\r\n# another\r\nid,RA,"Dec",note,objid\r\n"x,1",10.5,-2.25,"said ""hi""\nthen left",12345678901234567\r\ny,nan,,plain,2\r\n';
    const t = readCsv(text);
    expect(t.nrows).toBe(2);
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'RA', 'Dec', 'note', 'objid']);
    expect(t.columns[0].values).toEqual(['x,1', 'y']);
    expect(Array.from(t.columns[1].values as Float64Array)).toEqual([10.5, NaN]);
    expect(Array.from(t.columns[2].values as Float64Array)).toEqual([-2.25, NaN]);
    expect(t.columns[3].values).toEqual(['said "hi"\nthen left', 'plain']);
    // a 17-digit id is kept as text, not rounded through a double
    expect(t.columns[4].values).toEqual(['12345678901234567', '2']);
  });

  it('sniffs tab and semicolon delimiters', () => {
    expect(readCsv('ra\tdec\n1\t2\n').columns[1].values).toEqual(Float64Array.from([2]));
    expect(readCsv('ra;dec\n1;2\n').columns[0].values).toEqual(Float64Array.from([1]));
  });

  it('reports ragged rows and unterminated quotes with the row', () => {
    expect(() => readCsv('a,b\n1,2\n3\n', { name: 'cat.csv' })).toThrow(/cat.csv: data row 2 has 1 fields, the header has 2/);
    expect(() => readCsv('a,b\n"1,2\n', { name: 'cat.csv' })).toThrow(/unterminated quoted field starting on line 2/);
  });

  it('writes what it reads', () => {
    const cols: TableColumn[] = [
      { name: 'id', values: ['a,b', ' padded', 'q"q', null] },
      { name: 'score', values: Float32Array.from([0.1, 1e-7, NaN, -3]) },
      { name: 'n', values: Int32Array.from([1, 2, 3, 4]), mask: Uint8Array.from([0, 1, 0, 0]) },
    ];
    const t = readCsv(writeCsv(cols));
    expect(t.columns[0].values).toEqual(['a,b', 'padded', 'q"q', null]);
    expect(Array.from(Float32Array.from(t.columns[1].values as Float64Array))).toEqual(Array.from(cols[1].values as Float32Array));
    expect(Array.from(t.columns[2].values as Float64Array)).toEqual([1, NaN, 3, 4]);
  });
});

describe('catalogue column detection', () => {
  it('finds ra/dec/id under the usual names and gives per-row errors for bad coordinates', () => {
    const t = readCsv('objID,RAJ2000,DEJ2000,mag_r\nA,10,20,18\nB,,5,19\nC,abc,5,1\nD,10,95,2\nA,11,21,3\nE,12:00:00,-30:30:00,4\n');
    const names = detectCatalogColumns(t);
    expect(names).toEqual({ ra: 'RAJ2000', dec: 'DEJ2000', id: 'objID', file: undefined, band: undefined });
    const rows = catalogRows(t, names);
    expect(rows.ids).toEqual(['A', 'E']);
    expect(Array.from(rows.ra)).toEqual([10, 180]);
    expect(Array.from(rows.dec)).toEqual([20, -30.5]);
    expect(rows.errors.map((e) => [e.id, e.reason.split(' (')[0]])).toEqual([
      ['B', 'missing or non-numeric coordinates'],
      ['C', 'missing or non-numeric coordinates'],
      ['D', 'coordinates out of range'],
      ['A', 'duplicate id'],
    ]);
    expect(rowExtras(t, rows.rows[0], names)).toEqual({ mag_r: 18 });
  });

  it('names the columns it has when ra/dec are missing', () => {
    const t = readCsv('name,x,y\na,1,2\n');
    expect(() => detectCatalogColumns(t, {}, 'cat.csv')).toThrow(/cat.csv: no ra and dec column .*columns: name, x, y/);
  });

  it('makes positional ids when there is no id column', () => {
    const t = readCsv('ra_deg,dec_deg\n150.123456,-2.5\n');
    const rows = catalogRows(t, detectCatalogColumns(t), 'LS');
    expect(rows.ids).toEqual(['LS-150.12346-2.50000']);
  });
});
