/**
 * FITS decode throughput (MB/s of decoded float32 pixels): a plain 2048×2048
 * float32 image, the same image RICE_1-compressed by fpack (quantised,
 * SUBTRACTIVE_DITHER_1, as Legacy Survey .fits.fz) and GZIP_2-compressed, and
 * writing the plain image. Baselines measured in the same run on the same
 * files: astropy (fits.open + .data inside one Python process, so no start-up
 * cost is counted) and CFITSIO's funpack (one process per file, start-up included).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFits, readImage, writeFits } from '@app/fits/index';
import type { BenchRow } from './types';

const N = 2048;
const MB = (N * N * 4) / 1e6;
const REPS = 5;

const PY_MAKE = `
import sys, numpy as np
from astropy.io import fits
rng = np.random.default_rng(1)
img = rng.normal(0, 1, (${N}, ${N})).astype(np.float32)
yy, xx = np.mgrid[0:${N}, 0:${N}]
for k in range(200):
    x, y, a = rng.uniform(0, ${N}), rng.uniform(0, ${N}), rng.uniform(5, 500)
    s = slice(max(0, int(y) - 20), int(y) + 20), slice(max(0, int(x) - 20), int(x) + 20)
    img[s] += (a * np.exp(-((xx[s] - x) ** 2 + (yy[s] - y) ** 2) / 8.0)).astype(np.float32)
fits.PrimaryHDU(img).writeto(sys.argv[1], overwrite=True)
`;

const PY_TIME = `
import sys, time, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
out = {}
for path in sys.argv[1:]:
    ts = []
    for _ in range(${REPS}):
        t = time.perf_counter()
        with fits.open(path, memmap=False) as hl:
            d = [h.data for h in hl if h.data is not None and h.is_image][0]
            float(d[0, 0])
        ts.append((time.perf_counter() - t) * 1000)
    out[path] = sorted(ts)[len(ts) // 2]
t = time.perf_counter()
for _ in range(${REPS}):
    fits.PrimaryHDU(np.zeros((${N}, ${N}), np.float32) + 1).writeto(sys.argv[1] + '.w.fits', overwrite=True)
out['write'] = (time.perf_counter() - t) * 1000 / ${REPS}
print(json.dumps(out))
`;

function median(fn: () => void): number {
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[Math.floor(REPS / 2)]!;
}

function row(operation: string, ms: number, baseline: { name: string; ms: number } | undefined, note: string): BenchRow {
  const throughput = MB / (ms / 1000);
  const r: BenchRow = { operation, size: `${N}×${N} float32 (${MB.toFixed(1)} MB)`, timeMs: ms, throughput, unit: 'MB/s', note };
  if (baseline) {
    const bt = MB / (baseline.ms / 1000);
    r.baseline = { name: baseline.name, throughput: bt };
    r.ratio = throughput / bt;
  }
  return r;
}

export default {
  name: 'fits',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'ls-fits-bench-'));
    try {
      const plain = join(dir, 'img.fits');
      const rice = join(dir, 'img_rice.fits.fz');
      const gzip2 = join(dir, 'img_gzip2.fits.fz');
      execFileSync('/usr/bin/python3', ['-c', PY_MAKE, plain]);
      execFileSync('fpack', ['-r', '-qt', '4', '-O', rice, plain]);
      execFileSync('fpack', ['-g2', '-qt', '4', '-O', gzip2, plain]);
      const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_TIME, plain, rice, gzip2], { encoding: 'utf8' })) as Record<string, number>;
      const funpackMs = (f: string) => median(() => execFileSync('funpack', ['-S', f], { maxBuffer: 1 << 26 }));
      const rows: BenchRow[] = [];
      for (const [label, file] of [
        ['plain float32', plain],
        ['RICE_1 .fits.fz', rice],
        ['GZIP_2 .fits.fz', gzip2],
      ] as const) {
        const bytes = readFileSync(file);
        const hduIndex = file === plain ? 0 : 1;
        const ms = median(() => readImage(readFits(bytes, { name: file }).hdus[hduIndex]!));
        const mbIn = (bytes.length / 1e6).toFixed(1);
        rows.push(
          row(`decode ${label}`, ms, { name: 'astropy 5.2 (one process)', ms: py[file]! }, `file ${mbIn} MB, in-memory parse + decode, median of ${REPS}`),
        );
        if (file !== plain) rows.push(row(`decode ${label}`, ms, { name: 'funpack -S (incl. process start)', ms: funpackMs(file) }, `file ${mbIn} MB`));
      }
      const data = new Float32Array(N * N).fill(1);
      const wms = median(() => writeFits([{ kind: 'image', shape: [N, N], data }]));
      rows.push(row('write float32 image (to memory)', wms, { name: 'astropy 5.2 writeto (to disk)', ms: py.write! }, 'baseline includes the disk write'));
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
