/**
 * Creating a workspace never removes a file it did not create (issue: `mkdir -p p/exports;
 * echo keep > p/exports/a.csv; latent-sky synth p` used to delete a.csv). A foreign file under
 * every name a workspace uses is refused with CONFLICT and left byte for byte, through the store,
 * the CLI (synth and a folder ingest) and the engine's contract call; an interrupted creation of
 * our own (proved by the marker written first) is still resumed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '@main/node/services/engine';
import { CREATING_MARKER, Workspace } from '@main/node/workspace/workspace';
import { SPEC } from './make';

const repo = resolve(__dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'ls-foreign-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `p${n++}`);

/** every entry a workspace folder can hold, as a file path the user might have put there */
const NAMES = [
  'catalog.sqlite',
  'catalog.sqlite-wal',
  'catalog.sqlite-shm',
  'catalog.sqlite-journal',
  'cutouts/shard-00000.bin',
  'cutouts/a.txt',
  'embeddings/notes.txt',
  'index/a.usearch',
  'projections/p.json',
  'cache/c.fits',
  'exports/a.csv',
  CREATING_MARKER,
];

function plant(dir: string, rel: string): { path: string; body: string } {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  const body = `user data at ${rel}\n`;
  writeFileSync(path, body);
  return { path, body };
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repo, 'main/cli/bin.mjs'), ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
}

describe('creating a workspace keeps files it did not create', () => {
  it.each(NAMES)('refuses a folder holding a user file at %s and leaves it as it was', (rel) => {
    const dir = fresh();
    const f = plant(dir, rel);
    const before = readdirSync(dir).sort();
    let err: Error | undefined;
    try {
      Workspace.create(dir, { cutout: SPEC });
    } catch (e) {
      err = e as Error;
    }
    expect((err as { code?: string })?.code).toBe('CONFLICT');
    expect(err!.message).toMatch(/not empty/);
    expect(err!.message).not.toContain('\n');
    expect(readFileSync(f.path, 'utf8')).toBe(f.body);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("creates in an empty folder, keeping a file browser's litter", () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, '.DS_Store'), 'finder');
    Workspace.create(dir, { cutout: SPEC }).close();
    expect(readFileSync(join(dir, '.DS_Store'), 'utf8')).toBe('finder');
    expect(existsSync(join(dir, CREATING_MARKER))).toBe(false);
    expect(Workspace.isWorkspace(dir)).toBe(true);
  });

  it('resumes a creation of ours that stopped before its manifest, without touching anything else', () => {
    const dir = fresh();
    Workspace.create(dir, { cutout: SPEC }).close();
    // what a creation killed just before the manifest leaves: marker, catalogue, empty folders
    rmSync(join(dir, 'manifest.json'));
    writeFileSync(join(dir, CREATING_MARKER), JSON.stringify({ format: 'latent-sky-workspace', creating: true, pid: 1 }));
    expect(Workspace.isWorkspace(dir)).toBe(false);
    Workspace.create(dir, { cutout: SPEC }).close();
    expect(Workspace.isWorkspace(dir)).toBe(true);
    // the same, with a user file dropped into one of our folders meanwhile: refused, file kept
    rmSync(join(dir, 'manifest.json'));
    writeFileSync(join(dir, CREATING_MARKER), JSON.stringify({ format: 'latent-sky-workspace', creating: true, pid: 1 }));
    const f = plant(dir, 'embeddings/mine.npy');
    expect(code(() => Workspace.create(dir, { cutout: SPEC }))).toBe('CONFLICT');
    expect(readFileSync(f.path, 'utf8')).toBe(f.body);
    expect(existsSync(join(dir, 'catalog.sqlite'))).toBe(true);
  });

  it('the CLI (synth, folder ingest) exits 2 with one line and keeps the file', () => {
    const p = fresh();
    const f = plant(p, 'exports/a.csv');
    const r = cli('synth', p, '--count', '16');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not empty/);
    expect(readFileSync(f.path, 'utf8')).toBe(f.body);

    const q = fresh();
    const g = plant(q, 'cache/keep.fits');
    const images = join(root, 'images');
    mkdirSync(images, { recursive: true });
    writeFileSync(join(images, 'x.csv'), 'id,ra,dec\n');
    const s = cli('ingest', q, '--from', 'folder', images);
    expect(s.status, s.stderr).toBe(2);
    expect(readFileSync(g.path, 'utf8')).toBe(g.body);
  }, 60_000);

  it('the contract call workspace.createDemo refuses it before any job starts', async () => {
    const p = fresh();
    const f = plant(p, 'index/hnsw.usearch');
    const engine = new Engine({ stateDir: join(root, 'state'), modelsDir: join(root, 'models') });
    try {
      let err: unknown;
      try {
        await engine.workspace.createDemo({ path: p, count: 8, seed: 1 });
      } catch (e) {
        err = e;
      }
      expect((err as { code?: string })?.code).toBe('CONFLICT');
      expect(await engine.jobs.list()).toHaveLength(0);
    } finally {
      await engine.close();
    }
    expect(readFileSync(f.path, 'utf8')).toBe(f.body);
  });
});
