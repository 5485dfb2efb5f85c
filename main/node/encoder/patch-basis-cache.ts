/**
 * The workspace's patch-feature PCA basis per model (app/encoder/patch-basis):
 * fitted once over the patch tokens of a fixed random sample of
 * REFERENCE_SIZE objects (seed REFERENCE_SEED), cached in
 * WS/cache/patch/<modelKey>/basis-<size>-s<seed>.json, so every overlay of
 * that model, in any session and whichever object is opened first, uses the
 * same basis. Objects added later keep the basis (colours keep their meaning);
 * deleting the file refits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fitPatchBasis, referenceSample, type PatchBasis } from '@app/encoder/patch-basis';
import { writeFileAtomic } from '../workspace/fsutil';
import type { Workspace } from '../workspace/workspace';
import type { PatchTokenService } from './patch-tokens';

export const REFERENCE_SIZE = 64;
export const REFERENCE_SEED = 1;

const pending = new WeakMap<PatchTokenService, Promise<PatchBasis>>();

export function basisPath(ws: Workspace, service: PatchTokenService): string {
  return ws.path('cache', 'patch', service.folder.modelKey, `basis-${REFERENCE_SIZE}-s${REFERENCE_SEED}.json`);
}

function read(path: string, dim: number): PatchBasis | null {
  if (!existsSync(path)) return null;
  try {
    const b = JSON.parse(readFileSync(path, 'utf8')) as PatchBasis;
    return b.dim === dim && Array.isArray(b.components) && b.components.length ? b : null;
  } catch {
    return null; // torn or foreign: refit
  }
}

/** the cached basis, or fitted now (once per service at a time) from the reference objects' tokens */
export function patchBasis(ws: Workspace, service: PatchTokenService, dim: number): Promise<PatchBasis> {
  const path = basisPath(ws, service);
  const have = read(path, dim);
  if (have) return Promise.resolve(have);
  let p = pending.get(service);
  if (!p) {
    p = (async () => {
      const count = ws.count();
      const objects = referenceSample(count, REFERENCE_SIZE, REFERENCE_SEED);
      const parts: Float32Array[] = [];
      for (const idx of objects) parts.push((await service.tokens(idx)).tokens);
      const all = new Float32Array(parts.reduce((s, t) => s + t.length, 0));
      let o = 0;
      for (const t of parts) {
        all.set(t, o);
        o += t.length;
      }
      const basis = fitPatchBasis(all, dim, { objects, seed: REFERENCE_SEED, workspaceCount: count });
      writeFileAtomic(path, JSON.stringify(basis));
      return basis;
    })().finally(() => pending.delete(service));
    pending.set(service, p);
  }
  return p;
}
