/**
 * Embedding rows are loaded in slices (EmbeddingMatrix.readSliceBytes, 1 GB: one byte view of a
 * 10M x 128 matrix is over V8's typed-array limit, and one read over 2 GB is refused). A slice that
 * ends inside a row must give the same rows, with NaN where a row is not written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EmbeddingMatrix, Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from './make';

const dir = mkdtempSync(join(tmpdir(), 'ls-emb-slices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads the same rows in slices that end inside a row', () => {
  const ws = Workspace.create(join(dir, 'ws'), { cutout: SPEC });
  ws.addObjects(makeItems(0, 40));
  const e = ws.embeddings('tiny-v1', 8, { modelName: 'Tiny ViT v1' });
  const rows = Float32Array.from({ length: 30 * 8 }, (_, k) => Math.sin(k));
  e.write(
    Array.from({ length: 30 }, (_, i) => i + 5),
    rows,
  );
  const whole = e.readAll();
  const slice = EmbeddingMatrix.readSliceBytes;
  try {
    EmbeddingMatrix.readSliceBytes = 37;
    const sliced = e.readAll();
    expect(Array.from(sliced.subarray(5 * 8, 35 * 8))).toEqual(Array.from(rows));
    expect(Array.from(sliced.subarray(5 * 8))).toEqual(Array.from(whole.subarray(5 * 8)));
    expect(sliced.subarray(0, 5 * 8).every(Number.isNaN)).toBe(true);
    expect(sliced.subarray(35 * 8).every(Number.isNaN)).toBe(true);
  } finally {
    EmbeddingMatrix.readSliceBytes = slice;
  }
  ws.close();
});
