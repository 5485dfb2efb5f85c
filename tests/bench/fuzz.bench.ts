/**
 * The long fuzz run: every target of tests/fuzz/targets.ts for 60 s (10 s with --quick), seeded, in the
 * watched worker of tests/fuzz/harness.ts. One row per target: executions, executions/s and findings;
 * every finding is saved under tests/fixtures/fuzz/<target>/ (seed + iteration) for the fuzz tests to
 * replay. LATENT_SKY_FUZZ_SEED picks another seed (default 1000, away from the CI runs' seed 1).
 */
import { runFuzz } from '../fuzz/harness';
import { TARGETS } from '../fuzz/targets';
import type { BenchRow, BenchSuite } from './types';

const suite: BenchSuite = {
  name: 'fuzz',
  async run(ctx) {
    const seed = Number(process.env.LATENT_SKY_FUZZ_SEED ?? 1000);
    const ms = ctx.quick ? 10_000 : 60_000;
    const rows: BenchRow[] = [];
    for (const target of Object.keys(TARGETS)) {
      ctx.log(`${target}: ${ms / 1000} s, seed ${seed}`);
      const r = await runFuzz({ target, seed, timeMs: ms });
      rows.push({
        operation: `fuzz ${target}`,
        size: `seed ${seed}: ${r.execs} execs, ${r.findings.length} findings`,
        timeMs: r.ms,
        throughput: r.execs / (r.ms / 1000),
        unit: 'execs/s',
        ...(r.findings.length ? { note: r.findings.map((f) => `${f.kind} iteration ${f.iter} → ${f.file}: ${f.message.split('\n')[0]}`).join('; ') } : {}),
      });
    }
    return rows;
  },
};

export default suite;
