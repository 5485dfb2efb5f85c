/**
 * The patch-feature PCA is fitted once per workspace and model over a fixed
 * reference sample, so an object's overlay colours do not depend on which
 * object was opened first (nor on the session), and every object is coloured
 * in the same basis.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyPatchBasis, referenceSample, type PatchBasis } from '@app/encoder/patch-basis';
import { patchPca, toPatchOverlay } from '@app/encoder/patch-pca';
import { basisPath, REFERENCE_SEED, REFERENCE_SIZE } from '@main/node/encoder/patch-basis-cache';
import { PatchTokenService } from '@main/node/encoder/patch-tokens';
import { Workspace } from '@main/node/workspace';
import { makeWorkspace, tempDir, tinyModel } from './helpers';

const N = 100;
const dir = tempDir('patch-basis');
const pristine = join(dir, 'pristine');

beforeAll(() => {
  makeWorkspace(pristine, N);
});

async function overlaysInOrder(name: string, order: number[]) {
  cpSync(pristine, join(dir, name), { recursive: true });
  const ws = Workspace.open(join(dir, name));
  const svc = new PatchTokenService(ws, tinyModel);
  try {
    const out = new Map<number, Awaited<ReturnType<PatchTokenService['overlay']>>>();
    for (const idx of order) out.set(idx, await svc.overlay(idx));
    const path = basisPath(ws, svc);
    const basis = JSON.parse(readFileSync(path, 'utf8')) as PatchBasis;
    const tokens = new Map<number, Float32Array>();
    for (const idx of order) tokens.set(idx, (await svc.tokens(idx)).tokens);
    return { out, basis, tokens, path };
  } finally {
    await svc.close();
    ws.close();
  }
}

describe('patch PCA basis', () => {
  it('the same object has the same overlay colours whichever object was opened first; both share one basis', async () => {
    const a = await overlaysInOrder('first-7', [7, 42]);
    const b = await overlaysInOrder('first-42', [42, 7]);
    expect(existsSync(a.path)).toBe(true);
    for (const idx of [7, 42]) expect(Array.from(b.out.get(idx)!.rgb)).toEqual(Array.from(a.out.get(idx)!.rgb));
    expect(b.basis).toEqual(a.basis);
    // the stated reference set: a fixed random sample of REFERENCE_SIZE distinct objects
    expect(a.basis.reference).toMatchObject({ objects: referenceSample(N, REFERENCE_SIZE, REFERENCE_SEED), seed: REFERENCE_SEED, workspaceCount: N });
    expect(new Set(a.basis.reference.objects).size).toBe(REFERENCE_SIZE);
    expect(a.basis.reference.tokens).toBe(REFERENCE_SIZE * 16); // 4 x 4 tokens each
    expect(a.out.get(7)!.reference).toEqual({ objects: REFERENCE_SIZE, tokens: REFERENCE_SIZE * 16, seed: REFERENCE_SEED });
    // explained variance: of the reference tokens, in decreasing order, the same for every object
    const ex = a.basis.explained;
    expect(ex[0]).toBeGreaterThanOrEqual(ex[1]);
    expect(ex[1]).toBeGreaterThanOrEqual(ex[2]);
    expect(ex.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(a.out.get(7)!.explained).toEqual(a.out.get(42)!.explained);
    // both objects are coloured in that one basis (recomputed here from their tokens)
    for (const idx of [7, 42]) {
      expect(Array.from(toPatchOverlay(idx, applyPatchBasis(a.basis, a.tokens.get(idx)!, 4, 4)).rgb)).toEqual(Array.from(a.out.get(idx)!.rgb));
    }
    // which a per-object fit is not: its colours depend on the object's own tokens only
    const own = toPatchOverlay(7, patchPca(a.tokens.get(7)!, 4, 4, 8)).rgb;
    expect(Array.from(own)).not.toEqual(Array.from(a.out.get(7)!.rgb));
  });

  it('a second session reads the cached basis (no refit), and objects added later keep it', async () => {
    const ws = Workspace.open(join(dir, 'first-7'));
    const svc = new PatchTokenService(ws, tinyModel);
    try {
      const before = readFileSync(basisPath(ws, svc), 'utf8');
      const o = await svc.overlay(99);
      expect(o.reference?.objects).toBe(REFERENCE_SIZE);
      expect(readFileSync(basisPath(ws, svc), 'utf8')).toBe(before);
    } finally {
      await svc.close();
      ws.close();
    }
  });

  it('a workspace smaller than the reference size uses all its objects', () => {
    expect(referenceSample(10, REFERENCE_SIZE, REFERENCE_SEED)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const s = referenceSample(1000, 64, 1);
    expect(s).toEqual(referenceSample(1000, 64, 1));
    expect(s).not.toEqual(referenceSample(1000, 64, 2));
  });
});
