/**
 * Bounded fuzzing of the downloader's response handling (tests/fuzz/http-fuzz.ts):
 * 8 s of seeded mutations per run, plus a replay of every finding saved so far.
 * A new finding fails the test and is saved under tests/fixtures/fuzz/ first.
 * The longer run: `npm run bench -- fuzz-peers`.
 */
import { describe, expect, it } from 'vitest';
import { fuzzHttp, saveFindings, savedSpecs } from './http-fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

describe('fuzz: HTTP responses', () => {
  it('every mutated response ends in a cutout or a clean AppError, in bounded time and memory', async () => {
    const r = await fuzzHttp({ seed: SEED, timeMs: 8000 });
    const saved = saveFindings(r.findings);
    console.log(`http fuzz seed ${SEED}: ${r.execs} executions, outcomes ${JSON.stringify(r.outcomes)}, slowest ${r.maxMs} ms, rss +${r.maxRssGrowthMb} MB`);
    expect(
      r.findings.map((f) => `${f.problem} [${f.spec.note}]`),
      `saved: ${saved.join(', ')}`,
    ).toEqual([]);
    expect(r.execs).toBeGreaterThan(100);
    // the mutations reach both sides: some answers still carry a good cutout, most are refused
    expect(r.outcomes.ok ?? 0).toBeGreaterThan(0);
    expect(Object.keys(r.outcomes).length).toBeGreaterThan(3);
    expect(r.maxRssGrowthMb).toBeLessThan(400);
  }, 60_000);

  it('replays the saved findings', async () => {
    const specs = savedSpecs();
    if (specs.length === 0) return;
    const r = await fuzzHttp({ seed: 1, timeMs: 0, replay: specs });
    expect(r.findings.map((f) => f.problem)).toEqual([]);
  });
});
