/**
 * Runs the benchmark suites: every tests/bench/*.bench.ts (default export
 * BenchSuite), optionally filtered by a substring of the file or suite name.
 *
 *   npm run bench                 all suites
 *   npm run bench -- fits synth   suites whose file or name contains 'fits' or 'synth'
 *   npm run bench -- --quick      smaller sizes
 *
 * Prints one table (suite | operation | size | time | throughput | baseline |
 * ratio) and writes bench-results/bench-<date>.json. A suite that throws is
 * reported as failed in the table and the others still run; the exit code is 1
 * when any suite failed.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow, BenchSuite } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

interface SuiteResult {
  file: string;
  name: string;
  rows: BenchRow[];
  error?: string;
  wallMs: number;
}

function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

function fmtRate(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  return a >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : a >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : a >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function table(results: SuiteResult[]): string {
  const head = ['suite', 'operation', 'size', 'time', 'throughput', 'baseline', 'ratio'];
  const lines: string[][] = [];
  for (const r of results) {
    if (r.error) {
      lines.push([r.name, 'FAILED', r.error.split('\n')[0].slice(0, 80), '', '', '', '']);
      continue;
    }
    if (r.rows.length === 0) lines.push([r.name, '(no rows)', '', '', '', '', '']);
    for (const row of r.rows) {
      lines.push([
        r.name,
        row.operation,
        row.size,
        fmtTime(row.timeMs),
        `${fmtRate(row.throughput)} ${row.unit}`,
        row.baseline ? `${row.baseline.name}: ${fmtRate(row.baseline.throughput)}` : '',
        row.ratio !== undefined && Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '',
      ]);
    }
  }
  const widths = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
  const fmt = (l: string[]) => '| ' + l.map((c, k) => c.padEnd(widths[k])).join(' | ') + ' |';
  const notes = results.flatMap((r) => r.rows.filter((x) => x.note).map((x) => `  ${r.name} / ${x.operation}: ${x.note}`));
  return [fmt(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt), ...(notes.length ? ['', 'notes:', ...notes] : [])].join(
    '\n',
  );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const filters = args.filter((a) => !a.startsWith('--')).map((a) => a.toLowerCase());
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const results: SuiteResult[] = [];
  for (const f of files) {
    const stem = basename(f, '.bench.ts');
    const t0 = performance.now();
    let suite: BenchSuite | undefined;
    try {
      suite = (await import(pathToFileURL(join(here, f)).href)).default as BenchSuite;
      if (!suite || typeof suite.run !== 'function') throw new Error(`${f} does not default-export { name, run(ctx) }`);
    } catch (e) {
      if (filters.length && !filters.some((x) => stem.toLowerCase().includes(x))) continue;
      results.push({ file: f, name: stem, rows: [], error: (e as Error).message, wallMs: performance.now() - t0 });
      continue;
    }
    const name = suite.name || stem;
    if (filters.length && !filters.some((x) => stem.toLowerCase().includes(x) || name.toLowerCase().includes(x))) continue;
    const tmp = mkdtempSync(join(tmpdir(), `latent-sky-bench-${stem}-`));
    process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}\n`);
    try {
      const rows = await suite.run({ tmpDir: tmp, quick, log: (m) => process.stderr.write(`  [${name}] ${m}\n`) });
      for (const r of rows) if (r.ratio === undefined && r.baseline && r.baseline.throughput > 0) r.ratio = r.throughput / r.baseline.throughput;
      results.push({ file: f, name, rows, wallMs: performance.now() - t0 });
    } catch (e) {
      results.push({ file: f, name, rows: [], error: (e as Error)?.stack ?? String(e), wallMs: performance.now() - t0 });
      process.stderr.write(`  [${name}] FAILED: ${(e as Error)?.message ?? String(e)}\n`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (results.length === 0) {
    process.stderr.write(`bench: no suite matches ${filters.join(', ') || '(none found)'} among ${files.join(', ')}\n`);
    return 2;
  }
  process.stdout.write(table(results) + '\n');
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(outDir, `bench-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        filters,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        suites: results,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwrote ${file}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

process.exitCode = await main();
