/**
 * Bounded fuzzing of the HDF5 layout and reader (tests/fuzz/hdf5-fuzz.ts): a
 * replay of every finding saved so far, then 7 s of seeded mutations of
 * h5py-made files. A new finding fails the test and is saved under
 * tests/fixtures/fuzz/ first. The longer run: `npm run bench -- fuzz-peers`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzHdf5, hasH5py, makeSeeds, saveFindings, savedFiles } from './hdf5-fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const ok = hasH5py();
if (!ok) console.warn('tests/fuzz/hdf5.test.ts skipped: /usr/bin/python3 with h5py and numpy writes the seed files');

describe.skipIf(!ok)('fuzz: HDF5 files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-h5-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the saved findings and 7 s of mutated files import or are refused with one line, in bounded time and memory', async () => {
    const seeds = makeSeeds(dir);
    const replay = savedFiles();
    const r = await fuzzHdf5({ seed: SEED, timeMs: 7000, dir, seeds, replay });
    const saved = saveFindings(
      r.findings.filter((f) => !replay.includes(f.file)),
      SEED,
    );
    console.log(
      `hdf5 fuzz seed ${SEED}: ${r.execs} executions (${replay.length} replayed), outcomes ${JSON.stringify(r.outcomes)}, slowest ${r.maxMs} ms, rss ${r.maxRssMb} MB`,
    );
    expect(
      r.findings.map((f) => `${f.file}: ${f.problem}`),
      `saved: ${saved.join(', ')}`,
    ).toEqual([]);
    expect(r.execs).toBeGreaterThan(50);
    expect(r.outcomes.ok ?? 0).toBeGreaterThan(0);
    expect(r.outcomes.BAD_INPUT ?? 0).toBeGreaterThan(0);
  }, 90_000);
});
