/**
 * Folder import planning (main/node/ingest/folder/plan.ts): which file makes
 * which object, for a folder of PNG cutouts and a catalogue with a file column.
 * Linear in files + rows (maps by path and by stem); planning used to scan the
 * image list once per catalogue row. Sizes: 15,000 files (quick: 1,500).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '@app/tables/csv';
import { planFolder } from '@main/node/ingest/folder/plan';
import type { BenchSuite } from './types';

const suite: BenchSuite = {
  name: 'folder-plan',
  async run(ctx) {
    const n = ctx.quick ? 1500 : 15_000;
    const dir = join(ctx.tmpDir, 'pngs');
    mkdirSync(dir);
    const lines = ['id,ra,dec,file'];
    for (let i = 0; i < n; i++) {
      writeFileSync(join(dir, `img${i}.png`), '');
      lines.push(`G${i},${(i % 360) + 0.5},${(i % 60) - 30},img${i}.png`);
    }
    const table = readCsv(lines.join('\n'));
    const t = performance.now();
    const plan = planFolder(dir, { table });
    const ms = performance.now() - t;
    if (plan.objects.length !== n) throw new Error(`planned ${plan.objects.length} of ${n}`);
    return [
      {
        operation: 'folder import planning (files ↔ catalogue rows)',
        size: `${n} PNG files + ${n}-row catalogue`,
        timeMs: ms,
        throughput: (n * 1000) / ms,
        unit: 'files/s',
      },
    ];
  },
};

export default suite;
