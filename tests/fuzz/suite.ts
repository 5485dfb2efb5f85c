/**
 * The fuzz test of one target: its saved findings replayed as regression tests (each must end in an
 * AppError or a result, within the fuzzer's own slowness bound), then a bounded, seeded run of new
 * mutations in a watched worker (tests/fuzz/harness.ts). A new finding is saved under
 * tests/fixtures/fuzz/<target>/ and fails the test with its file, seed and iteration.
 */
import { describe, expect, it } from 'vitest';
import { isAppError } from '@app/core/errors';
import { runFuzz, savedFindings } from './harness';
import { TARGETS } from './targets';

export const FUZZ_MS = Number(process.env.LATENT_SKY_FUZZ_MS ?? 8000);
// generous for a loaded 2-core CI machine; the bench run (npm run bench -- fuzz) flags anything over 2 s
const SLOW_MS = 5000;

export function fuzzSuite(target: string, seed = 1): void {
  describe(`fuzz ${target}`, () => {
    it('every saved finding now gives an AppError or a result, promptly', () => {
      const t = TARGETS[target]!;
      for (const f of savedFindings(target)) {
        const t0 = performance.now();
        try {
          t.exec(f.bytes);
        } catch (e) {
          if (!isAppError(e)) throw new Error(`${f.file} (seed ${f.meta.seed}, iteration ${f.meta.iter}): ${(e as Error).stack}`);
        }
        expect(performance.now() - t0, `${f.file} was a '${f.meta.kind}' finding`).toBeLessThan(SLOW_MS);
      }
    });

    it(
      `seeded mutations for ${FUZZ_MS / 1000} s: no crash, hang or memory blow-up`,
      async () => {
        const r = await runFuzz({ target, seed, timeMs: FUZZ_MS, slowMs: SLOW_MS, hangMs: 10_000 });
        expect(r.execs).toBeGreaterThan(200);
        expect(r.findings.map((f) => `${f.kind} at seed ${f.seed} iteration ${f.iter} (saved as ${f.file}): ${f.message}`)).toEqual([]);
      },
      FUZZ_MS + 60_000,
    );
  });
}
