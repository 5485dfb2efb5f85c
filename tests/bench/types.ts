/**
 * The benchmark contract: every tests/bench/NAME.bench.ts default-exports a
 * BenchSuite; `npm run bench [-- FILTER] [--quick]` runs them (tests/bench/run.ts).
 * A baseline is measured in the same run (astropy, funpack, brute force,
 * PyTorch, ...), never hard-coded.
 */
export interface BenchRow {
  /** what was measured, e.g. 'synth cutouts (1 core)' */
  operation: string;
  /** problem size in words, e.g. '2000 × 3×64×64' */
  size: string;
  /** wall time of the measured run, milliseconds */
  timeMs: number;
  /** items per second (or another rate, see unit) */
  throughput: number;
  /** unit of throughput, e.g. 'cutouts/s', 'MB/s' */
  unit: string;
  /** the same work done another way, measured in this run */
  baseline?: { name: string; throughput: number };
  /** throughput / baseline.throughput (filled in by the runner when absent) */
  ratio?: number;
  note?: string;
}

export interface BenchContext {
  /** a fresh temporary directory for this suite, removed afterwards */
  tmpDir: string;
  /** smaller sizes for a quick check */
  quick: boolean;
  log(msg: string): void;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
