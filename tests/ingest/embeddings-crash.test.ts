/**
 * An embedding-catalogue import (`latent-sky ingest --from embeddings`, a real process) killed with
 * SIGKILL part-way: the workspace reopens, and the rerun of the same command leaves exactly what one
 * uninterrupted import leaves — every object once, in catalogue order, each vector bit for bit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npyFloat32 } from '@main/node/export/npy';
import { Workspace } from '@main/node/workspace';

const repo = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'emb-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const N = 200_000,
  DIM = 32;

function files(): { vectors: string; catalog: string; data: Float32Array } {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
  const data = new Float32Array(N * DIM).map(rnd);
  const vectors = join(dir, 'v.npy'),
    catalog = join(dir, 'cat.csv');
  writeFileSync(vectors, npyFloat32(data, [N, DIM]));
  const lines = ['id,ra,dec'];
  for (let i = 0; i < N; i++) lines.push(`obj-${i},${(i * 0.006) % 360},${((i % 1000) / 1000) * 10 - 5}`);
  writeFileSync(catalog, lines.join('\n') + '\n');
  return { vectors, catalog, data };
}

const args = (ws: string, f: { vectors: string; catalog: string }) => [
  join(repo, 'main/cli/bin.mjs'),
  'ingest',
  ws,
  '--from',
  'embeddings',
  '--vectors',
  f.vectors,
  '--catalog',
  f.catalog,
  '--model-name',
  'toy',
];

function snapshot(ws: string): { ids: string[]; vectors: Float32Array } {
  const w = Workspace.open(ws, { readonly: true });
  try {
    const key = w.embeddingModels()[0].modelKey;
    return { ids: w.objects().map((o) => o.id), vectors: w.embeddings(key).readAll() };
  } finally {
    w.close();
  }
}

describe('embedding-catalogue import under kill -9', () => {
  it('resumes to the same workspace as an uninterrupted import', async () => {
    const f = files();
    const clean = join(dir, 'clean');
    const c = spawnSync(process.execPath, args(clean, f), { cwd: repo, encoding: 'utf8', timeout: 300_000 });
    expect(c.status, c.stderr).toBe(0);

    const killed = join(dir, 'killed');
    // kill once some objects are committed but not all (a run that finished first is tried again)
    let seen = 0;
    for (let attempt = 0; attempt < 5 && !(seen > 0 && seen < N); attempt++) {
      rmSync(killed, { recursive: true, force: true });
      seen = 0;
      const child = spawn(process.execPath, args(killed, f), { cwd: repo, stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      while (child.exitCode === null && !(seen > 0 && seen < N)) {
        await new Promise((r) => setTimeout(r, 5));
        try {
          if (!Workspace.isWorkspace(killed)) continue;
          const w = Workspace.open(killed, { readonly: true });
          seen = w.count();
          w.close();
        } catch {
          /* mid-creation */
        }
      }
      child.kill('SIGKILL');
      await exited;
      if (child.signalCode !== 'SIGKILL') seen = N; // it finished before the kill: not a mid-import kill
    }
    console.log(`killed after ${seen} of ${N} objects were committed`);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(N);

    const r = spawnSync(process.execPath, args(killed, f), { cwd: repo, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const a = snapshot(clean),
      b = snapshot(killed);
    expect(b.ids.length).toBe(N);
    expect(b.ids).toEqual(a.ids);
    expect(
      Buffer.from(b.vectors.buffer, b.vectors.byteOffset, b.vectors.byteLength).equals(
        Buffer.from(a.vectors.buffer, a.vectors.byteOffset, a.vectors.byteLength),
      ),
    ).toBe(true);
    expect(Array.from(b.vectors.subarray((N - 1) * DIM, N * DIM))).toEqual(Array.from(f.data.subarray((N - 1) * DIM, N * DIM)));
  }, 300_000);
});
