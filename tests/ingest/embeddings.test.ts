/**
 * Embedding catalogues as a source (main/node/ingest/embeddings): vectors and
 * catalogues written by independent writers (numpy, h5py, astropy, and
 * hyparquet-writer for the Parquet files hyparquet reads) import into a
 * workspace without pixels with every kept vector bit for bit, bad rows
 * skipped with a reason, models never mixed; search, probe and export work
 * on it, and the inspector's cutout says "no pixels offline".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddingView } from '@main/node/discovery/embedding-view';
import { runProbeRound } from '@main/node/discovery/probe-round';
import { exportCandidates } from '@main/node/export/write-export';
import { ensureIndex } from '@main/node/index/index-service';
import { ingestEmbeddings, openEmbeddingsWorkspace, prepareEmbeddingsIngest } from '@main/node/ingest/embeddings/ingest';
import { Workspace } from '@main/node/workspace';
import { hasPython, writeHats, writeParquet, writePythonFiles, type Written } from './embeddings-files';

const ok = hasPython();
if (!ok) console.warn('tests/ingest/embeddings.test.ts skipped: /usr/bin/python3 with numpy, h5py and astropy writes the test files');

const N = 300,
  DIM = 24;
const BAD = new Set([3, 7]); // NaN vector, dec 95

/** the workspace's vectors equal source rows `rows` (minus the bad ones), in order, bit for bit */
function expectRows(ws: Workspace, w: Written, src: Float32Array, rows: number[], key: string): void {
  const kept = rows.filter((r) => !BAD.has(r));
  expect(ws.count()).toBe(kept.length);
  const m = ws.embeddings(key).readAll();
  kept.forEach((r, i) => {
    expect(ws.getObject(i).id).toBe(w.ids[r]);
    expect(Array.from(m.subarray(i * DIM, (i + 1) * DIM))).toEqual(Array.from(src.subarray(r * DIM, (r + 1) * DIM)));
  });
}

