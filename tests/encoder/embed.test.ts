/**
 * Embedding jobs end to end through the real CLI (child processes) and the
 * job API: a clean run, kill -9 half-way then resume (only the missing rows
 * are encoded and the result equals the clean run), --force, cancel via
 * AbortSignal, one-line errors with exit 2, `models`, and cached patch tokens.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEmbedJob, type EmbedProgress } from '@main/node/encoder/embed-job';
import { PatchTokenService } from '@main/node/encoder/patch-tokens';
import { Workspace } from '@main/node/workspace';
import { cli, cliAsync, fixtures, makeWorkspace, tempDir, tinyModel } from './helpers';

const N = 300;
const dir = tempDir('embed');
const pristine = join(dir, 'pristine');
const home = join(dir, 'home');
const env = { LATENT_SKY_HOME: home };
const copy = (name: string) => {
  cpSync(pristine, join(dir, name), { recursive: true });
  return join(dir, name);
};

function embeddingsOf(ws: string, key: string): { done: number; all: Float32Array } {
  const w = Workspace.open(ws, { readonly: true });
  try {
    const m = w.embeddings(key);
    return { done: m.doneCount(), all: m.readAll() };
  } finally {
    w.close();
  }
}

let clean: { key: string; all: Float32Array };

beforeAll(() => {
  makeWorkspace(pristine, N);
  const ws = copy('clean');
  const r = cli(['embed', ws, '--model', tinyModel, '--providers', 'cpu', '--batch', '32', '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report).toMatchObject({ encoded: N, done: N, total: N, skipped: 0, cancelled: false });
  expect(report.info.provider).toBe('cpu');
  expect(r.stderr).toMatch(/embedded 300 objects with tiny-test 0\.0\.1 on cpu: 300\/300 done, 0 skipped, [\d.]+ images\/s/);
  clean = { key: report.info.modelKey, all: embeddingsOf(ws, report.info.modelKey).all };
});

describe('embed', () => {
  it('a clean run stores finite vectors for every object, and a rerun has nothing to do', () => {
    expect(clean.all.length).toBe(N * 16);
    expect(clean.all.every(Number.isFinite)).toBe(true);
    const r = cli(['embed', join(dir, 'clean'), '--model', tinyModel, '--providers', 'cpu'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^embedded 0 objects .* 300\/300 done/);
  });

  it('kill -9 half-way, then the rerun encodes exactly the missing objects and matches the clean run', async () => {
    const ws = copy('killed');
    const child = cliAsync(['embed', ws, '--model', tinyModel, '--providers', 'cpu', '--batch', '1', '--threads', '1'], env);
    const matrix = join(ws, 'embeddings', clean.key, 'matrix.f32');
    let atKill = -1;
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (!existsSync(matrix)) return;
        let done = 0;
        try {
          done = embeddingsOf(ws, clean.key).done;
        } catch {
          return; // the matrix is being created right now
        }
        if (done >= N / 3) {
          child.kill('SIGKILL');
          atKill = done;
          clearInterval(timer);
        }
      }, 5);
      child.on('exit', () => (clearInterval(timer), atKill > 0 ? resolve() : reject(new Error('embed finished before it could be killed'))));
    });
    const afterKill = embeddingsOf(ws, clean.key).done;
    expect(afterKill).toBeGreaterThanOrEqual(atKill);
    expect(afterKill).toBeLessThan(N);
    console.log(`killed at ${atKill} done (${afterKill} after the kill) of ${N}`);
    const r = cli(['embed', ws, '--model', tinyModel, '--providers', 'cpu', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.info.alreadyDone).toBe(afterKill);
    expect(report.encoded).toBe(N - afterKill);
    const resumed = embeddingsOf(ws, clean.key);
    expect(resumed.done).toBe(N);
    let maxDiff = 0;
    for (let i = 0; i < resumed.all.length; i++) maxDiff = Math.max(maxDiff, Math.abs(resumed.all[i] - clean.all[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('--force encodes everything again', () => {
    const r = cli(['embed', join(dir, 'clean'), '--model', tinyModel, '--providers', 'cpu', '--force', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ encoded: N, info: { alreadyDone: 0, toDo: N } });
  });

  it('cancel (AbortSignal) stops after the batch in flight; the rows written so far stay done', async () => {
    const ws = copy('cancelled');
    const ac = new AbortController();
    const seen: EmbedProgress[] = [];
    const report = await runEmbedJob({
      workspace: ws,
      model: tinyModel,
      providers: 'cpu',
      batch: 4,
      threads: 1,
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.encoded >= 8) ac.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.encoded).toBeGreaterThanOrEqual(8);
    expect(report.encoded).toBeLessThan(N);
    expect(embeddingsOf(ws, clean.key).done).toBe(report.encoded);
    const last = seen.at(-1)!;
    expect(last.total).toBe(N);
    expect(seen.some((p) => p.encoded > 0 && p.rate > 0 && p.etaSeconds !== null)).toBe(true);
  });

  it('errors are one line on stderr with exit code 2', () => {
    const ws = join(dir, 'clean');
    const cases: [string[], RegExp][] = [
      [['--model', join(fixtures, 'tiny-mismatch')], /manifest input shape \[batch,3,48,48\] but model\.onnx input 'image' is \[batch,3,32,32\]/],
      [['--model', join(fixtures, 'tiny-corrupt')], /model\.onnx: ONNX Runtime cannot load it/],
      [['--model', tinyModel, '--providers', 'cuda,npu'], /unknown execution provider 'npu'/],
      [['--model', join(dir, 'no-such-model')], /no model '.*no-such-model'/],
    ];
    for (const [args, re] of cases) {
      const r = cli(['embed', ws, ...args], env);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^latent-sky embed: /);
      expect(lines[0]).toMatch(re);
    }
  });
});

describe('bad items', () => {
  it('an object whose vector is not finite is skipped, listed with its reason, and the batch goes on', async () => {
    // a model copy without nan_to_num: NaN pixels in the centre crop reach the network and give NaN vectors
    const model = join(dir, 'tiny-no-nan-to-num');
    cpSync(tinyModel, model, { recursive: true });
    const m = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));
    m.preprocess = m.preprocess.filter((s: { op: string }) => s.op !== 'nan_to_num');
    writeFileSync(join(model, 'manifest.json'), JSON.stringify(m));
    const ws = join(dir, 'with-nan');
    makeWorkspace(ws, 20, 3, (i, data) => i === 7 && data.fill(NaN, 32 * 64 + 28, 32 * 64 + 36));
    const r = await runEmbedJob({ workspace: ws, model, providers: 'cpu', batch: 8 });
    expect(r).toMatchObject({ encoded: 19, skipped: 1, done: 19, cancelled: false });
    expect(r.skippedObjects).toEqual([{ idx: 7, reason: 'the model produced a non-finite embedding' }]);
    expect(r.info.modelKey).not.toBe(clean.key); // other preprocessing, other key
  });
});

describe('models', () => {
  it('lists added models and what each execution provider does here', () => {
    expect(cli(['models', '--add', join(fixtures, 'tiny-corrupt')], env).code).toBe(2);
    expect(cli(['models', '--add', tinyModel], env).code).toBe(0);
    const r = cli(['models', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.models.filter((m: any) => m.source === 'user')).toEqual([expect.objectContaining({ name: 'tiny-test', dim: 16, valid: true, path: tinyModel })]);
    const p = Object.fromEntries(j.providers.map((x: any) => [x.name, x]));
    expect(p.cpu).toMatchObject({ inBuild: true, bundled: true, works: true });
    expect(p.cuda.works).toBe(false);
    expect(p.cuda.reason).toMatch(/\S/);
    if (process.platform === 'linux') expect(p.dml).toMatchObject({ works: false, reason: expect.stringMatching(/not available on this platform/) });
  });
});

describe('patch tokens', () => {
  it('are computed on demand, cached on disk, and turned into an RGB overlay', async () => {
    const w = Workspace.open(join(dir, 'clean'));
    const svc = new PatchTokenService(w, tinyModel);
    try {
      const a = await svc.tokens(5);
      expect(a).toMatchObject({ rows: 4, cols: 4, dim: 8, cached: false });
      expect(existsSync(svc.cachePath(5))).toBe(true);
      const b = await svc.tokens(5);
      expect(b.cached).toBe(true);
      expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
      const o = await svc.overlay(5);
      expect(o).toMatchObject({ idx: 5, rows: 4, cols: 4 });
      expect(o.rgb.length).toBe(48);
      expect(Math.max(...o.rgb)).toBe(255);
      await expect(svc.tokens(N)).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
    } finally {
      await svc.close();
      w.close();
    }
  });
});
