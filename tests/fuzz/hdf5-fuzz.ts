/**
 * A seeded fuzzer for the HDF5 layout and reader (main/node/ingest/hdf5):
 * seed files written by h5py (tests/fixtures/ingest/make_hostile_hdf5.py —
 * contiguous, chunked with gzip + shuffle, virtual over the same file,
 * duplicate ids, bad coordinates) are mutated byte-wise (flips, extreme
 * 8-byte values where HDF5 keeps addresses and sizes, truncation, copied
 * blocks) and imported in a worker thread (hdf5-worker.ts). Every import must
 * end within its bound with a report or an AppError (BAD_INPUT / NOT_FOUND),
 * never a crash, a hang, a duplicate id reaching the sink, or more than
 * 1.5 GB of memory. A finding's file is saved as tests/fixtures/fuzz/hdf5-*.h5
 * (with a .txt naming the problem), which the suite replays from then on.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { createRng, type Rng } from '@app/core/rng';
import { spawnTsWorker } from '@main/node/workers/spawn';
import type { WorkerAnswer } from './hdf5-worker';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures', 'fuzz');
export const PY = '/usr/bin/python3';
const SEEDS = ['good.h5', 'chunked.h5', 'vds_self.h5', 'dup.h5', 'coords.h5'];
const BOUND_MS = 10_000;
const MAX_RSS_MB = 1536;

export function hasH5py(): boolean {
  try {
    execFileSync(PY, ['-c', 'import h5py, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** the seed files, written by h5py into `dir` */
export function makeSeeds(dir: string): string[] {
  writeFileSync(join(dir, 'secret.txt'), 'not pixels\n');
  execFileSync(PY, [join(here, '..', 'fixtures', 'ingest', 'make_hostile_hdf5.py'), dir, join(dir, 'secret.txt')]);
  return SEEDS.map((f) => join(dir, f));
}

const EXTREME = [0xffffffffffffffffn, 0x7fffffffffffffffn, 0n, 1n << 40n, 1n << 32n, 0xffffffffn, 3n];

export function mutateFile(r: Rng, src: Uint8Array): Uint8Array {
  let out = Buffer.from(src);
  const n = 1 + r.int(8);
  for (let i = 0; i < n; i++) {
    const at = r.int(out.length);
    switch (r.int(6)) {
      case 0:
        out[at] = r.int(256);
        break;
      case 1:
        out[at] ^= 1 << r.int(8);
        break;
      case 2:
        if (at + 8 <= out.length) out.writeBigUInt64LE(EXTREME[r.int(EXTREME.length)], at - (at % 8));
        break;
      case 3:
        if (at + 4 <= out.length) out.writeUInt32LE([0xffffffff, 0x7fffffff, 0, 1 << 20][r.int(4)], at - (at % 4));
        break;
      case 4:
        out = out.subarray(0, Math.max(8, at));
        break;
      default: {
        const len = 1 + r.int(256),
          from = r.int(out.length);
        out.copy(out, at, from, Math.min(out.length, from + len));
      }
    }
  }
  return out;
}

export interface Finding {
  file: string;
  problem: string;
}
export interface FuzzResult {
  execs: number;
  findings: Finding[];
  outcomes: Record<string, number>;
  maxRssMb: number;
  maxMs: number;
  fuzzMs: number;
}

type Outcome = WorkerAnswer | { kind: 'late' } | { kind: 'died'; message: string };

class Target {
  private w: Worker | null = null;
  /** `warmup`: a file imported once by every new worker before the clock runs (loading tsx and h5wasm takes seconds) */
  constructor(private readonly warmup: string | null) {}

  private async start(): Promise<Worker> {
    this.w = spawnTsWorker(new URL('./hdf5-worker.ts', import.meta.url), {}, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    this.w.unref();
    if (this.warmup) await this.send(this.w, this.warmup, 120_000);
    return this.w;
  }

  /** a warm worker, started when there is none */
  async ready(): Promise<void> {
    if (!this.w) await this.start();
  }

  /** one import; 'late' when it does not answer within the bound (the worker is then stopped) */
  async run(path: string): Promise<Outcome> {
    const w = this.w ?? (await this.start());
    return this.send(w, path, BOUND_MS);
  }

  private send(w: Worker, path: string, bound: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const done = (v: Outcome) => {
        clearTimeout(t);
        w.off('message', onMsg);
        w.off('error', onErr);
        w.off('exit', onExit);
        resolve(v);
      };
      const onMsg = (m: WorkerAnswer) => done(m);
      const onErr = (e: Error) => {
        this.w = null;
        done({ kind: 'died', message: String(e?.stack ?? e) });
      };
      const onExit = (code: number) => {
        this.w = null;
        done({ kind: 'died', message: `worker exited with ${code}` });
      };
      const t = setTimeout(() => {
        this.w = null;
        void w.terminate();
        done({ kind: 'late' });
      }, bound);
      w.on('message', onMsg);
      w.once('error', onErr);
      w.once('exit', onExit);
      w.postMessage(path);
    });
  }
  async close(): Promise<void> {
    await this.w?.terminate();
    this.w = null;
  }
}