describe.skipIf(!ok)('ingest --from embeddings', () => {
  let dir: string, w: Written;
  const all = Array.from({ length: N }, (_, i) => i);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emb-'));
    w = writePythonFiles(dir, N, DIM);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npy float32 + CSV: streamed in blocks, bad rows skipped, rerun resumes, no pixels offline', async () => {
    const wsDir = join(dir, 'ws-npy');
    const progress: number[] = [];
    const r = await ingestEmbeddings(
      wsDir,
      { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors.npy'), modelName: 'toy-model v1' },
      { blockRows: 64, onProgress: (p) => progress.push(p.done) },
    );
    expect(progress).toEqual([64, 128, 192, 256, 300]);
    expect(r.report.added).toBe(N - 2);
    expect(r.report.skipped.map((s) => [s.row, s.reason])).toEqual([
      [3, 'vector has a non-finite value'],
      [7, 'dec 95 outside [-90, 90]'],
    ]);
    expect(r.model).toEqual({ key: 'toy-model-v1', name: 'toy-model v1', dim: DIM, metric: 'cosine' });
    const ws = Workspace.open(wsDir);
    try {
      expectRows(ws, w, w.vectors, all, 'toy-model-v1');
      expect(ws.hasPixels).toBe(false);
      expect(ws.getObject(0).extra.mag_r).toBeCloseTo(Number(readFileSync(join(dir, 'catalog.csv'), 'utf8').split('\n')[2].split(',')[3]), 12);
      expect(() => ws.getCutout(0)).toThrow(/no pixels offline/);
      expect(ws.embeddingModels()[0].meta).toMatchObject({ source: 'embedding-catalogue', metric: 'cosine', dim: DIM });
      // a run killed between committing objects and writing their vectors: the rerun writes the vectors
      ws.embeddings('toy-model-v1').reset();
    } finally {
      ws.close();
    }
    const again = await ingestEmbeddings(wsDir, { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors.npy'), modelName: 'toy-model v1' });
    expect([again.report.added, again.report.alreadyPresent]).toEqual([0, 0]);
    const twice = await ingestEmbeddings(wsDir, { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors.npy'), modelName: 'toy-model v1' });
    expect([twice.report.added, twice.report.alreadyPresent]).toEqual([0, N - 2]);
    const ws2 = Workspace.open(wsDir);
    try {
      expectRows(ws2, w, w.vectors, all, 'toy-model-v1');
    } finally {
      ws2.close();
    }
    // another model's vectors, or another dim/metric under the same name, never mix in
    await expect(ingestEmbeddings(wsDir, { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors16.npy'), modelName: 'other' })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    await expect(
      ingestEmbeddings(wsDir, { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors.npy'), modelName: 'toy-model v1', metric: 'l2' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('npy float16 + VOTable (astropy): decoded exactly as numpy widens float16', async () => {
    const r = await ingestEmbeddings(join(dir, 'ws-f16'), { catalog: join(dir, 'catalog.vot'), vectors: join(dir, 'vectors16.npy'), modelName: 'f16' });
    expect(r.report.added).toBe(N - 2);
    const ws = Workspace.open(join(dir, 'ws-f16'));
    try {
      expectRows(ws, w, w.vectors16, all, 'f16');
    } finally {
      ws.close();
    }
  });

  it('HDF5 dataset (h5py, FILE.h5:/emb/vectors) + FITS catalogue (astropy)', async () => {
    const r = await ingestEmbeddings(
      join(dir, 'ws-h5'),
      { catalog: join(dir, 'table.fits'), vectors: `${join(dir, 'vectors.h5')}:/emb/vectors`, modelName: 'h5' },
      { blockRows: 100 },
    );
    expect(r.readers.vectors).toMatch(/h5wasm/);
    const ws = Workspace.open(join(dir, 'ws-h5'));
    try {
      expectRows(ws, w, w.vectors, all, 'h5');
      expect(typeof ws.getObject(5).extra.mag_r).toBe('number');
    } finally {
      ws.close();
    }
    // two 2-D datasets would be ambiguous; one is found without naming it
    const p = await prepareEmbeddingsIngest({ catalog: join(dir, 'table.fits'), vectors: join(dir, 'vectors.h5') });
    expect(p.model.dim).toBe(DIM);
    p.close();
  });

  it('HDF5 vectors that read another file (external storage, external link) are refused, the other file never read', async () => {
    const secret = join(dir, 'secret.bin');
    const py = `
import h5py, numpy as np
np.arange(${N * DIM}, dtype='<f4').tofile(${JSON.stringify(secret)})
with h5py.File(${JSON.stringify(join(dir, 'ext-storage.h5'))}, 'w') as f:
    f.create_dataset('vectors', shape=(${N}, ${DIM}), dtype='<f4', external=[(${JSON.stringify(secret)}, 0, ${N * DIM * 4})])
with h5py.File(${JSON.stringify(join(dir, 'ext-link.h5'))}, 'w') as f:
    f['vectors'] = h5py.ExternalLink(${JSON.stringify(join(dir, 'vectors.h5'))}, '/emb/vectors')
`;
    const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const [file, msg] of [
      ['ext-storage.h5', /reads from another file \(.*secret\.bin\)/],
      ['ext-link.h5', /another file|not a 2-D|no dataset|datasets/],
    ] as const) {
      const ws = join(dir, `ws-${file}`);
      const got = await ingestEmbeddings(ws, { catalog: join(dir, 'catalog.csv'), vectors: `${join(dir, file)}:/vectors` }).then(
        () => null,
        (e) => e,
      );
      expect(got, file).toMatchObject({ code: 'BAD_INPUT' });
      expect(String(got.message), file).toMatch(msg);
    }
  });

  it("a FITS binary table's own vector column (astropy '24E'), streamed by row range", async () => {
    const r = await ingestEmbeddings(join(dir, 'ws-fits'), { catalog: join(dir, 'table.fits'), vectors: 'emb', modelName: 'fits' }, { blockRows: 50 });
    expect(r.report.added).toBe(N - 2);
    const ws = Workspace.open(join(dir, 'ws-fits'));
    try {
      expectRows(ws, w, w.vectors, all, 'fits');
    } finally {
      ws.close();
    }
  });

  it('Parquet (hyparquet-writer) list<float> column: as its own catalogue, and as a vectors file for a CSV', async () => {
    writeParquet(join(dir, 'cat.parquet'), w, all);
    const a = await ingestEmbeddings(join(dir, 'ws-pq'), { catalog: join(dir, 'cat.parquet'), vectors: 'emb', modelName: 'pq' });
    expect(a.readers.catalog).toMatch(/hyparquet/);
    const b = await ingestEmbeddings(
      join(dir, 'ws-pq2'),
      { catalog: join(dir, 'catalog.csv'), vectors: `${join(dir, 'cat.parquet')}:emb`, modelName: 'pq' },
      { blockRows: 70 },
    );
    expect([a.report.added, b.report.added]).toEqual([N - 2, N - 2]);
    for (const d of ['ws-pq', 'ws-pq2']) {
      const ws = Workspace.open(join(dir, d));
      try {
        expectRows(ws, w, w.vectors, all, 'pq');
      } finally {
        ws.close();
      }
    }
  });

  it('a HATS folder (Norder=K/Dir=D/Npix=N.parquet): read in (Norder, Npix) order; index, search, probe and export without pixels', async () => {
    const order = writeHats(join(dir, 'hats'), w);
    const r = await ingestEmbeddings(join(dir, 'ws-hats'), { catalog: join(dir, 'hats'), vectors: 'emb', modelName: 'hats-model' });
    expect(r.report.added).toBe(N - 2);
    const { ws } = openEmbeddingsWorkspace(join(dir, 'ws-hats'));
    try {
      expectRows(ws, w, w.vectors, order, 'hats-model');
      const view = loadEmbeddingView(ws);
      const built = await ensureIndex(ws, view);
      expect(built.state.size).toBe(N - 2);
      ws.labels.createSearch('s');
      ws.labels.setMany(
        's',
        [...[0, 1, 2].map((idx) => ({ idx, label: 'positive' as const })), ...[10, 11, 12, 13].map((idx) => ({ idx, label: 'negative' as const }))],
        'user',
      );
      const round = runProbeRound(ws, view, 's', { top: 10 });
      expect(round.payload.top.idx.length).toBe(10);
      const out = join(dir, 'hats-top.csv');
      exportCandidates(ws, view, 's', out, 'csv', 10);
      const lines = readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
      expect(lines[0]).toMatch(/\bra\b.*\bdec\b/);
      expect(lines.join('\n')).toContain(ws.getObject(round.payload.top.idx[0]).id);
    } finally {
      ws.close();
    }
    // the whole CLI flow: search --like ID --json
    const bin = join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs');
    const s = spawnSync(process.execPath, [bin, 'search', join(dir, 'ws-hats'), '--like', w.ids[order.find((r) => !BAD.has(r))!], '--k', '5', '--json'], {
      encoding: 'utf8',
    });
    expect(s.status).toBe(0);
    const j = JSON.parse(s.stdout);
    expect(j.method).toBe('hnsw');
    expect(j.neighbours).toHaveLength(5);
  });

  it('bad input: one line, exit 2 (row-count mismatch, missing columns, a workspace with pixels)', async () => {
    const bin = join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs');
    writeParquet(join(dir, 'short.parquet'), w, all.slice(0, 10));
    const cli = (args: string[]) => spawnSync(process.execPath, [bin, 'ingest', join(dir, 'ws-bad'), '--from', 'embeddings', ...args], { encoding: 'utf8' });
    const mismatch = cli(['--catalog', join(dir, 'catalog.csv'), '--vectors', `${join(dir, 'short.parquet')}:emb`]);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toMatch(/300 rows but .* holds 10 vectors/);
    const noCol = cli(['--catalog', join(dir, 'catalog.csv'), '--vectors', join(dir, 'vectors.npy'), '--ra-col', 'RAJ2000']);
    expect(noCol.status).toBe(2);
    expect(noCol.stderr).toMatch(/no column 'RAJ2000' for ra/);
    const pix = Workspace.create(join(dir, 'ws-pixels'), { cutout: { bands: ['g'], size: 8, pixscale: 0.262, unit: 'nanomaggies' } });
    pix.close();
    await expect(ingestEmbeddings(join(dir, 'ws-pixels'), { catalog: join(dir, 'catalog.csv'), vectors: join(dir, 'vectors.npy') })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
