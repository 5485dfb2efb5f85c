/**
 * Synthetic survey speed: cutouts per second on one core (the target is
 * ≥ 1000/s), the metadata-only path, the PSF convolution, and the training
 * dump with worker threads. Baselines measured in the same run:
 *  - numpy + scipy (/usr/bin/python3) rendering the same kind of stamp: one
 *    Sérsic n = 4 galaxy and four exponential background galaxies evaluated on
 *    the full 64×64 grid, scipy.ndimage.gaussian_filter per band and Gaussian
 *    noise, one stamp at a time (the way a per-object generator runs);
 *  - the direct (non-separable) 2-D convolution for the PSF row;
 *  - a single worker for the dump.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveOptions, surveyObject, surveyObjectMeta } from '@app/synth/index';
import { convolveDirect, convolveSeparable, gaussianKernel } from '@app/synth/psf';
import type { BenchRow, BenchSuite } from './types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const NUMPY_BASELINE = String.raw`
import sys, time, numpy as np
from scipy.ndimage import gaussian_filter
n = int(sys.argv[1]); rng = np.random.default_rng(1)
y, x = np.mgrid[0:64, 0:64].astype(np.float32)
def sersic(cx, cy, nn, re, q, pa):
    b = 2*nn - 1/3 + 4/(405*nn)
    c, s = np.cos(pa), np.sin(pa)
    u = (x-cx)*c + (y-cy)*s; v = (-(x-cx)*s + (y-cy)*c)/q
    return np.exp(-b*(np.sqrt(u*u+v*v)/re)**(1/nn))
t = time.perf_counter()
out = np.empty((3, 64, 64), np.float32)
for i in range(n):
    img = sersic(32+rng.uniform(-.5,.5), 32+rng.uniform(-.5,.5), 4, rng.uniform(2, 8), rng.uniform(.5, 1), rng.uniform(0, 3.14))
    bg = sum(sersic(rng.uniform(0, 64), rng.uniform(0, 64), 1, rng.uniform(.5, 2), rng.uniform(.3, 1), rng.uniform(0, 3.14)) for _ in range(4))
    for b, (f, s, sig) in enumerate([(1.0, 2.3, .0042), (2.0, 2.1, .0073), (3.0, 2.0, .017)]):
        out[b] = gaussian_filter(f*img + .01*bg, s, mode='constant', truncate=3.5) + rng.normal(0, sig, (64, 64))
print(time.perf_counter() - t)
`;

function timeIt(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

const suite: BenchSuite = {
  name: 'synth',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 500 : 3000;
    const o = resolveOptions({ count: 1_000_000, seed: 1 });
    for (let i = 0; i < 200; i++) surveyObject(o, 500_000 + i); // warm up
    const buf = new Float32Array(3 * 64 * 64);
    const cpu0 = process.cpuUsage();
    const tJs = timeIt(() => {
      for (let i = 0; i < n; i++) surveyObject(o, i, buf);
    });
    const cpu = process.cpuUsage(cpu0);
    const cpuRate = n / ((cpu.user + cpu.system) / 1e6);
    const py = spawnSync('/usr/bin/python3', ['-c', NUMPY_BASELINE, String(Math.min(n, 1000))], { encoding: 'utf8' });
    const pySec = Number(py.stdout.trim());
    const baseline = py.status === 0 && pySec > 0 ? { name: 'numpy+scipy render', throughput: Math.min(n, 1000) / pySec } : undefined;
    if (!baseline) ctx.log(`numpy baseline failed: ${py.stderr.slice(0, 300)}`);
    rows.push({
      operation: 'synth cutouts (1 core)',
      size: `${n} × 3×64×64`,
      timeMs: tJs,
      throughput: (n / tJs) * 1000,
      unit: 'cutouts/s',
      baseline,
      note: `full population (field, rare classes, PSF, noise), ${cpuRate.toFixed(0)} cutouts per CPU-second; the numpy baseline renders a simpler stamp (5 Sérsic profiles)`,
    });

    const nm = ctx.quick ? 5000 : 50_000;
    const tMeta = timeIt(() => {
      for (let i = 0; i < nm; i++) surveyObjectMeta(o, i);
    });
    rows.push({ operation: 'synth metadata only', size: `${nm} objects`, timeMs: tMeta, throughput: (nm / tMeta) * 1000, unit: 'objects/s' });

    const img = new Float32Array(64 * 64).map((_, k) => ((k * 7919) % 101) / 101);
    const kern = gaussianKernel(2.2),
      tmp = new Float32Array(64 * 64);
    const reps = ctx.quick ? 2000 : 20000,
      repsDirect = Math.max(200, reps / 20);
    const tSep = timeIt(() => {
      for (let r = 0; r < reps; r++) convolveSeparable(img, 64, 64, kern, tmp);
    });
    const tDir = timeIt(() => {
      for (let r = 0; r < repsDirect; r++) convolveDirect(img, 64, 64, kern);
    });
    rows.push({
      operation: 'PSF convolution 64×64 (σ 2.2 px)',
      size: `${reps} planes`,
      timeMs: tSep,
      throughput: (reps / tSep) * 1000,
      unit: 'planes/s',
      baseline: { name: 'direct 2-D', throughput: (repsDirect / tDir) * 1000 },
    });

    if (!ctx.quick) {
      const count = 4000;
      const dump = (workers: number) => {
        const out = join(ctx.tmpDir, `dump${workers}`);
        const t = performance.now();
        const r = spawnSync(
          'npx',
          ['tsx', 'native-models/tools/synth-dataset.ts', '--count', String(count), '--seed', '3', '--out', out, '--workers', String(workers)],
          { cwd: root, encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(`synth-dataset failed: ${r.stderr.slice(-300)}`);
        const ms = performance.now() - t;
        return { ms, bytes: statSync(join(out, 'images.npy')).size };
      };
      const one = dump(1),
        two = dump(2);
      rows.push({
        operation: 'training dump (2 workers, incl. startup)',
        size: `${count} cutouts, ${(two.bytes / 2 ** 20).toFixed(0)} MiB`,
        timeMs: two.ms,
        throughput: (count / two.ms) * 1000,
        unit: 'cutouts/s',
        baseline: { name: '1 worker', throughput: (count / one.ms) * 1000 },
      });
    }
    return rows;
  },
};

export default suite;