/** replays `replay` files, then mutates the seeds until time or count runs out */
export async function fuzzHdf5(opts: {
  seed: number;
  timeMs: number;
  dir: string;
  seeds: string[];
  maxExecs?: number;
  replay?: string[];
}): Promise<FuzzResult> {
  const rng = createRng(opts.seed);
  const seeds = opts.seeds.map((p) => readFileSync(p));
  const target = new Target(opts.seeds[0] ?? opts.replay?.[0] ?? null);
  const findings: Finding[] = [];
  const outcomes: Record<string, number> = {};
  let execs = 0,
    maxRssMb = 0,
    maxMs = 0;
  await target.ready();
  const t0 = Date.now();
  // the saved findings first, then fresh mutations until the time is up
  const queue = [...(opts.replay ?? [])];
  try {
    while (queue.length > 0 || (Date.now() - t0 < opts.timeMs && execs < (opts.maxExecs ?? Infinity))) {
      let file: string;
      const replaying = queue.length > 0;
      if (replaying) file = queue.shift()!;
      else {
        file = join(opts.dir, `m${execs % 4}.h5`);
        writeFileSync(file, mutateFile(rng, seeds[rng.int(seeds.length)]));
      }
      execs++;
      await target.ready();
      const s = Date.now();
      const a = await target.run(file);
      maxMs = Math.max(maxMs, Date.now() - s);
      let problem: string | null = null;
      if (a.kind === 'late') problem = `no answer within ${BOUND_MS} ms`;
      else if (a.kind === 'died') problem = `the worker died: ${a.message.slice(0, 300)}`;
      else if (a.kind === 'crash') problem = `not an AppError: ${a.message.slice(0, 300)}`;
      else if (a.kind === 'error' && (!['BAD_INPUT', 'NOT_FOUND'].includes(a.code) || /reached the sink/.test(a.message)))
        problem = `${a.code}: ${a.message.slice(0, 300)}`;
      if (a.kind === 'ok' || a.kind === 'error' || a.kind === 'crash') {
        maxRssMb = Math.max(maxRssMb, a.rssMb);
        if (a.rssMb > MAX_RSS_MB) problem = `${problem ? `${problem}; ` : ''}rss ${a.rssMb} MB`;
      }
      const key = a.kind === 'error' ? a.code : a.kind;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (problem) findings.push({ file, problem });
      if (problem && !replaying) {
        // keep the file: the next mutation would overwrite it
        const keep = join(opts.dir, `finding-${findings.length}.h5`);
        copyFileSync(file, keep);
        findings[findings.length - 1].file = keep;
      }
    }
  } finally {
    await target.close();
  }
  return { execs, findings, outcomes, maxRssMb, maxMs, fuzzMs: Date.now() - t0 };
}

/** saves each finding as tests/fixtures/fuzz/hdf5-<hash>.h5 (+ .txt with the problem) */
export function saveFindings(findings: Finding[], seed: number): string[] {
  mkdirSync(FIXTURES, { recursive: true });
  return findings.map((f) => {
    const bytes = readFileSync(f.file);
    const p = join(FIXTURES, `hdf5-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.h5`);
    writeFileSync(p, bytes);
    writeFileSync(
      p.replace(/\.h5$/, '.txt'),
      `${f.problem}\nfound by tests/fuzz/hdf5-fuzz.ts, seed ${seed}, from the seeds of tests/fixtures/ingest/make_hostile_hdf5.py\n`,
    );
    return p;
  });
}

export function savedFiles(): string[] {
  try {
    return readdirSync(FIXTURES)
      .filter((f) => /^hdf5-.*\.h5$/.test(f))
      .map((f) => join(FIXTURES, f));
  } catch {
    return [];
  }
}
