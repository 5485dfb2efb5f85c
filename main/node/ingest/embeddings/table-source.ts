/**
 * A catalogue read whole by app/tables (VOTable: an XML document has no row
 * boundaries to stream by), served in blocks like the streamed formats.
 */
import { readCatalogFile } from '../catalog-file';
import { cellText, isNumericValues, type Table } from '@app/tables/table';
import type { BlockColumn, ColumnSource } from './source';

export function tableSource(path: string, t: Table = readCatalogFile(path)): ColumnSource {
  return {
    name: t.name ?? path,
    rows: t.nrows,
    reader: 'app/tables (whole file)',
    columns: t.columns.map((c) => ({ name: c.name, kind: isNumericValues(c.values) && !(c.values instanceof BigInt64Array) ? 'number' : 'text' })),
    async read(start, count, names) {
      const columns: Record<string, BlockColumn> = {};
      for (const n of names) {
        const c = t.columns.find((x) => x.name === n)!;
        if (isNumericValues(c.values) && !(c.values instanceof BigInt64Array)) {
          const v = Float64Array.from(c.values.subarray(start, start + count) as ArrayLike<number>);
          if (c.mask) for (let i = 0; i < count; i++) if (c.mask[start + i]) v[i] = NaN;
          columns[n] = { kind: 'number', values: v };
        } else {
          columns[n] = { kind: 'text', values: Array.from({ length: count }, (_, i) => (c.mask?.[start + i] ? null : cellText(c, start + i) || null)) };
        }
      }
      return { columns };
    },
    close() {},
  };
}
