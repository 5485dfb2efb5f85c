/**
 * The discovery commands end to end, as real processes: on a workspace made
 * by `latent-sky synth` and embedded by `latent-sky embed` with the bundled
 * model (index, search, probe, project, export), and the one-line exit-2
 * errors on fixture workspaces.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureWorkspace } from './fixture-workspace';

const repo = resolve(__dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'ls-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repo, 'main/cli/bin.mjs'), ...args], { cwd: repo, encoding: 'utf8', timeout: 170_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (r: { out: string }) => JSON.parse(r.out);

describe('CLI errors exit 2 with one line', () => {
  const fx = join(root, 'fx');
  const empty = join(root, 'empty');
  beforeAll(() => {
    makeFixtureWorkspace(fx, 150).close();
    makeFixtureWorkspace(empty, 50, { embedUpTo: 0 }).close();
  });

  it.each([
    ['unknown object id', ['search', 'fx', '--like', 'no-such-object'], /no object with id 'no-such-object'/],
    ['labels for a search that does not exist', ['probe', 'fx', '--search', 'nothing', '--pos', 'obj-1'], /no search named 'nothing'.*--create/],
    ['a workspace without embeddings', ['build-index', 'empty'], /has no embeddings yet/],
    ['a projection of 0 objects', ['project', 'empty', '--method', 'pca'], /has no embeddings yet/],
    ['export of an unknown search', ['export', 'fx', '--search', 'nope', '--format', 'csv', '--out', 'x.csv'], /no search named 'nope'/],
    ['a bad method', ['project', 'fx', '--method', 'tsne'], /--method must be umap or pca/],
    ['not a workspace', ['build-index', 'missing-dir'], /does not exist/],
  ])('%s', (_what, args, re) => {
    const [cmd, ws, ...rest] = args;
    const r = cli(cmd, join(root, ws), ...rest.map((a) => (a === 'x.csv' ? join(root, a) : a)));
    expect(r.code).toBe(2);
    const lines = r.err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('latent-sky'));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(re);
  });
});

const modelPresent = existsSync(join(repo, 'native-models/ls-vit-tiny/model.onnx'));

describe.skipIf(!modelPresent)('CLI discovery loop on a synthesised, really embedded workspace', () => {
  const ws = join(root, 'real');
  beforeAll(() => {
    const s = cli('synth', ws, '--count', '300', '--seed', '3');
    expect(s.code, s.err).toBe(0);
    const e = cli('embed', ws, '--json');
    expect(e.code, e.err).toBe(0);
  }, 240_000);

  it('index, search, probe, project, export', () => {
    const idx = cli('build-index', ws, '--json');
    expect(idx.code, idx.err).toBe(0);
    expect(json(idx).state.size).toBe(300);

    const first = json(cli('search', ws, '--like', '#0', '--k', '5', '--json'));
    expect(first.neighbours.length).toBe(5);
    expect(first.method).toBe('hnsw');
    const q = first.query.id as string;
    const boxed = json(cli('search', ws, '--like', q, '--k', '5', '--box', '0,360,-90,90', '--json'));
    expect(boxed.neighbours.map((n: { id: string }) => n.id)).toEqual(first.neighbours.map((n: { id: string }) => n.id));

    const ids = first.neighbours.map((n: { id: string }) => n.id);
    const p1 = cli('probe', ws, '--search', 'like-first', '--create', '--pos', `${q},${ids[0]}`, '--top', '10', '--json');
    expect(p1.code, p1.err).toBe(0);
    const r1 = json(p1);
    expect(r1.round).toBe(1);
    expect(r1.mode).toBe('similarity');
    const far = json(cli('search', ws, '--like', q, '--k', '300', '--json'))
      .neighbours.slice(-5)
      .map((n: { id: string }) => n.id);
    const r2 = json(cli('probe', ws, '--search', 'like-first', '--pos', ids[1], '--neg', far.join(','), '--json'));
    expect(r2.round).toBe(2);
    expect(r2.mode).toBe('probe');
    expect(r2.negatives).toBe(5);
    expect(r2.suggestions.idx.length).toBe(20);

    const pr = json(cli('project', ws, '--method', 'pca', '--json'));
    expect(pr.placed).toBe(300);
    expect(existsSync(pr.path)).toBe(true);
    expect(json(cli('project', ws, '--method', 'pca', '--json')).cached).toBe(true);

    const out = join(root, 'cands.vot');
    const ex = json(cli('export', ws, '--search', 'like-first', '--out', out, '--top', '20', '--json'));
    expect(ex.format).toBe('votable');
    expect(ex.rows).toBe(28);
    const emb = json(cli('export', ws, '--embeddings', '--out', join(root, 'e.npy'), '--json'));
    expect(emb.rows).toBe(300);
  }, 240_000);
});
