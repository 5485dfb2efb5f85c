/**
 * A small real workspace for the discovery tests: objects with positions,
 * classes and a numeric 'redshift' column, tiny cutouts, and embeddings with
 * latent structure (one cluster per class, the rare classes a small share,
 * redshift along its own latent axis) written through the workspace's embedding
 * store under model 'test-model'. These vectors stand in for an encoder's
 * output ONLY in tests of the discovery maths and plumbing; the product path
 * always embeds with a model.
 */
import { createRng } from '@app/core/rng';
import { l2NormalizeRows } from '@app/ml/matrix';
import { Workspace, type AddItem } from '@main/node/workspace';

export const CLASSES = ['elliptical', 'spiral', 'star', 'lens', 'ring'] as const;
const SHARE = [0.4, 0.35, 0.15, 0.05, 0.05];
export const FIXTURE_MODEL = 'test-model';

export function fixtureData(n: number, dim: number, seed: number): { items: AddItem[]; unit: Float32Array } {
  const rng = createRng(seed);
  const latent = 8;
  const map = Float32Array.from({ length: latent * dim }, () => rng.normal());
  const centres = CLASSES.map(() => Float32Array.from({ length: latent }, (_, l) => (l === latent - 1 ? 0 : 2.5 * rng.normal())));
  const z = new Float64Array(latent);
  const emb = new Float32Array(n * dim);
  const items: AddItem[] = [];
  for (let i = 0; i < n; i++) {
    let u = rng.next(),
      c = 0;
    while (c < CLASSES.length - 1 && u > SHARE[c]) u -= SHARE[c++];
    const redshift = rng.uniform(0.05, 1);
    for (let l = 0; l < latent; l++) z[l] = l === latent - 1 ? 4 * redshift + 0.2 * rng.normal() : centres[c][l] + rng.normal();
    for (let j = 0; j < dim; j++) {
      let v = 0.1 * rng.normal();
      for (let l = 0; l < latent; l++) v += z[l] * map[l * dim + j];
      emb[i * dim + j] = v;
    }
    items.push({
      object: { id: `obj-${i}`, ra: rng.uniform(0, 360), dec: rng.uniform(-30, 30), source: 'synthetic', truth: CLASSES[c], extra: { redshift } },
      cutout: {
        bands: ['g', 'r', 'z'],
        width: 4,
        height: 4,
        pixscale: 0.262,
        unit: 'nanomaggies',
        data: Float32Array.from({ length: 48 }, () => rng.normal()),
      },
    });
  }
  return { items, unit: l2NormalizeRows(emb, dim) };
}

/** A workspace of n fixture objects, the first `embedUpTo` (default all) embedded. */
export function makeFixtureWorkspace(dir: string, n: number, opts: { dim?: number; seed?: number; embedUpTo?: number } = {}): Workspace {
  const dim = opts.dim ?? 32;
  const { items, unit } = fixtureData(n, dim, opts.seed ?? 1);
  const ws = Workspace.create(dir, { cutout: { bands: ['g', 'r', 'z'], size: 4, pixscale: 0.262, unit: 'nanomaggies' } });
  ws.addObjects(items);
  const m = ws.embeddings(FIXTURE_MODEL, dim, { modelName: 'test' });
  writeRows(m, unit, dim, 0, opts.embedUpTo ?? n);
  return ws;
}

/** Write fixture rows from..to-1 (to extend a partially embedded workspace). */
export function embedRows(ws: Workspace, from: number, to: number, opts: { dim?: number; seed?: number } = {}): void {
  const dim = opts.dim ?? 32;
  writeRows(ws.embeddings(FIXTURE_MODEL), fixtureData(ws.count(), dim, opts.seed ?? 1).unit, dim, from, to);
}

function writeRows(m: ReturnType<Workspace['embeddings']>, unit: Float32Array, dim: number, from: number, to: number): void {
  if (to <= from) return;
  m.write(
    Array.from({ length: to - from }, (_, i) => from + i),
    unit.subarray(from * dim, to * dim),
  );
}
