/**
 * kill -9 at random points: the workspace must open, hold every object, label
 * and embedding row that was reported saved, and show no half-written object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { Workspace } from '@main/node/workspace';
import { labelOf, vectorOf } from './crash-data';
import { makeItem, viaF16 } from './make';

const repo = resolve(__dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'ls-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Confirmed {
  objects: number;
  labels: Set<number>;
  embedded: Set<number>;
}

/** Runs the child until `delayMs` after it is ready, then SIGKILLs it; returns what it confirmed. */
function runAndKill(dir: string, delayMs: number, confirmed: Confirmed): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'tests/workspace/crash-child.ts'), dir], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, a, b] = line.split(' ');
      if (what === 'ready') setTimeout(() => child.kill('SIGKILL'), delayMs);
      else if (what === 'obj') confirmed.objects = Math.max(confirmed.objects, Number(a));
      else if (what === 'label') confirmed.labels.add(Number(a));
      else if (what === 'emb') for (let i = Number(a); i < Number(b); i++) confirmed.embedded.add(i);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child exited ${code}: ${stderr}`))));
  });
}

function verify(dir: string, c: Confirmed): number {
  const ws = Workspace.open(dir);
  try {
    const n = ws.count();
    expect(n).toBeGreaterThanOrEqual(c.objects);
    // every visible object is whole: catalogue row and cutout bytes as generated
    const cutouts = ws.readCutoutBlock(0, n);
    const px = cutouts.length / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      const want = makeItem(i);
      expect(ws.getObject(i)).toEqual({ idx: i, ...want.object });
      const got = cutouts.subarray(i * px, (i + 1) * px);
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(viaF16(want.cutout.data).buffer))).toBe(true);
    }
    const labels = ws.labels.get('crash');
    for (const i of c.labels) expect(labels.get(i)).toBe(labelOf(i));
    for (const [i, l] of labels) expect(l).toBe(labelOf(i));
    const emb = ws.embeddings('crash-model');
    for (const i of c.embedded) expect(emb.isDone(i)).toBe(true);
    const all = emb.readAll();
    const mask = emb.doneMask();
    for (let i = 0; i < n; i++) {
      const row = all.subarray(i * emb.dim, (i + 1) * emb.dim);
      if (mask[i]) expect(Array.from(row)).toEqual(Array.from(vectorOf(i)));
      else expect(row.every(Number.isNaN)).toBe(true);
    }
    return n;
  } finally {
    ws.close();
  }
}

describe('crash safety (SIGKILL)', () => {
  it('keeps every confirmed object, label and embedding row over repeated kills', async () => {
    const dir = join(root, 'ws');
    const rng = createRng(20240611);
    const confirmed: Confirmed = { objects: 0, labels: new Set(), embedded: new Set() };
    let lastN = 0;
    for (let round = 0; round < 5; round++) {
      await runAndKill(dir, 50 + rng.int(700), confirmed);
      const n = verify(dir, confirmed);
      expect(n).toBeGreaterThanOrEqual(lastN);
      lastN = n;
    }
    expect(confirmed.objects).toBeGreaterThan(0);
    expect(confirmed.labels.size).toBeGreaterThan(0);
  }, 120_000);
});
