/**
 * The longer fuzz runs of the peer-facing parsers (the suite runs them for
 * 8–9 s each): HTTP response handling (tests/fuzz/http-fuzz.ts) and the HDF5
 * layout and reader (tests/fuzz/hdf5-fuzz.ts), 60 s each (10 s with --quick),
 * seeded by FUZZ_SEED (default: the date). Reports executions per second and
 * findings; every finding is saved under tests/fixtures/fuzz/ for the suite
 * to replay. `npm run bench -- fuzz-peers`
 */
import { fuzzHdf5, hasH5py, makeSeeds, saveFindings as saveH5 } from '../fuzz/hdf5-fuzz';
import { fuzzHttp, saveFindings as saveHttp } from '../fuzz/http-fuzz';
import type { BenchRow, BenchSuite } from './types';

const suite: BenchSuite = {
  name: 'fuzz-peers',
  async run(ctx) {
    const seconds = ctx.quick ? 10 : 60;
    const seed = Number(process.env.FUZZ_SEED ?? new Date().toISOString().slice(0, 10).replace(/-/g, ''));
    const rows: BenchRow[] = [];
    {
      const t0 = performance.now();
      const r = await fuzzHttp({ seed, timeMs: seconds * 1000 });
      const ms = performance.now() - t0;
      const saved = saveHttp(r.findings);
      ctx.log(`http: ${r.execs} executions, ${r.findings.length} findings${saved.length ? ` saved: ${saved.join(', ')}` : ''}`);
      rows.push({
        operation: 'fuzz HTTP responses',
        size: `${seconds} s, seed ${seed}`,
        timeMs: ms,
        throughput: r.execs / (r.fuzzMs / 1000),
        unit: 'execs/s',
        note: `${r.execs} executions, ${r.findings.length} findings; outcomes ${JSON.stringify(r.outcomes)}; slowest ${r.maxMs} ms; rss +${r.maxRssGrowthMb} MB`,
      });
    }
    if (hasH5py()) {
      const seeds = makeSeeds(ctx.tmpDir);
      const t0 = performance.now();
      const r = await fuzzHdf5({ seed, timeMs: seconds * 1000, dir: ctx.tmpDir, seeds });
      const ms = performance.now() - t0;
      const saved = saveH5(r.findings, seed);
      ctx.log(`hdf5: ${r.execs} executions, ${r.findings.length} findings${saved.length ? ` saved: ${saved.join(', ')}` : ''}`);
      rows.push({
        operation: 'fuzz HDF5 files',
        size: `${seconds} s, seed ${seed}`,
        timeMs: ms,
        throughput: r.execs / (r.fuzzMs / 1000),
        unit: 'execs/s',
        note: `${r.execs} executions, ${r.findings.length} findings; outcomes ${JSON.stringify(r.outcomes)}; slowest ${r.maxMs} ms; rss ${r.maxRssMb} MB`,
      });
    } else ctx.log('hdf5: skipped (/usr/bin/python3 with h5py writes the seed files)');
    return rows;
  },
};

export default suite;
