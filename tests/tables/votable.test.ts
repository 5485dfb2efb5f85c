import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '@app/tables/csv';
import { columnAsFloat64, findColumn, type TableColumn } from '@app/tables/table';
import { readVOTable } from '@app/tables/votable-read';
import { writeVOTable } from '@app/tables/votable-write';

const dir = join(__dirname, '..', 'fixtures', 'tables');

describe('VOTable read: files written by astropy 5.2 (make_fixtures.py)', () => {
  const expected = readCsv(readFileSync(join(dir, 'astropy-expected.csv'), 'utf8'));
  for (const fmt of ['tabledata', 'binary', 'binary2']) {
    it(`reads ${fmt}`, () => {
      const t = readVOTable(readFileSync(join(dir, `astropy-${fmt}.vot`), 'utf8'), { name: fmt });
      expect(t.nrows).toBe(5);
      expect(t.columns.map((c) => c.name)).toEqual(['source_id', 'RAJ2000', 'DEJ2000', 'mag_r', 'nobs', 'flag', 'name']);
      // 64-bit ids survive exactly (9007199254740993 is not representable in a double)
      expect(Array.from(t.columns[0].values as BigInt64Array, String)).toEqual(findColumn(expected, 'source_id')!.values);
      expect(Array.from(columnAsFloat64(t.columns[1]))).toEqual(Array.from(columnAsFloat64(findColumn(expected, 'RAJ2000')!)));
      expect(Array.from(columnAsFloat64(t.columns[2]))).toEqual(Array.from(columnAsFloat64(findColumn(expected, 'DEJ2000')!)));
      expect(t.columns[3].values).toBeInstanceOf(Float32Array);
      expect(Array.from(columnAsFloat64(t.columns[3]))).toEqual(Array.from(columnAsFloat64(findColumn(expected, 'mag_r')!)));
      expect(Array.from(columnAsFloat64(t.columns[4]))).toEqual(Array.from(columnAsFloat64(findColumn(expected, 'nobs')!)));
      expect(t.columns[5].values).toEqual(Array.from(columnAsFloat64(findColumn(expected, 'flag')!), (x) => x === 1));
      expect(t.columns[6].values).toEqual(findColumn(expected, 'name')!.values);
      expect(t.columns[1].unit).toBe('deg');
      expect(t.columns[3].description).toBe('r-band magnitude');
    });
  }
});

describe('VOTable write → read round trip', () => {
  const cols: TableColumn[] = [
    { name: 'id', values: ['a', 'b<&>"', null, 'ü'] },
    { name: 'ra', values: Float64Array.from([1.5, 359.123456789012, NaN, 0]), unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
    { name: 'score', values: Float32Array.from([0.1, -2.5e-8, 3, Infinity]) },
    { name: 'k', values: Int32Array.from([1, -2, 0, 2147483647]), mask: Uint8Array.from([0, 0, 1, 0]) },
    { name: 's', values: Int16Array.from([1, 2, 3, -4]) },
    { name: 'label', values: Uint8Array.from([0, 1, 2, 255]) },
    { name: 'big', values: BigInt64Array.from([1n, -9007199254740993n, 0n, 42n]) },
    { name: 'ok', values: [true, false, null, true] },
  ];
  for (const format of ['tabledata', 'binary2'] as const) {
    it(format, () => {
      const text = writeVOTable(cols, {
        name: 'knn',
        description: 'neighbours of x',
        params: [
          { name: 'query', value: 'LS-1' },
          { name: 'k', value: 10 },
        ],
        info: { software: 'latent-sky' },
        format,
      });
      const t = readVOTable(text);
      expect(t.name).toBe('knn');
      expect(t.description).toBe('neighbours of x');
      expect(t.params.map((p) => [p.name, p.value])).toEqual([
        ['query', 'LS-1'],
        ['k', '10'],
      ]);
      expect(t.nrows).toBe(4);
      expect(t.columns[0].values).toEqual(['a', 'b<&>"', format === 'binary2' ? null : null, 'ü']);
      expect(Array.from(t.columns[1].values as Float64Array)).toEqual([1.5, 359.123456789012, NaN, 0]);
      expect(t.columns[1].ucd).toBe('pos.eq.ra;meta.main');
      expect(Array.from(t.columns[2].values as Float32Array)).toEqual(Array.from(cols[2].values as Float32Array));
      expect(t.columns[3].values).toBeInstanceOf(Int32Array);
      expect(Array.from(t.columns[3].mask!)).toEqual([0, 0, 1, 0]);
      expect([0, 1, 3].map((i) => (t.columns[3].values as Int32Array)[i])).toEqual([1, -2, 2147483647]);
      expect(Array.from(t.columns[4].values as Int16Array)).toEqual([1, 2, 3, -4]);
      expect(Array.from(t.columns[5].values as Uint8Array)).toEqual([0, 1, 2, 255]);
      expect(Array.from(t.columns[6].values as BigInt64Array)).toEqual([1n, -9007199254740993n, 0n, 42n]);
      expect(t.columns[7].values).toEqual([true, false, null, true]);
    });
  }

  it('rejects malformed documents with a message that names the problem', () => {
    expect(() => readVOTable('<VOTABLE><RESOURCE><TABLE>', { name: 'x.vot' })).toThrow(/x.vot: unclosed <TABLE>/);
    expect(() => readVOTable('<foo/>', { name: 'x.vot' })).toThrow(/not <VOTABLE>/);
    expect(() => readVOTable('<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="quad"/></TABLE></RESOURCE></VOTABLE>')).toThrow(/unknown datatype 'quad'/);
  });
});
