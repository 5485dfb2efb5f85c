/**
 * `--metric l2` recorded at import is honoured by search: on vectors that are
 * not unit length, the CLI's `search --like` (a real process) answers by
 * euclidean distance (shown as `distance`) where a cosine workspace of the
 * same vectors answers by direction; an HNSW index built with the l2 metric on
 * the rows as imported gives the same neighbours as the exact scan, a cosine
 * index is never used for l2 queries; the probe (on unit rows) is unaffected.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { npyFloat32 } from '@main/node/export/npy';
import { findNeighbours, queryVector, viewSource } from '@main/node/index/neighbours';
import { VectorIndex } from '@main/node/index/vector-index';
import { loadEmbeddingView } from '@main/node/discovery/embedding-view';
import { Workspace } from '@main/node/workspace';
import { root } from '../e2e/harness';

const D = 8;
const bin = join(root, 'main', 'cli', 'bin.mjs');

function cli(args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Q = e0; DIR* point along e0 but are long (cosine ≈ 1, far in l2);
 * NEAR* are short vectors about 45° off e0 (close in l2, cosine ≈ 0.7);
 * FAR* are random filler, long and in other directions.
 */
function vectors(): { ids: string[]; rows: Float32Array } {
  const rng = createRng(5);
  const ids: string[] = [],
    rows: number[] = [];
  const push = (id: string, v: number[]) => {
    ids.push(id);
    rows.push(...v);
  };
  const e = (k: number, s: number) => Array.from({ length: D }, (_, j) => (j === k ? s : 0));
  push('Q', e(0, 1));
  for (let i = 0; i < 4; i++)
    push(
      `DIR${i}`,
      e(0, 8 + i).map((x, j) => (j === 1 ? 0.05 * (i + 1) : x)),
    );
  for (let i = 0; i < 4; i++)
    push(
      `NEAR${i}`,
      Array.from({ length: D }, (_, j) => (j === 0 ? 0.7 : j === 2 + i ? 0.7 : 0)),
    );
  for (let i = 0; i < 40; i++)
    push(
      `FAR${i}`,
      Array.from({ length: D }, (_, j) => (j === 0 ? -2 : 5 * rng.normal())),
    );
  return { ids, rows: Float32Array.from(rows) };
}

describe('embeddings imported with --metric l2', () => {
  let dir: string;
  let data: ReturnType<typeof vectors>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emb-l2-'));
    data = vectors();
    writeFileSync(join(dir, 'v.npy'), npyFloat32(data.rows, [data.ids.length, D]));
    writeFileSync(join(dir, 'c.csv'), 'id,ra,dec\n' + data.ids.map((id, i) => `${id},${150 + i * 0.01},${2 + i * 0.01}`).join('\n') + '\n');
    for (const metric of ['l2', 'cosine']) {
      const r = cli([
        'ingest',
        join(dir, metric),
        '--from',
        'embeddings',
        '--vectors',
        join(dir, 'v.npy'),
        '--catalog',
        join(dir, 'c.csv'),
        '--model-name',
        'toy',
        '--metric',
        metric,
        '--json',
      ]);
      expect(r.status, r.err).toBe(0);
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const search = (ws: string) => {
    const r = cli(['search', join(dir, ws), '--like', 'Q', '--k', '4', '--json']);
    expect(r.status, r.err).toBe(0);
    return JSON.parse(r.out) as { metric: string; method: string; neighbours: { id: string; distance?: number; similarity?: number }[] };
  };

  it('search --like answers by euclidean distance for l2 and by direction for cosine', () => {
    const l2 = search('l2'),
      cos = search('cosine');
    expect(l2.metric).toBe('l2');
    expect(cos.metric).toBe('cosine');
    expect(l2.neighbours.map((n) => n.id).sort()).toEqual(['NEAR0', 'NEAR1', 'NEAR2', 'NEAR3']);
    expect(cos.neighbours.map((n) => n.id)).toEqual(['DIR0', 'DIR1', 'DIR2', 'DIR3']);
    // shown as a distance: |Q − NEAR| = sqrt(0.3² + 0.7²)
    for (const n of l2.neighbours) {
      expect(n.similarity).toBeUndefined();
      expect(n.distance).toBeCloseTo(Math.hypot(0.3, 0.7), 5);
    }
    expect(cos.neighbours[0].similarity).toBeGreaterThan(0.99);
  }, 60_000);

  it('build-index builds the workspace an l2 index that search then uses', () => {
    const b = cli(['build-index', join(dir, 'l2'), '--json']);
    expect(b.status, b.err).toBe(0);
    const r = search('l2');
    expect(r.method).toBe('hnsw');
    expect(r.neighbours.map((n) => n.id).sort()).toEqual(['NEAR0', 'NEAR1', 'NEAR2', 'NEAR3']);
    for (const n of r.neighbours) expect(n.distance).toBeCloseTo(Math.hypot(0.3, 0.7), 5);
  }, 60_000);

  it('uses an l2 index built on the rows as imported, never a cosine one', () => {
    const ws = Workspace.open(join(dir, 'l2'), { readonly: true });
    try {
      const view = loadEmbeddingView(ws);
      expect(view.metric).toBe('l2');
      const q = data.ids.indexOf('Q');
      const exact = findNeighbours(viewSource(view, null), queryVector(viewSource(view, null), q), { k: 6, exclude: q });
      const l2 = VectorIndex.create(D, undefined, 'l2');
      l2.add(view.rows, 0, { threads: 1 });
      const viaL2 = findNeighbours(viewSource(view, l2), queryVector(viewSource(view, l2), q), { k: 6, exclude: q });
      expect(viaL2.method).toBe('hnsw');
      // NEAR0..3 tie: the same objects at the same distances
      const sorted = (a: Int32Array) => Array.from(a).sort((x, y) => x - y);
      expect(sorted(viaL2.indices)).toEqual(sorted(exact.indices));
      for (let j = 0; j < 6; j++) expect(viaL2.distances[j]).toBeCloseTo(exact.distances[j], 4);
      const cosine = VectorIndex.create(D);
      cosine.add(view.unit, 0, { threads: 1 });
      const viaCos = findNeighbours(viewSource(view, cosine), queryVector(viewSource(view, cosine), q), { k: 6, exclude: q });
      expect(viaCos.method).toBe('exact');
      expect(sorted(viaCos.indices)).toEqual(sorted(exact.indices));
    } finally {
      ws.close();
    }
  });

  it('the probe is unaffected: the same scores on the l2 and the cosine workspace', () => {
    const probe = (ws: string) => {
      const r = cli([
        'probe',
        join(dir, ws),
        '--search',
        's',
        '--create',
        '--pos',
        'DIR0,DIR1,NEAR0',
        '--neg',
        'FAR0,FAR1,FAR2,FAR3,FAR4,FAR5',
        '--top',
        '10',
        '--features',
        'embedding',
        '--json',
      ]);
      expect(r.status, r.err).toBe(0);
      return JSON.parse(r.out) as { top: { ids: string[]; scores: number[] } };
    };
    const a = probe('l2'),
      b = probe('cosine');
    expect(a.top.ids).toEqual(b.top.ids);
    a.top.scores.forEach((s, j) => expect(s).toBeCloseTo(b.top.scores[j], 6));
  }, 60_000);
});
