/**
 * Test vectors with latent structure (closer to real embeddings than random
 * Gaussians, on which every HNSW configuration does badly, see STACK.md):
 * clusters in a 16-dimensional latent space, mapped linearly into D
 * dimensions with a little isotropic noise, L2-normalised.
 */
import { createRng } from '@app/core/rng';
import { l2NormalizeRows } from '@app/ml/matrix';

export function structuredVectors(n: number, dim: number, seed: number, opts: { latent?: number; clusters?: number; noise?: number } = {}) {
  const latent = opts.latent ?? 16;
  const clusters = opts.clusters ?? 24;
  const noise = opts.noise ?? 0.05;
  const rng = createRng(seed);
  const map = Float32Array.from({ length: latent * dim }, () => rng.normal() / Math.sqrt(latent));
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: latent }, () => 2 * rng.normal()));
  const cluster = new Int32Array(n);
  const m = new Float32Array(n * dim);
  const z = new Float32Array(latent);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    cluster[i] = c;
    for (let l = 0; l < latent; l++) z[l] = centres[c][l] + rng.normal();
    for (let j = 0; j < dim; j++) {
      let v = noise * rng.normal();
      for (let l = 0; l < latent; l++) v += z[l] * map[l * dim + j];
      m[i * dim + j] = v;
    }
  }
  return { unit: l2NormalizeRows(m, dim), cluster };
}
