/** `latent-sky synth` and `latent-sky info` as real processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions, surveyObject, surveyObjectMeta } from '@app/synth';
import { Workspace } from '@main/node/workspace';
import { viaF16 } from './make';

const repo = resolve(__dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'ls-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [join(repo, 'main/cli/bin.mjs'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '',
    err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<Result>((res) => child.on('exit', (code, signal) => res({ code, signal, out, err })));
  return { child, done };
}
const cli = (...args: string[]) => start(args).done;

async function whenCount(dir: string, atLeast: number): Promise<void> {
  for (;;) {
    if (Workspace.isWorkspace(dir)) {
      const ws = Workspace.open(dir, { readonly: true });
      const n = ws.count();
      ws.close();
      if (n >= atLeast) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** objects and sample cutouts are those of the synthetic survey, ids unique */
function checkSurvey(dir: string, seed: number, count: number, size: number, samples: number[]): void {
  const ws = Workspace.open(dir, { readonly: true });
  try {
    expect(ws.count()).toBe(count);
    const o = resolveOptions({ count, seed, size });
    for (const i of samples) {
      const want = surveyObject(o, i);
      expect(ws.getObject(i)).toEqual({ idx: i, ...JSON.parse(JSON.stringify(want.object)) });
      expect(Array.from(ws.getCutout(i).data)).toEqual(Array.from(viaF16(want.cutout.data)));
    }
    expect(new Set(ws.objects().map((r) => r.id)).size).toBe(count);
  } finally {
    ws.close();
  }
}

describe('latent-sky synth / info', () => {
  it('creates a synthetic workspace, extends it, and describes it', async () => {
    const dir = join(root, 'survey');
    const r = await cli('synth', dir, '--count', '300', '--seed', '5', '--size', '32');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(''); // no progress bar when stderr is not a terminal
    checkSurvey(dir, 5, 300, 32, [0, 151, 299]);

    const again = await cli('synth', dir, '--count', '300', '--seed', '5');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already complete/);
    const more = await cli('synth', dir, '--count', '360', '--seed', '5');
    expect(more.code, more.err).toBe(0);
    checkSurvey(dir, 5, 360, 32, [300, 359]);

    const info = await cli('info', dir, '--json');
    expect(info.code, info.err).toBe(0);
    const j = JSON.parse(info.out);
    const o = resolveOptions({ count: 360, seed: 5, size: 32 });
    const classes: Record<string, number> = {};
    for (let i = 0; i < 360; i++) {
      const t = surveyObjectMeta(o, i).object.truth!;
      classes[t] = (classes[t] ?? 0) + 1;
    }
    expect(j).toMatchObject({ objects: 360, classes, bands: ['g', 'r', 'z'], cutoutSize: 32, cutoutDtype: 'f16', embeddings: [] });
    expect(j.disk.cutouts).toBe(360 * 3 * 32 * 32 * 2);
    const text = await cli('info', dir);
    expect(text.out).toMatch(/objects\s+360/);

    const refused = await cli('synth', dir, '--count', '50', '--seed', '6');
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/--append/);
    const appended = await cli('synth', dir, '--count', '20', '--seed', '6', '--append');
    expect(appended.code, appended.err).toBe(0);
    const ws = Workspace.open(dir, { readonly: true });
    expect(ws.count()).toBe(380);
    expect(ws.getObject(360).id).toBe(`${surveyObjectMeta(resolveOptions({ count: 20, seed: 6, size: 32 }), 0).object.id}-s6`);
    ws.close();
  }, 120_000);

  it('cancels on Ctrl-C, survives kill -9, and resumes where it stopped', async () => {
    const dir = join(root, 'resume');
    const args = ['synth', dir, '--count', '1200', '--seed', '9', '--size', '32'];
    const a = start(args);
    await whenCount(dir, 1);
    a.child.kill('SIGINT');
    const ra = await a.done;
    expect(ra.code).toBe(130);
    expect(ra.err).toMatch(/cancelled after \d+ of 1200 objects/);

    const b = start(args);
    await whenCount(dir, 600);
    b.child.kill('SIGKILL');
    expect((await b.done).signal).toBe('SIGKILL');

    const c = await cli(...args);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/resumed at \d+/);
    checkSurvey(dir, 9, 1200, 32, [0, 599, 600, 601, 1199]);
  }, 120_000);

  it('exits 2 with one line for bad paths and arguments', async () => {
    const missing = await cli('info', join(root, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    const plain = join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'notes.txt'), 'not a workspace');
    const notWs = await cli('info', plain, '--json');
    expect(notWs.code).toBe(2);
    expect(notWs.err).toMatch(/not a usable Latent Sky workspace/);
    const occupied = await cli('synth', plain, '--count', '10');
    expect(occupied.code).toBe(2);
    expect(occupied.err).toMatch(/not empty/);
    expect((await cli('synth', join(root, 'x'))).code).toBe(2);
    expect((await cli('synth', join(root, 'x'), '--count', 'many')).code).toBe(2);
  }, 60_000);
});
