/**
 * Runs a fuzz target (tests/fuzz/targets.ts) for a bounded time in a worker thread and watches it:
 * a non-AppError exception, an execution slower than `slowMs`, one that does not finish within `hangMs`
 * (the worker is stopped and restarted after that input), or process memory growing by more than
 * `memGrowthBytes` is a finding. Every finding is saved under tests/fixtures/fuzz/<target>/ as
 * `<seed>-<iter>.<ext>` with a `.json` beside it (seed, iteration, kind, message), which the fuzz tests
 * then replay as regression tests. Inputs are a pure function of (seed, iteration): see mutate.ts.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generate } from './mutate';
import { TARGETS } from './targets';

export const FINDINGS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fuzz');

export interface Finding {
  target: string;
  seed: number;
  iter: number;
  kind: 'crash' | 'slow' | 'hang' | 'memory';
  message: string;
  file?: string;
}

export interface FuzzOptions {
  target: string;
  seed: number;
  timeMs: number;
  /** stop after this many executions (default: unbounded, time decides) */
  maxExecs?: number;
  slowMs?: number;
  hangMs?: number;
  memGrowthBytes?: number;
  /** write findings under tests/fixtures/fuzz (default true) */
  save?: boolean;
}

export interface FuzzResult {
  target: string;
  seed: number;
  execs: number;
  ms: number;
  findings: Finding[];
}

function save(f: Finding): Finding {
  const t = TARGETS[f.target]!;
  const dir = join(FINDINGS_DIR, f.target);
  mkdirSync(dir, { recursive: true });
  const base = `${f.seed}-${f.iter}`;
  writeFileSync(join(dir, `${base}.${t.ext}`), generate(t.corpus(), f.seed, f.iter, t.options));
  writeFileSync(join(dir, `${base}.json`), JSON.stringify({ target: f.target, seed: f.seed, iter: f.iter, kind: f.kind, message: f.message }, null, 2) + '\n');
  return { ...f, file: join(dir, `${base}.${t.ext}`) };
}

type Outcome = { done: true; execs: number } | { done: false; iter: number; kind: 'hang' | 'memory' | 'crash'; message: string };

function runWorker(o: Required<Omit<FuzzOptions, 'save'>>, from: number, timeMs: number, baseRss: number, onFinding: (f: Finding) => void): Promise<Outcome> {
  const shared = new SharedArrayBuffer(4);
  const cur = new Int32Array(shared);
  cur[0] = -1;
  const w = new Worker(new URL('./boot.mjs', import.meta.url), {
    workerData: {
      entry: new URL('./worker.ts', import.meta.url).href,
      target: o.target,
      seed: o.seed,
      from,
      iterations: o.maxExecs - from,
      timeMs,
      slowMs: o.slowMs,
      shared,
    },
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  return new Promise<Outcome>((resolve) => {
    let last = -1,
      since = Date.now(),
      settled = false;
    const finish = (r: Outcome) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void w.terminate();
      resolve(r);
    };
    const timer = setInterval(() => {
      const c = Atomics.load(cur, 0);
      if (c !== last) {
        last = c;
        since = Date.now();
      }
      if (c < 0) return; // still starting
      const grown = process.memoryUsage().rss - baseRss;
      if (grown > o.memGrowthBytes) finish({ done: false, iter: c, kind: 'memory', message: `memory grew by ${(grown / 2 ** 20).toFixed(0)} MB` });
      else if (Date.now() - since > o.hangMs) finish({ done: false, iter: c, kind: 'hang', message: `no result after ${o.hangMs} ms` });
    }, 25);
    w.on('message', (m: { kind: string; iter?: number; message?: string; execs?: number; stack?: string }) => {
      if (m.kind === 'done') finish({ done: true, execs: m.execs! });
      else
        onFinding({
          target: o.target,
          seed: o.seed,
          iter: m.iter!,
          kind: m.kind as 'crash' | 'slow',
          message: m.stack ? `${m.message}\n${m.stack}` : m.message!,
        });
    });
    // out of heap (ERR_WORKER_OUT_OF_MEMORY) or a crash outside the try: pinned to the current input
    w.on('error', (e) =>
      finish({
        done: false,
        iter: Math.max(Atomics.load(cur, 0), from),
        kind: (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash',
        message: String((e as Error).message),
      }),
    );
    w.on('exit', () => finish({ done: false, iter: Math.max(Atomics.load(cur, 0), from), kind: 'crash', message: 'worker exited' }));
  });
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const o = { maxExecs: 2 ** 31 - 1, slowMs: 2000, hangMs: 10_000, memGrowthBytes: 1024 * 2 ** 20, ...opts };
  const findings: Finding[] = [];
  const add = (f: Finding) => {
    findings.push(opts.save === false ? f : save(f));
  };
  const t0 = Date.now();
  const baseRss = process.memoryUsage().rss;
  let from = 0,
    execs = 0;
  while (Date.now() - t0 < o.timeMs && from < o.maxExecs) {
    const r = await runWorker(o, from, o.timeMs - (Date.now() - t0), baseRss, add);
    if (r.done) {
      execs += r.execs;
      break;
    }
    add({ target: o.target, seed: o.seed, iter: r.iter, kind: r.kind, message: r.message });
    execs += r.iter - from + 1;
    from = r.iter + 1;
  }
  return { target: o.target, seed: o.seed, execs, ms: Date.now() - t0, findings };
}

/** Saved findings of a target: [file, recorded finding]. */
export function savedFindings(target: string): { file: string; bytes: Uint8Array; meta: Finding }[] {
  const dir = join(FINDINGS_DIR, target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => {
      const meta = JSON.parse(readFileSync(join(dir, n), 'utf8')) as Finding;
      const file = join(dir, n.replace(/\.json$/, `.${TARGETS[target]!.ext}`));
      return { file, bytes: new Uint8Array(readFileSync(file)), meta };
    });
}
