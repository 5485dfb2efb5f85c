/**
 * Ingest throughput.
 * - local FITS folder (3×64×64 float32 cubes with a TAN WCS) → workspace;
 *   baseline: astropy.io.fits reading the same files (decode only, no store).
 * - Legacy Survey downloader against the loopback survey server, which adds
 *   a fixed 20 ms latency per request (a stand-in for a remote service; the
 *   real one is slower and farther), at concurrency 1, 4 and 16, no rate
 *   limit; baseline: Python urllib in a thread pool of the same size on the
 *   same server.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFits } from '@app/fits';
import { readCsv } from '@app/tables/csv';
import { ingestFolder } from '@main/node/ingest/folder/ingest';
import { ingestLegacySurvey } from '@main/node/ingest/legacysurvey/ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';
import { cutoutFits, startSurveyServer } from '../helpers/loopback-survey-server';
import type { BenchRow, BenchSuite } from './types';

const PY = '/usr/bin/python3';

/** async: the loopback server lives in this process and must keep serving while Python runs */
async function python(script: string, args: string[]): Promise<number | null> {
  try {
    const { stdout } = await promisify(execFile)(PY, ['-c', script, ...args], { encoding: 'utf8', timeout: 300_000 });
    return Number(stdout.trim());
  } catch {
    return null;
  }
}

const suite: BenchSuite = {
  name: 'ingest',
  async run(ctx) {
    const rows: BenchRow[] = [];
    // --- local FITS folder
    const n = ctx.quick ? 150 : 600;
    const dir = join(ctx.tmpDir, 'fits');
    mkdirSync(dir);
    for (let i = 0; i < n; i++) writeFileSync(join(dir, `obj${i}.fits`), cutoutFits(150 + i * 1e-3, 2, 64, 'grz', 0.262));
    const t0 = performance.now();
    const run = await ingestFolder.prepare(dir, { size: 64 });
    const ws = Workspace.create(join(ctx.tmpDir, 'ws-fits'), { cutout: run.shape });
    const rep = await run.ingest(workspaceSink(ws));
    const ms = performance.now() - t0;
    ws.close();
    if (rep.added !== n) throw new Error(`folder ingest added ${rep.added} of ${n}`);
    const astropy = await python(
      `
import sys, glob, time
from astropy.io import fits
files = sorted(glob.glob(sys.argv[1] + '/*.fits'))
t = time.perf_counter()
for f in files:
    with fits.open(f) as h:
        d = h[0].data.astype('float32'); h[0].header['CRVAL1']
print(len(files) / (time.perf_counter() - t))`,
      [dir],
    );
    rows.push({
      operation: 'folder import, FITS cubes → workspace',
      size: `${n} × 3×64×64`,
      timeMs: ms,
      throughput: (n * 1000) / ms,
      unit: 'cutouts/s',
      ...(astropy ? { baseline: { name: 'astropy fits.open (read only)', throughput: astropy } } : {}),
      note: 'ours includes the WCS, band mapping, f16 encoding and the workspace write',
    });
    // --- downloader against the loopback server
    const latencyMs = 20;
    const server = await startSurveyServer({ latencyMs });
    try {
      for (const conc of [1, 4, 16]) {
        const m = ctx.quick ? 40 : conc === 1 ? 100 : 300;
        const csv = 'ra,dec\n' + Array.from({ length: m }, (_, i) => `${(conc * 10 + i * 1e-3).toFixed(4)},${(-conc).toFixed(1)}`).join('\n');
        const w = Workspace.create(join(ctx.tmpDir, `ws-ls-${conc}`), { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
        const t1 = performance.now();
        const r = await ingestLegacySurvey(workspaceSink(w), readCsv(csv), {
          baseUrl: server.base,
          layer: 'ls-dr10',
          pixscale: 0.262,
          size: 64,
          bands: 'grz',
          cacheDir: w.dirPath('cache', 'ls'),
          concurrency: conc,
          ratePerSecond: Infinity,
        });
        const dt = performance.now() - t1;
        w.close();
        if (r.added !== m) throw new Error(`download added ${r.added} of ${m}`);
        const py = await python(
          `
import sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, m, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
urls = [f'{base}/cutout.fits?ra={100 + conc + i * 1e-3:.4f}&dec=1&layer=ls-dr10&pixscale=0.262&size=64&bands=grz' for i in range(m)]
def get(u):
    with urllib.request.urlopen(u) as r:
        return len(r.read())
t = time.perf_counter()
with ThreadPoolExecutor(conc) as ex:
    list(ex.map(get, urls))
print(m / (time.perf_counter() - t))`,
          [server.base, String(m), String(conc)],
        );
        rows.push({
          operation: `Legacy Survey download, concurrency ${conc}`,
          size: `${m} × 3×64×64`,
          timeMs: dt,
          throughput: (m * 1000) / dt,
          unit: 'cutouts/s',
          ...(py ? { baseline: { name: `python urllib, ${conc} threads`, throughput: py } } : {}),
          note: `loopback server with ${latencyMs} ms latency per request, running in the same Node process as our client (it shares the event loop and CPU; Python's client is a separate process); ours validates, caches (fsync) and stores every cutout`,
        });
      }
    } finally {
      await server.close();
    }
    return rows;
  },
};

export default suite;
