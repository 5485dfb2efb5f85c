import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exactKnn } from '@app/ml/knn';
import { compileFilter } from '@main/node/index/filters';
import { findNeighbours, rowsSource } from '@main/node/index/neighbours';
import { VectorIndex } from '@main/node/index/vector-index';
import { structuredVectors } from './structured';

const dir = mkdtempSync(join(tmpdir(), 'ls-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 4000,
  D = 64,
  K = 10;
const { unit } = structuredVectors(N, D, 1);
const queries = Array.from({ length: 200 }, (_, q) => (q * 19) % N);

function recallAt10(index: VectorIndex): number {
  let hits = 0;
  for (const q of queries) {
    const v = unit.subarray(q * D, (q + 1) * D);
    const truth = new Set(exactKnn(unit, D, v, K).indices);
    for (const i of index.search(v, K).indices) if (truth.has(i)) hits++;
  }
  return hits / (queries.length * K);
}

describe('vector index (usearch HNSW, cosine)', () => {
  const index = VectorIndex.create(D);
  const progress: number[] = [];
  index.add(unit, 0, { batch: 1000, onProgress: (d) => progress.push(d) });

  it('builds in batches with progress and reaches recall@10 >= 0.95 against brute force', () => {
    expect(index.size).toBe(N);
    expect(progress).toEqual([1000, 2000, 3000, 4000]);
    expect(recallAt10(index)).toBeGreaterThanOrEqual(0.95);
    const hit = index.search(unit.subarray(5 * D, 6 * D), 3);
    expect(hit.indices[0]).toBe(5);
    expect(hit.similarities[0]).toBeCloseTo(1, 5);
  });

  it('saved and memory-mapped (view) index gives identical answers; incremental add after reopening', () => {
    const path = join(dir, 'a.usearch');
    const half = VectorIndex.create(D);
    half.add(unit.subarray(0, (N / 2) * D), 0);
    half.save(path);
    const grown = VectorIndex.openWritable(path, D);
    grown.add(unit.subarray((N / 2) * D), N / 2);
    expect(grown.size).toBe(N);
    grown.save(path);
    const viewed = VectorIndex.view(path, D);
    expect(viewed.readOnly).toBe(true);
    for (const q of queries.slice(0, 50)) {
      const v = unit.subarray(q * D, (q + 1) * D);
      expect(Array.from(viewed.search(v, K).indices)).toEqual(Array.from(grown.search(v, K).indices));
    }
    expect(() => viewed.add(unit.subarray(0, D), N)).toThrow(/read-only/);
    expect(() => VectorIndex.view(path, D + 1)).toThrow(/dimension/);
    expect(() => VectorIndex.view(join(dir, 'missing.usearch'), D)).toThrow(/no vector index/);
  });

  it('a one-thread build, widened, answers batches on every core with the graph it had', () => {
    const rows = unit.subarray(0, 1500 * D);
    const one = VectorIndex.create(D);
    one.add(rows, 0, { threads: 1, batch: 400 });
    const q = unit.subarray(1000 * D, 1300 * D);
    const before = one.searchBatch(q, K, 1);
    one.widenSearch();
    expect(one.size).toBe(1500);
    for (let round = 0; round < 5; round++) {
      const many = one.searchBatch(q, K, 0);
      expect(Array.from(many.indices)).toEqual(Array.from(before.indices));
      expect(Array.from(many.similarities)).toEqual(Array.from(before.similarities));
    }
  });

  it('cancels between batches', () => {
    const ac = new AbortController();
    const idx = VectorIndex.create(D);
    expect(() => idx.add(unit, 0, { batch: 500, signal: ac.signal, onProgress: (d) => d >= 1000 && ac.abort() })).toThrow(/cancelled after 1000/);
    expect(idx.size).toBe(1000);
  });
});

describe('filtered neighbour queries', () => {
  const rng = (i: number) => ((i * 2654435761) >>> 0) / 2 ** 32;
  const ra = Float64Array.from({ length: N }, (_, i) => 360 * rng(i));
  const dec = Float64Array.from({ length: N }, (_, i) => -30 + 60 * rng(i + 7919));
  const index = VectorIndex.create(D);
  index.add(unit, 0);
  const src = rowsSource(unit, D, index);

  it('without a filter uses HNSW and excludes the query object', () => {
    const r = findNeighbours(src, unit.subarray(10 * D, 11 * D), { k: 5, exclude: 10 });
    expect(r.method).toBe('hnsw');
    expect(r.indices.length).toBe(5);
    expect(Array.from(r.indices)).not.toContain(10);
  });

  it('a broad filter over-fetches and every answer passes; matches exact search on the filtered set', () => {
    const f = compileFilter({ box: { raMin: 0, raMax: 240, decMin: -30, decMax: 30 } }, { ra, dec }, N)!;
    let agree = 0;
    for (const q of queries.slice(0, 40)) {
      const v = unit.subarray(q * D, (q + 1) * D);
      const r = findNeighbours(src, v, { k: K, filter: f, exactBelow: 100 });
      expect(r.method).toBe('hnsw-overfetch');
      for (const i of r.indices) expect(ra[i]).toBeLessThanOrEqual(240);
      const truth = new Set(exactKnn(unit, D, v, K, { accept: f.accept }).indices);
      for (const i of r.indices) if (truth.has(i)) agree++;
    }
    expect(agree / (40 * K)).toBeGreaterThanOrEqual(0.95);
  });

  it('a very selective filter (cone, labels, score range) falls back to exact search', () => {
    const labels = new Uint8Array(N);
    for (let i = 0; i < N; i += 50) labels[i] = 1;
    const scores = Float32Array.from({ length: N }, (_, i) => rng(i + 3));
    const f = compileFilter({ labels: { column: labels, accept: [1] }, score: { scores, min: 0.2 } }, { ra, dec }, N)!;
    const r = findNeighbours(src, unit.subarray(0, D), { k: 5, filter: f });
    expect(r.method).toBe('exact');
    for (const i of r.indices) {
      expect(labels[i]).toBe(1);
      expect(scores[i]).toBeGreaterThanOrEqual(0.2);
    }
    const cone = compileFilter({ cone: { ra: 100, dec: 0, radiusDeg: 5 } }, { ra, dec }, N)!;
    expect(cone.passing).toBeGreaterThan(0);
    const rc = findNeighbours(src, unit.subarray(0, D), { k: 1000, filter: cone });
    expect(rc.indices.length).toBe(cone.passing);
    const wrap = compileFilter({ box: { raMin: 350, raMax: 10, decMin: -90, decMax: 90 } }, { ra, dec }, N)!;
    for (let i = 0; i < N; i++) expect(wrap.accept(i)).toBe(ra[i] >= 350 || ra[i] <= 10);
  });
});
