/**
 * Parser time against input size on hostile shapes, to show linear scaling (constant MB/s): CSV with
 * 1–4 M rows of quoted fields with "" escapes, CSV fields of 0.25–1 M characters made of "" escapes,
 * an XML start tag with a 1–4 MB attribute run (the shape that used to backtrack), and the refusal
 * time of a 32 MB CSV field (LIMITS.maxFieldChars).
 */
import { readCsv } from '@app/tables/csv';
import { parseXml } from '@app/tables/xml';
import type { BenchRow, BenchSuite } from './types';

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function row(operation: string, size: string, bytes: number, ms: number): BenchRow {
  return { operation, size, timeMs: ms, throughput: bytes / 1e6 / (ms / 1000), unit: 'MB/s' };
}

const suite: BenchSuite = {
  name: 'fuzz-scaling',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const scales = ctx.quick ? [1, 2] : [1, 2, 4];
    for (const k of scales) {
      const lines = ['id,ra,dec,note'];
      for (let i = 0; i < k * 250_000; i++) lines.push(`${1237648720693755918n + BigInt(i)},${i % 360},${(i % 180) - 90},"a ""b"" c"`);
      const text = lines.join('\n');
      rows.push(
        row(
          'CSV rows with quoted fields',
          `${k * 250} k rows, ${(text.length / 1e6).toFixed(0)} MB`,
          text.length,
          time(() => readCsv(text)),
        ),
      );
    }
    for (const k of scales) {
      const text = `id,note\n1,"${'a""'.repeat(k * 87_000)}"\n`;
      rows.push(
        row(
          'CSV one field of "" escapes',
          `${(k * 261).toFixed(0)} k chars`,
          text.length,
          time(() => readCsv(text)),
        ),
      );
    }
    for (const k of scales) {
      const text = `<VOTABLE ${'x'.repeat(k * 2 ** 20)}/>`;
      rows.push(
        row(
          'XML tag with a long attribute run',
          `${k} MB`,
          text.length,
          time(() => parseXml(text)),
        ),
      );
    }
    const big = `id,note\n1,"${'y'.repeat(32 * 2 ** 20)}"\n`;
    let refused = '';
    const ms = time(() => {
      try {
        readCsv(big, { name: 'big.csv' });
      } catch (e) {
        refused = (e as Error).message;
      }
    });
    rows.push({ ...row('CSV 32 MB field refused', '32 MB', big.length, ms), note: refused });
    return rows;
  },
};

export default suite;
