/**
 * kill -9 in the middle of the morphology-features job: every row the job
 * reported done is stored and equals app/features run directly, no row is
 * marked done without its values, and a rerun computes only the rest.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { MorphologyExtractor } from '@app/features';
import { runFeaturesJob } from '@main/node/features/features-job';
import { Workspace } from '@main/node/workspace';
import { fillSynthetic } from '@main/node/workspace/synth-fill';

const repo = resolve(__dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'ls-featcrash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runAndKill(dir: string, after: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'tests/features/features-child.ts'), dir], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let confirmed = 0,
      stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, n] = line.split(' ');
      if (what === 'done') {
        confirmed = Math.max(confirmed, Number(n));
        if (confirmed >= after) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done(confirmed) : fail(new Error(`child exited ${code} before the kill: ${stderr}`))));
  });
}

describe('morphology features job under kill -9', () => {
  it('keeps every reported row, marks nothing it did not write, and resumes', async () => {
    const dir = join(root, 'ws');
    const ws = Workspace.create(dir, { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
    await fillSynthetic(ws, { count: 400, seed: 8, workers: 1 });
    ws.close();
    const confirmed = await runAndKill(dir, 64);
    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
    const w = Workspace.open(dir);
    const m = w.morphology()!;
    const mask = m.doneMask();
    const done = mask.reduce((s, v) => s + v, 0);
    expect(done).toBeGreaterThanOrEqual(confirmed);
    expect(done).toBeLessThan(400);
    for (let i = 0; i < 400; i++) if (mask[i]) expect(Array.from(m.read(i))).toEqual(Array.from(ex.run(w.getCutout(i).data)));
    w.close();
    const r = await runFeaturesJob({ workspace: dir, workers: 1 });
    expect(r.computed).toBe(400 - done);
    const w2 = Workspace.open(dir, { readonly: true });
    expect(w2.morphology()!.doneCount()).toBe(400);
    w2.close();
  }, 120_000);
});
