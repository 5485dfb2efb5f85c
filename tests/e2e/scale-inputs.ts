/**
 * Inputs for the app-at-scale e2e test: an N x 128 float32 `.npy` of
 * clustered vectors (tests/discovery/structured.ts, as the scale bench uses)
 * and a CSV of id, ra, dec, streamed to disk in blocks.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@app/core/rng';
import { npyFloat32 } from '@main/node/export/npy';
import { structuredVectors } from '../discovery/structured';

export const SCALE_DIM = 128;

export function writeScaleInputs(dir: string, n: number, seed = 17): { npy: string; csv: string } {
  const { unit } = structuredVectors(n, SCALE_DIM, seed);
  const npy = join(dir, 'vectors.npy'),
    csv = join(dir, 'catalog.csv');
  const bytes = npyFloat32(unit, [n, SCALE_DIM]);
  const fd = openSync(npy, 'w');
  for (let at = 0; at < bytes.length; at += 64 << 20) writeSync(fd, bytes.subarray(at, Math.min(bytes.length, at + (64 << 20))));
  closeSync(fd);
  const rng = createRng(seed + 1);
  const cfd = openSync(csv, 'w');
  writeSync(cfd, 'id,ra,dec\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    // a survey-like footprint: a band of the sky rather than the whole sphere
    const ra = rng.uniform(100, 260),
      dec = (Math.asin(rng.uniform(-0.2, 0.9)) * 180) / Math.PI;
    chunk += `LS${i},${ra.toFixed(6)},${dec.toFixed(6)}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(cfd, chunk);
      chunk = '';
    }
  }
  writeSync(cfd, chunk);
  closeSync(cfd);
  return { npy, csv };
}
